package tenants

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/visits"
)

// The demo's store listings: a rep asks a shop to list a product it does not carry yet, through
// the FMCG template's "Store listing" pipeline (lead, listing proposal, trial order, then listed
// or not). Each is planned whole, stage by stage, before it is recorded.

// demoDeal is a store listing as planned.
type demoDeal struct {
	rep    *demoRep
	site   *demoSite
	sku    *demoSKU
	stages []demoStage // entered in this order
	reason string      // why it was won or lost; "" while open
	trial  *demoOrder  // the trial order, once it reaches that stage
	id     uuid.UUID   // the opportunity, once recorded
	// value and nextStep, when set, replace the store listing's yearly value and first step
	// (the industrial sample's project sales).
	value    decimal.Decimal
	nextStep string
}

// demoStage is a stage an opportunity entered, and when its work was done.
type demoStage struct {
	key string
	at  time.Time // entered
	// done is when the owner's required tasks were done (zero: not yet); checked, in a trial, is
	// the shelf check after the first delivery; fee is when the manager approved the listing fee
	// (zero: never, and the optional task is cancelled when the stage is left).
	done, checked, fee time.Time
}

// demoDealEnds is where the listings stand today: open at every stage, listed, and not listed
// at every stage, as in a pipeline a manager would recognise.
var demoDealEnds = []string{
	"lead", "lead", "lead", "lead", "lead",
	"listing_proposal", "listing_proposal", "listing_proposal", "listing_proposal", "listing_proposal", "listing_proposal",
	"trial_order", "trial_order", "trial_order", "trial_order", "trial_order",
	"won", "won", "won", "won", "won", "won", "won", "won",
	"lost@lead", "lost@lead", "lost@listing_proposal", "lost@listing_proposal", "lost@trial_order", "lost@trial_order",
}

// demoStageDays are the days an opportunity spends in each open stage, at least and at most.
var demoStageDays = map[string][2]int{"lead": {2, 8}, "listing_proposal": {5, 18}, "trial_order": {14, 31}}

// demoSLADays are the open stages' SLAs, from the template: an open deal's age in its stage goes
// up to half as long again, so that a few are over.
var demoSLADays = map[string]int{"lead": 7, "listing_proposal": 14, "trial_order": 21}

// planDeals picks the listings, one per shop and at most three per rep, each for a product the
// shop does not carry, and times their stages over the 13 weeks.
func (s *demoSales) planDeals(rng *rand.Rand) []*demoDeal {
	type candidate struct {
		rep  *demoRep
		site *demoSite
		sku  *demoSKU
	}
	var all []candidate
	for _, r := range s.hist.reps {
		for _, site := range r.sites {
			for _, p := range demoCatalogue {
				if _, has := s.shelves[site][p]; !has && demoFit(demoShopKind(site.Name), p) > 0 {
					all = append(all, candidate{r, site, p})
				}
			}
		}
	}
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	perRep, taken := map[*demoRep]int{}, map[*demoSite]bool{}
	var deals []*demoDeal
	for _, c := range all {
		if len(deals) == len(demoDealEnds) || taken[c.site] || perRep[c.rep] == 3 {
			continue
		}
		taken[c.site] = true
		perRep[c.rep]++
		deals = append(deals, &demoDeal{rep: c.rep, site: c.site, sku: c.sku})
	}
	ends := append([]string(nil), demoDealEnds...)
	rng.Shuffle(len(ends), func(i, j int) { ends[i], ends[j] = ends[j], ends[i] })
	for i, d := range deals {
		s.timeDeal(rng, d, ends[i])
	}
	return deals
}

// timeDeal places the deal's stages in the 13 weeks so that it ends as end says: a closed deal
// anywhere in them, an open one entering its stage a few days or weeks before today.
func (s *demoSales) timeDeal(rng *rand.Rand, d *demoDeal, end string) {
	path := []string{"lead", "listing_proposal", "trial_order"}
	last, closed := end, ""
	if before, ok := strings.CutPrefix(end, "lost@"); ok {
		last, closed = before, "lost"
	} else if end == "won" {
		last, closed = "trial_order", "won"
	}
	path = path[:indexOf(path, last)+1]
	days := make([]int, len(path))
	total := 0
	for i, k := range path {
		lim := demoStageDays[k]
		days[i] = lim[0] + rng.IntN(lim[1]-lim[0]+1)
		total += days[i]
	}
	n := len(s.hist.days)
	start := rng.IntN(n - 1 - total)
	if closed == "" {
		age := 1 + rng.IntN(demoSLADays[last]*3/2)
		start = n - 1 - age - (total - days[len(days)-1])
	}
	day := start
	for i, k := range append(path, closed) {
		if k == "" {
			break
		}
		at := during(rng, workday(s.hist.days[min(day, n-1)], 0), 9, 17)
		// A Sunday moved to Monday must not squeeze the stage before it into a few hours.
		if i > 0 && at.Sub(d.stages[i-1].at) < 36*time.Hour {
			if later := during(rng, workday(d.stages[i-1].at, 2), 9, 17); later.Before(s.hist.today) {
				at = later
			}
		}
		d.stages = append(d.stages, demoStage{key: k, at: at})
		if i < len(days) {
			day += days[i]
		}
	}
	if closed != "" {
		d.reason = demoDealReason(rng, d, last, closed)
	}
	s.timeDealWork(rng, d)
}

// timeDealWork times each stage's tasks between entering it and leaving it (or today): the
// owner's tasks done a while before the move, the manager's fee approval within days, when it
// comes at all. A trial's tasks follow its trial order: delivered, then a shelf check.
func (s *demoSales) timeDealWork(rng *rand.Rand, d *demoDeal) {
	for i := range d.stages {
		st := &d.stages[i]
		left := s.hist.today
		if i+1 < len(d.stages) {
			left = d.stages[i+1].at
		}
		open := i+1 == len(d.stages)
		if st.key == "won" || st.key == "lost" {
			continue
		}
		span := left.Sub(st.at)
		if !open || rng.Float64() < 0.5 {
			st.done = st.at.Add(time.Duration(float64(span) * (0.3 + 0.5*rng.Float64())))
		}
		if st.key == "listing_proposal" && rng.Float64() < 0.65 {
			st.fee = st.at.Add(min(span/2, minutes(rng, 60, 3*24*60)))
		}
		if st.key != "trial_order" {
			continue
		}
		d.trial = &demoOrder{rep: d.rep, site: d.site, deal: d, terms: demoTerms(d.site),
			lines: []demoLine{{sku: d.sku, qty: demoTrialCases(d.site)}}, notes: "Trial order for the listing of " + d.sku.name + "."}
		taken := during(rng, workday(st.at, 1), 10, 12)
		d.trial.plan(rng, taken, taken.Add(minutes(rng, 5, 30)), s.payerOf(d.site), demoFate{})
		delivered := d.trial.steps[len(d.trial.steps)-1].at
		for _, step := range d.trial.steps {
			if step.move == moveDeliver {
				delivered = step.at
			}
		}
		st.done = delivered.Add(minutes(rng, 60, 180))
		st.checked = during(rng, workday(delivered, 5+rng.IntN(4)), 10, 16)
		if !open && !st.checked.Before(left) {
			st.checked = st.done.Add(time.Hour)
		}
		if d.stages[len(d.stages)-1].key != "lost" {
			s.shelves.list(d.site, d.sku, delivered)
		}
	}
}

// demoTrialCases is a trial order's size: a few cases, more for a big supermarket.
func demoTrialCases(site *demoSite) int {
	switch {
	case site.Grade == visits.GradeA:
		return 8
	case demoShopKind(site.Name) == "supermarket":
		return 5
	}
	return 2
}

// amount is the listing's expected yearly value: a month's cases for the size of shop, at list
// price, times twelve.
func (d *demoDeal) amount() decimal.Decimal {
	if d.value.IsPositive() {
		return d.value
	}
	cases := map[visits.Grade]int64{visits.GradeA: 24, visits.GradeB: 10, visits.GradeC: 4}[d.site.Grade]
	return decimal.RequireFromString(d.sku.price).Mul(decimal.NewFromInt(cases * 12))
}

// demoDealReason says why a listing was won, or lost at the stage it was lost in.
func demoDealReason(rng *rand.Rand, d *demoDeal, stage, outcome string) string {
	if outcome == "won" {
		return pick(rng, []string{
			fmt.Sprintf("Listed: %d facings next to the category leader, regular orders from next week.", 2+rng.IntN(5)),
			"The trial sold through in three weeks; the buyer added it to the standing order.",
		})
	}
	return map[string]string{
		"lead":             "No room on the shelf for another " + d.sku.category + " line until the next range review.",
		"listing_proposal": fmt.Sprintf("The buyer asked for a listing fee of %d CNY, above the promotion budget.", 3000+1000*rng.IntN(6)),
		"trial_order":      "The trial sold too slowly (a case in four weeks); the buyer will not list it.",
	}[stage]
}

func indexOf(keys []string, k string) int {
	for i, x := range keys {
		if x == k {
			return i
		}
	}
	return -1
}
