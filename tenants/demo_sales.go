package tenants

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/activities"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/platform/orders"
	"github.com/repflow/repflow/platform/pipeline"
	"github.com/repflow/repflow/platform/visits"
)

// demoSales records the sales work of the demo's 13 weeks through the orders, pipeline and
// activities services, each on a clock the replay sets to the moment of each request, so that
// histories, due days and overdue receivables read as they would after real weeks of work.
type demoSales struct {
	clock      *demoClock
	orders     *orders.Service
	pipeline   *pipeline.Service
	activities *activities.Service
	// admin is the tenant admin, who keeps the catalogue and stands in for the back office:
	// the warehouse ships and delivers, accounting records the payments.
	admin    context.Context
	hist     *demoHistory
	rng      *rand.Rand
	products map[*demoSKU]uuid.UUID
	shelves  demoRange
	contacts map[*demoSite][]activities.Contact
	deals    []*demoDeal
	// currency prices the catalogue, the orders and the opportunities: the tenant's own.
	currency  string
	catalogue []*demoSKU
}

// buildDemoSales adds to the recorded field work a catalogue, the store listings the reps work
// through the pipeline with their trial orders, the orders taken on visits moved through their
// states, shelf checks, and the reps' contacts, calls, messages and meetings.
func (p *Provisioner) buildDemoSales(ctx context.Context, h *demoHistory) error {
	s, err := p.newDemoSales(ctx, h, "CNY", demoCatalogue)
	if err != nil {
		return err
	}
	// The listings are planned first: the shops' contacts are entered with them in mind, and a
	// listing won puts its product on the shop's shelf and in its later orders.
	s.shelves = planRange(s.rng, h.reps, h.sites)
	s.deals = s.planDeals(s.rng)
	for _, step := range []struct {
		what string
		do   func() error
	}{
		{"catalogue", s.stockCatalogue}, {"contacts", s.recordContacts}, {"store listings", s.recordDeals},
		{"orders", s.recordVisitOrders}, {"shelf checks", s.recordVisitShelfChecks}, {"activities", s.recordActivities},
	} {
		if err := step.do(); err != nil {
			return fmt.Errorf("demo %s: %w", step.what, err)
		}
	}
	return nil
}

// newDemoSales returns the sales recorder over h, acting as the admin of ctx, selling catalogue
// in currency: the demo's, and a new tenant's sample data on a smaller history.
func (p *Provisioner) newDemoSales(ctx context.Context, h *demoHistory, currency string, catalogue []*demoSKU) (*demoSales, error) {
	clock := &demoClock{}
	// pipeline.NewService and orders.NewService register their timers' handlers on the queue
	// they are given, and River refuses a kind registered twice: the demo's services get a queue
	// of their own, never started. Their timers land in the shared job table, where the server's
	// queue works them with the server's services.
	q, err := jobs.New(p.store, jobs.Options{})
	if err != nil {
		return nil, err
	}
	place := func(ctx context.Context, id uuid.UUID) (pipeline.CustomerPlace, error) {
		c, err := p.visits.PlaceCustomer(ctx, id)
		return pipeline.CustomerPlace{OwnerID: c.OwnerID, RegionPath: c.RegionPath}, err
	}
	return &demoSales{clock: clock, admin: ctx, hist: h, rng: rand.New(rand.NewPCG(demoSeed, 3)), currency: currency, catalogue: catalogue,
		pipeline: pipeline.NewService(p.store, p.warden, q, pipeline.Deps{PlaceCustomer: place, ManagerOf: p.org.ManagerOf,
			Currencies: p.org.Currencies, Now: clock.now}),
		orders: orders.NewService(p.store, p.warden, orders.CustomerFunc(demoOrderCustomer(p.visits)), p.org, q, nil,
			orders.Options{TimeZone: p.org.TimeZone, Now: clock.now}),
		activities: activities.NewService(p.store, p.warden, demoAccounts{p.visits}, activities.Options{TimeZone: p.org.TimeZone, Now: clock.now}),
	}, nil
}

// at sets the services' clock to t and reports whether t is in the demo's past: nothing is
// recorded from today's midnight on, so the demo reads the same whenever in the day it is made.
func (s *demoSales) at(t time.Time) bool {
	s.clock.t = t
	return t.Before(s.hist.today)
}

// managerOf is who approves a rep's orders and listing fees: their manager, or the tenant admin
// for a rep who has none (nobody approves their own order).
func (s *demoSales) managerOf(r *demoRep) context.Context {
	if r.manager != nil {
		return r.manager
	}
	return s.admin
}

// workday is local midnight of the n-th working day after t's day; n = 0 is t's day itself
// when it is a working day, else the next one.
func workday(t time.Time, n int) time.Time {
	y, m, d := t.In(demoZone).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, demoZone)
	for i := 0; i < n || !working(day); {
		day = day.AddDate(0, 0, 1)
		if working(day) {
			i++
		}
	}
	return day
}

// during is a moment of day between the hours from and to (local time, fractions allowed).
func during(rng *rand.Rand, day time.Time, from, to float64) time.Time {
	span := time.Duration((to - from) * float64(time.Hour))
	return day.Add(time.Duration(from*float64(time.Hour)) + time.Duration(rng.Int64N(int64(span))))
}

// demoOrderCustomer hands the orders domain a customer from visits, as cmd's adapter does.
func demoOrderCustomer(v *visits.Service) func(ctx context.Context, id uuid.UUID) (orders.CustomerRef, error) {
	return func(ctx context.Context, id uuid.UUID) (orders.CustomerRef, error) {
		c, err := v.GetCustomer(ctx, id)
		return orders.CustomerRef{ID: c.ID, OwnerID: c.OwnerID, RegionID: c.RegionID}, err
	}
}

// demoAccounts hands the activities domain a customer from visits, as cmd's adapter does.
type demoAccounts struct{ v *visits.Service }

func (a demoAccounts) Customer(ctx context.Context, id uuid.UUID) (activities.CustomerRef, error) {
	c, err := a.v.GetCustomer(ctx, id)
	return activities.CustomerRef{ID: c.ID, Name: c.Name, OwnerID: c.OwnerID, RegionID: c.RegionID}, err
}
