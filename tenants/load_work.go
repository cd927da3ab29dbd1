package tenants

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/activities"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// The field work and sales of a load tenant are generated a batch at a time and written while
// the next batch is generated, each batch in a transaction of its own. On PostgreSQL two
// workers write at once, each for the reps of half the cities: the database then works on both
// cores, and the two transactions lock disjoint parent rows for their foreign-key checks (reps,
// managers, customers, cities), sharing only the admin and the catalogue.

// A batch is the work of a few days of a few hundred reps: some 200,000 rows, enough for COPY to
// stream and few enough to keep memory to a few hundred megabytes. Its rows go into each index
// within a part of it: the indexes on customer within the batch's reps' customers (made one
// rep after the other), those on time within its days. Whole days of all reps would spread
// over the whole of the indexes on customer, and all days of fewer reps over those on time;
// either would rewrite every page of them with every batch.
const (
	loadBatchReps = 250
	loadBatchDays = 6
)

// loadBatch is the rows of a batch, table by table.
type loadBatch struct {
	visits        []loadVisit
	revisions     []loadRevision
	reviews       []loadReview
	orders        []loadOrder
	lines         []loadLine
	transitions   []loadTransition
	deliveries    []loadDelivery
	deliveryLines []loadDeliveryLine
	payments      []loadPayment
	checks        []loadCheck
	items         []loadItem
	activities    []loadActivity
}

// work writes the reps' field work and sales as the tenant admin in admin, and counts it in n.
func (p *Provisioner) loadWork(admin context.Context, g *loadGen, reps []*loadRep, n *LoadCounts) error {
	workers := 1
	if p.store.Dialect() == store.Postgres {
		workers = 2 // the embedded database has one writer at a time
	}
	shares := make([][]*loadRep, workers)
	for _, r := range reps {
		shares[r.cityNo%workers] = append(shares[r.cityNo%workers], r)
	}
	counts, errs := make([]LoadCounts, workers), make([]error, workers)
	stop := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for k := range workers {
		wg.Go(func() {
			if errs[k] = p.loadShare(admin, g, shares[k], &counts[k], stop); errs[k] != nil {
				once.Do(func() { close(stop) })
			}
		})
	}
	wg.Wait()
	for _, c := range counts {
		total, part := loadCounted(n), loadCounted(&c)
		for i := range total {
			*total[i].into += *part[i].into
		}
	}
	return errors.Join(errs...)
}

// loadShare generates the reps' days, one batch ahead of the writing, until done or stopped.
func (p *Provisioner) loadShare(admin context.Context, g *loadGen, reps []*loadRep, n *LoadCounts, stop <-chan struct{}) error {
	batches := make(chan *loadBatch, 1)
	go func() {
		defer close(batches)
		for first := 0; first < len(g.days); first += loadBatchDays {
			for start := 0; start < len(reps); start += loadBatchReps {
				select {
				case batches <- g.batch(g.days[first:min(len(g.days), first+loadBatchDays)], first, reps[start:min(len(reps), start+loadBatchReps)]):
				case <-stop:
					return
				}
			}
		}
	}()
	for b := range batches {
		err := p.store.Tx(admin, func(ctx context.Context, _ *gorm.DB) error {
			w := &loadWriter{ctx: ctx, store: p.store, tenant: identity.TenantID(ctx)}
			return w.batch(b, n)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// batch generates the reps' work of days, the first of which is the first-th of the data. Each
// rep's day is drawn from a generator of its own, so it does not depend on how the reps and
// days are shared out and batched.
func (g *loadGen) batch(days []time.Time, first int, reps []*loadRep) *loadBatch {
	b := &loadBatch{}
	for i, day := range days {
		for _, r := range reps {
			g.repDay(b, r, first+i, day)
		}
	}
	// In the order of the indexes on customer and time, which the rows would otherwise hit at
	// random: inserted in order, each index page is read and written once a batch. A reply to a
	// message still follows it: same customer, later.
	slices.SortFunc(b.visits, func(x, y loadVisit) int {
		return cmp.Or(bytes.Compare(x.customer.id[:], y.customer.id[:]), x.start.Compare(y.start))
	})
	slices.SortFunc(b.activities, func(x, y loadActivity) int {
		return cmp.Or(bytes.Compare(x.customer.id[:], y.customer.id[:]), x.at.Compare(y.at))
	})
	return b
}

// repDay generates the rep's work of the d-th day.
func (g *loadGen) repDay(b *loadBatch, r *loadRep, d int, day time.Time) {
	rng := rand.New(rand.NewPCG(loadSeed+1+uint64(d), uint64(r.index)))
	scale := r.pace
	if !working(day) {
		scale *= loadSunday
	}
	stops := g.visitDay(rng, b, r, day, draw(rng, loadVisitsPerDay*scale))
	for _, i := range sample(rng, len(stops), draw(rng, loadOrdersPerDay*scale)) {
		g.takeOrder(rng, b, r, stops[i])
	}
	shops := slices.DeleteFunc(stops, func(s loadStop) bool { return s.shop.kind == "restaurant" })
	for _, i := range sample(rng, len(shops), draw(rng, loadChecksPerDay*scale)) {
		g.checkShelf(rng, b, shops[i])
	}
	g.activityDay(rng, b, r, day, scale)
}

// batch writes a batch's rows, parents before the rows that refer to them, and counts them.
func (w *loadWriter) batch(b *loadBatch, n *LoadCounts) error {
	if err := w.replan(); err != nil {
		return err
	}
	// put does nothing after a failure, so the first error is the one returned.
	for _, err := range []error{
		put(w, visitsTable, b.visits, (*loadVisit).values),
		put(w, revisionsTable, b.revisions, (*loadRevision).values),
		put(w, reviewsTable, b.reviews, (*loadReview).values),
		put(w, ordersTable, b.orders, (*loadOrder).values),
		put(w, linesTable, b.lines, (*loadLine).values),
		put(w, transitionsTable, b.transitions, (*loadTransition).values),
		put(w, deliveriesTable, b.deliveries, (*loadDelivery).values),
		put(w, deliveryLinesTable, b.deliveryLines, (*loadDeliveryLine).values),
		put(w, paymentsTable, b.payments, (*loadPayment).values),
		put(w, checksTable, b.checks, (*loadCheck).values),
		put(w, itemsTable, b.items, (*loadItem).values),
		put(w, activitiesTable, b.activities, (*loadActivity).values),
	} {
		if err != nil {
			return err
		}
	}
	n.Visits += int64(len(b.visits))
	for _, v := range b.visits {
		if !v.trusted {
			n.Suspicious++
		}
	}
	for _, a := range b.activities {
		switch a.kind {
		case activities.KindCall:
			n.Calls++
		case activities.KindMessage:
			n.Messages++
		case activities.KindMeeting:
			n.Meetings++
		}
	}
	n.Orders += int64(len(b.orders))
	n.OrderLines += int64(len(b.lines))
	n.Deliveries += int64(len(b.deliveries))
	n.Payments += int64(len(b.payments))
	n.ShelfChecks += int64(len(b.checks))
	n.ShelfItems += int64(len(b.items))
	return nil
}
