package tenants

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/orders"
	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/platform/visits/cadence"
)

// Which orders are halfway through the state machine depends on the day the demo is made: the
// plan must show every status, a split delivery and money overdue whatever the date, and the
// listings every stage, with their moves in order and in the past.
func TestDemoSalesPlanHoldsWhateverTheDate(t *testing.T) {
	t.Parallel()
	reps, sites := demoPlanFixture(t)
	slices.SortFunc(sites, func(a, b *demoSite) int { return cmp.Compare(a.Name, b.Name) })
	base := time.Date(2026, time.March, 2, 0, 0, 0, 0, demoZone)
	for k := range 14 {
		today := base.AddDate(0, 0, k)
		t.Run(today.Format("Mon 2006-01-02"), func(t *testing.T) {
			p := planDemo(rand.New(rand.NewPCG(demoSeed, 1)), reps, sites, today, cadence.Default())
			h := &demoHistory{reps: reps, sites: sites, days: p.days, today: today}
			for _, day := range p.work {
				for _, rd := range day {
					for _, st := range rd.stops {
						if st.act == actCheckIn || st.act == actNearby {
							h.visits = append(h.visits, demoVisit{rep: rd.rep, stop: st, visit: visits.Visit{ID: uuid.New()}})
						}
					}
				}
			}
			s := &demoSales{hist: h, rng: rand.New(rand.NewPCG(demoSeed, 3))}
			s.shelves = planRange(s.rng, h.reps, h.sites)
			s.deals = s.planDeals(s.rng)
			checkDemoOrderPlan(t, s.planVisitOrders(), today)
			checkDemoDealPlan(t, s.deals, p.days[0], today)
		})
	}
}

func checkDemoOrderPlan(t *testing.T, planned []*demoOrder, today time.Time) {
	t.Helper()
	ends := map[orders.Status]int{}
	overdue, split := 0, 0
	for _, o := range planned {
		st, late := o.outcome(today)
		ends[st]++
		if late {
			overdue++
		}
		deliveries := 0
		for i, step := range o.steps {
			if i > 0 && step.at.Before(o.steps[i-1].at) {
				t.Errorf("order steps out of order: %+v", o.steps)
			}
			if step.move == moveDeliver && step.at.Before(today) {
				deliveries++
			}
		}
		if deliveries > 1 {
			split++
		}
		if n := len(o.lines); n < 1 || n > 4 {
			t.Errorf("an order of %d lines", n)
		}
	}
	for _, st := range orders.Statuses {
		if ends[st] == 0 {
			t.Errorf("no order ends %s: %v", st, ends)
		}
	}
	if overdue == 0 || split == 0 || len(planned) < 50 {
		t.Errorf("%d orders, %d overdue, %d delivered in two parts", len(planned), overdue, split)
	}
}

func checkDemoDealPlan(t *testing.T, deals []*demoDeal, first, today time.Time) {
	t.Helper()
	ends := map[string]int{}
	for _, d := range deals {
		last := d.stages[len(d.stages)-1]
		ends[last.key]++
		for i, st := range d.stages {
			if st.at.Before(first) || !st.at.Before(today) || (i > 0 && !st.at.After(d.stages[i-1].at)) {
				t.Errorf("%s at %s: stage %s entered at %s", d.sku.sku, d.site.Name, st.key, st.at)
			}
			if i+1 < len(d.stages) && (st.done.IsZero() || !st.done.Before(d.stages[i+1].at)) {
				t.Errorf("%s at %s: the tasks of %s are done at %s, the next move is at %s", d.sku.sku, d.site.Name, st.key, st.done, d.stages[i+1].at)
			}
		}
		if (last.key == "won" || last.key == "lost") != (d.reason != "") {
			t.Errorf("%s at %s ends in %s with reason %q", d.sku.sku, d.site.Name, last.key, d.reason)
		}
	}
	if len(deals) != len(demoDealEnds) || ends["lead"] == 0 || ends["listing_proposal"] == 0 || ends["trial_order"] == 0 || ends["won"] == 0 || ends["lost"] == 0 {
		t.Errorf("%d listings ending %v", len(deals), ends)
	}
}
