package visits

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/rollup"
	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/platform/visits/geo"
)

// metricsSize is a metrics workload: reps, customers per rep, visits per rep in the month.
type metricsSize struct{ reps, customers, visits int }

func (z metricsSize) String() string {
	return fmt.Sprintf("%d reps x %d customers x %d visits in the month", z.reps, z.customers, z.visits)
}

// benchMetricsSize is a tenth of the appraisal's target (2,000 reps, 240,000 customers, 2,000,000
// visits a month) in reps, so that a run takes seconds: 200 reps x 100 customers (20,000) x 600
// visits (120,000 in October 2026), besides about 18,000 visits before it. REPFLOW_METRICS_BENCH
// ("2000x120x1000") sets another size.
func benchMetricsSize(tb testing.TB) metricsSize {
	z := metricsSize{reps: 200, customers: 100, visits: 600}
	if v := os.Getenv("REPFLOW_METRICS_BENCH"); v != "" {
		if _, err := fmt.Sscanf(v, "%dx%dx%d", &z.reps, &z.customers, &z.visits); err != nil {
			tb.Fatalf("REPFLOW_METRICS_BENCH=%q: want REPSxCUSTOMERSxVISITS: %v", v, err)
		}
	}
	return z
}

// The month the workload fills, and the service's clock, a while after it.
var (
	metricsMonth = MetricsQuery{From: "2026-10-01", To: "2026-11-01"}
	metricsFrom  = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	metricsNow   = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
)

// metricsWorld is a tenant filled with a metrics workload; svc's clock stands at metricsNow.
type metricsWorld struct {
	w    *world
	f    *tenantFixture
	svc  *Service
	reps []uuid.UUID // the workload's reps, all in Jinan, all seen by mgr.shandong
}

func newMetricsWorld(tb testing.TB, z metricsSize, seed uint64) *metricsWorld {
	tb.Helper()
	s := storetest.Open(tb)
	aw := access.NewWarden(s)
	w := &world{s: s, w: aw, org: org.NewService(s, aw, nil), svc: NewService(s, aw, Options{})}
	mw := &metricsWorld{w: w, f: w.tenant(tb, "acme"), svc: w.at(metricsNow)}
	for i := range z.reps {
		key := fmt.Sprintf("bench.rep.%d", i)
		mw.f.user(tb, key, "Jinan", "mgr.shandong", identity.RoleRep)
		mw.reps = append(mw.reps, mw.f.users[key].ID)
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	customers := mw.customers(tb, rng, z)
	mw.insert(tb, "customers", customers)
	mw.insert(tb, "visits", mw.visits(rng, z, customers))
	// Written directly, so the month's rollups are rebuilt from them, as after a bulk load.
	sys := identity.System(context.Background(), mw.f.id)
	if err := rollup.Request(sys, s, rollup.Visits); err != nil {
		tb.Fatal(err)
	}
	if err := mw.svc.RebuildRollups(sys); err != nil {
		tb.Fatal(err)
	}
	// Statistics, as a live database has them: the plans depend on them.
	if err := s.Owner(context.Background()).Exec("ANALYZE").Error; err != nil {
		tb.Fatalf("analyze: %v", err)
	}
	return mw
}

// customers gives each rep its customers, grades A to D in turn.
func (mw *metricsWorld) customers(tb testing.TB, rng *rand.Rand, z metricsSize) []customerRow {
	now := time.Now().UTC()
	rows := make([]customerRow, 0, z.reps*z.customers)
	for _, rep := range mw.reps {
		for i := range z.customers {
			at := offset(shop, rng.Float64()*20000, rng.Float64()*20000)
			c := Customer{ID: identity.NewID(), Name: fmt.Sprintf("Shop %d", len(rows)), Grade: []Grade{GradeA, GradeB, GradeC, GradeD}[i%4],
				OwnerID: rep, RegionID: mw.f.regions["Jinan"].ID, Location: at, Fence: geo.Circle{Center: at, Radius: 100},
				CreatedAt: now, UpdatedAt: now}
			r, err := toRow(c)
			if err != nil {
				tb.Fatal(err)
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// visits makes each rep's month, and the history that decides who is due: most customers were
// last visited in the 100 days before the month, some never; some later visits before it were
// rejected (they do not count) or left open (they do). In the month, a visit in 50 is to another
// rep's customer, one in 100 is still open; check-ins are three in four, with every review state.
func (mw *metricsWorld) visits(rng *rand.Rand, z metricsSize, customers []customerRow) []visitRow {
	var rows []visitRow
	add := func(c customerRow, rep uuid.UUID, start time.Time) *visitRow {
		rows = append(rows, metricsVisit(rng, c, rep, start))
		return &rows[len(rows)-1]
	}
	for _, c := range customers {
		if rng.IntN(100) < 85 {
			add(c, c.OwnerID, metricsFrom.AddDate(0, 0, -1-rng.IntN(100)).Add(randomHours(rng)))
		}
		switch n := rng.IntN(100); {
		case n < 5:
			add(c, c.OwnerID, metricsFrom.AddDate(0, 0, -1-rng.IntN(10)).Add(randomHours(rng))).ReviewStatus = string(ReviewRejected)
		case n < 7:
			leaveOpen(add(c, c.OwnerID, metricsFrom.AddDate(0, 0, -1-rng.IntN(30)).Add(randomHours(rng))))
		}
	}
	for i, rep := range mw.reps {
		own := customers[i*z.customers : (i+1)*z.customers]
		for range z.visits {
			c := own[rng.IntN(len(own))]
			if rng.IntN(50) == 0 {
				c = customers[rng.IntN(len(customers))]
			}
			v := add(c, rep, metricsFrom.AddDate(0, 0, rng.IntN(31)).Add(randomHours(rng)))
			if rng.IntN(100) == 0 {
				leaveOpen(v)
			}
		}
	}
	// As a live table holds them: in the order they happened.
	slices.SortFunc(rows, func(a, b visitRow) int { return a.StartedAt.Compare(b.StartedAt) })
	return rows
}

// metricsVisit is a closed visit of 5 to 60 minutes, timed to the millisecond.
func metricsVisit(rng *rand.Rand, c customerRow, rep uuid.UUID, start time.Time) visitRow {
	end := start.Add(5*time.Minute + time.Duration(rng.Int64N(int64(55*time.Minute))).Truncate(time.Millisecond))
	v := visitRow{ID: identity.NewID(), RepID: rep, CustomerID: c.ID, RegionID: c.RegionID, Source: string(SourceAuto),
		Status: string(VisitClosed), StartedAt: start, EndedAt: &end, Trusted: rng.IntN(100) < 85, Verdict: "ok",
		ReviewStatus: string(ReviewNone), Revision: 1, CreatedAt: start, UpdatedAt: end}
	if rng.IntN(4) > 0 {
		id := identity.NewID()
		v.Source, v.ClientID = string(SourceCheckIn), &id
	}
	switch n := rng.IntN(100); {
	case n < 8:
		v.ReviewStatus = string(ReviewPending)
	case n < 14:
		v.ReviewStatus = string(ReviewAccepted)
	case n < 20:
		v.ReviewStatus = string(ReviewRejected)
	}
	return v
}

func leaveOpen(v *visitRow) { v.Status, v.EndedAt = string(VisitOpen), nil }

// randomHours is a time of the working day, 08:00 to 18:00, to the millisecond.
func randomHours(rng *rand.Rand) time.Duration {
	return 8*time.Hour + time.Duration(rng.Int64N(int64(10*time.Hour))).Truncate(time.Millisecond)
}

// insert writes rows in multi-row statements, a thousand at a time (under SQLite's 32,766
// parameters for the widest row).
func (mw *metricsWorld) insert(tb testing.TB, what string, rows any) {
	tb.Helper()
	ctx := identity.System(context.Background(), mw.f.id)
	err := mw.w.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error { return db.CreateInBatches(rows, 1000).Error })
	if err != nil {
		tb.Fatalf("insert %s: %v", what, err)
	}
}

// The set-based figures are the per-rep ones, on a workload with every kind of visit, for every
// rep the caller sees and for a few asked for (one out of sight, one unknown).
func TestMetricsMatchPerRep(t *testing.T) {
	t.Parallel()
	mw := newMetricsWorld(t, metricsSize{reps: 12, customers: 30, visits: 80}, 7)
	asked := MetricsQuery{From: metricsMonth.From, To: metricsMonth.To,
		RepIDs: []uuid.UUID{mw.reps[3], mw.reps[0], mw.f.users["rep.guangdong"].ID, identity.NewID()}}
	// Over a month only grade D needs its last visits looked up, over a week B to D, over three
	// days all four; the period still running clamps the working days. Whole months come from
	// the rollups, one month or several (August to October: the history and the month).
	for _, q := range []MetricsQuery{metricsMonth, asked, {From: "2026-10-12", To: "2026-10-19"}, {From: "2026-10-05", To: "2026-10-08"},
		{From: "2026-11-15", To: "2026-12-01"}, {From: "2026-08-01", To: "2026-11-01"}} {
		ctx := mw.f.as(t, "mgr.shandong")
		want, err := mw.svc.metricsPerRep(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := mw.svc.Metrics(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		// The per-rep code predates new customers (TestVisitMetricsEdges checks them).
		if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(RepMetrics{}, "NewCustomers")); diff != "" {
			t.Errorf("%s to %s, reps %v (-per rep +set):\n%s", q.From, q.To, q.RepIDs, diff)
		}
	}
}

// BenchmarkMetrics times one month's figures of every rep a manager sees (benchMetricsSize, plus
// the fixture's three), set-based ("set") and as they were computed before, a few queries per rep
// ("per-rep"), on the same data.
func BenchmarkMetrics(b *testing.B) {
	z := benchMetricsSize(b)
	start := time.Now()
	mw := newMetricsWorld(b, z, 1)
	loaded := time.Since(start).Round(time.Millisecond)
	ctx := mw.f.as(b, "mgr.shandong")
	var reference []RepMetrics
	for _, impl := range []struct {
		name    string
		metrics func(context.Context, MetricsQuery) ([]RepMetrics, error)
	}{{"set", mw.svc.Metrics}, {"per-rep", mw.svc.metricsPerRep}} {
		b.Run(impl.name, func(b *testing.B) {
			b.Logf("%s, loaded in %v (not timed)", z, loaded)
			var got []RepMetrics
			for b.Loop() {
				var err error
				if got, err = impl.metrics(ctx, metricsMonth); err != nil {
					b.Fatal(err)
				}
			}
			if len(got) != z.reps+3 {
				b.Fatalf("figures of %d reps, want %d", len(got), z.reps+3)
			}
			if reference == nil {
				reference = got
			} else if diff := cmp.Diff(reference, got); diff != "" {
				b.Fatalf("figures differ from the first implementation's:\n%s", diff)
			}
		})
	}
}
