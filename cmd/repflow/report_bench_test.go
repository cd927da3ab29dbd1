package main

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/appraisal"
	"github.com/repflow/repflow/platform/appraisal/export"
	"github.com/repflow/repflow/platform/appraisal/report"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/tenants"
)

// BenchmarkAppraisalReport measures the one-click report of a load tenant (tenants.Load) on the
// database at REPFLOW_BENCH_DATABASE_URL, which it creates there first when it is missing:
// REPFLOW_BENCH_REPS reps (default 2,000) with REPFLOW_BENCH_DAYS days of work (default 30,
// ending with last month, whose report is made). Beside it, in the same run:
//   - floor: the same per-rep aggregates by one hand-written SQL query over the same rows, in a
//     tenant transaction like the product's, as the floor the report is compared with;
//   - excel: the workbook of the report.
//
// Each reports its peak Go heap (peak-heap-MB) beside time and allocations. `make
// bench-appraisal` runs it; docs/benchmarks.md has the figures.
func BenchmarkAppraisalReport(b *testing.B) {
	url := os.Getenv("REPFLOW_BENCH_DATABASE_URL")
	if url == "" {
		b.Skip("REPFLOW_BENCH_DATABASE_URL is not set: make bench-appraisal sets it")
	}
	bench := loadBench(b, url)
	var made report.Report
	b.Run("report", func(b *testing.B) {
		b.ReportAllocs()
		peak := watchHeap()
		for b.Loop() {
			var err error
			if made, err = bench.app.appraisal.MakeReport(bench.admin, bench.month, appraisal.WholeTenant); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(peak(), "peak-heap-MB")
		if len(made.Reps) != bench.reps {
			b.Fatalf("the report has %d reps, the tenant %d", len(made.Reps), bench.reps)
		}
	})
	// Where the report's time goes: each domain's source over the month, for every rep.
	sources := map[string]appraisal.Source{"visits": visitSource(bench.app.visits), "activities": activitySource(bench.app.activities),
		"orders": orderSource(bench.app.orders), "pipeline": pipelineSource(bench.app.pipeline, bench.app.activities)}
	for _, name := range []string{"visits", "activities", "orders", "pipeline"} {
		b.Run("source/"+name, func(b *testing.B) {
			for b.Loop() {
				if _, err := sources[name](bench.admin, bench.from, bench.to, bench.repIDs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		peak := watchHeap()
		var rows []floorRow
		for b.Loop() {
			rows = bench.floor(b)
		}
		b.ReportMetric(peak(), "peak-heap-MB")
		if len(rows) != bench.reps {
			b.Fatalf("the floor has %d reps, the tenant %d", len(rows), bench.reps)
		}
	})
	b.Run("excel", func(b *testing.B) {
		if made.ID == uuid.Nil {
			b.Skip("no report to export")
		}
		b.ReportAllocs()
		peak := watchHeap()
		for b.Loop() {
			if _, err := export.Excel(made, "en"); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(peak(), "peak-heap-MB")
	})
}

// benchTenant is the load tenant the benchmark works on, and its admin's context.
type benchTenant struct {
	app      *app
	tenant   uuid.UUID
	admin    context.Context
	month    string
	from, to time.Time
	reps     int
	repIDs   []uuid.UUID
}

var benchOnce struct {
	sync.Once
	t   *benchTenant
	err error
}

func loadBench(b *testing.B, url string) *benchTenant {
	benchOnce.Do(func() { benchOnce.t, benchOnce.err = openBench(url) })
	if benchOnce.err != nil {
		b.Fatal(benchOnce.err)
	}
	return benchOnce.t
}

func openBench(url string) (*benchTenant, error) {
	ctx := context.Background()
	cfg, err := parseConfig("demo", []string{"--database-url", url, "--data-dir", os.TempDir(), "--log-level", "error"}, false)
	if err != nil {
		return nil, err
	}
	s, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := prepare(ctx, cfg, s); err != nil {
		return nil, err
	}
	a, err := newApp(s, cfg)
	if err != nil {
		return nil, err
	}
	size := tenants.LoadSize{Reps: envInt("REPFLOW_BENCH_REPS", 2000), Days: envInt("REPFLOW_BENCH_DAYS", 30)}
	sum, err := tenants.Load(ctx, a.provisioner, size)
	if err != nil {
		return nil, err
	}
	if err := a.rebuildRollups(ctx); err != nil {
		return nil, err
	}
	var login struct{ UserID uuid.UUID }
	if err := s.Owner(ctx).Table("login_emails").Where("email = ?", sum.AdminEmail).Select("user_id").Take(&login).Error; err != nil {
		return nil, err
	}
	p, err := a.org.Principal(identity.System(ctx, sum.TenantID), login.UserID)
	if err != nil {
		return nil, err
	}
	from, _ := time.ParseInLocation("2006-01", sum.Month, sum.From.Location())
	t := &benchTenant{app: a, tenant: sum.TenantID, admin: identity.With(ctx, p), month: sum.Month,
		from: from, to: from.AddDate(0, 1, 0), reps: int(sum.Counts.Reps)}
	reps, err := reportReps(a.org)(t.admin)
	if err != nil {
		return nil, err
	}
	for _, r := range reps {
		t.repIDs = append(t.repIDs, r.ID)
	}
	return t, nil
}

func envInt(k string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(k)); err == nil && n > 0 {
		return n
	}
	return def
}

// floorRow is one rep's aggregates as the hand-written query gives them.
type floorRow struct {
	RepID                                            uuid.UUID
	Visits, CheckIns, Verified, VisitSeconds         float64
	CustomersVisited                                 int
	Calls, Answered, Outbound, AnsweredOut, CallSecs int
	Orders                                           int
	Revenue, Collected                               string
}

// floorSQL computes, per rep, what the report's sources compute from the big tables, in one
// statement: visits (closed, not rejected), check-ins and verified ones, visit time, customers
// visited; calls, answered, outbound, answered outbound, seconds; orders approved and not
// cancelled, their revenue, and payments received for the orders falling due. It skips what
// is cheap or not expressible in plain SQL (the cadence's customers due, distribution, pipeline,
// scoring, ranks, commissions), so it is a floor, not a second implementation.
const floorSQL = `
WITH reps AS (
	SELECT ur.user_id AS rep_id FROM user_roles ur WHERE ur.role = 'rep'
), v AS (
	SELECT rep_id, COUNT(*) FILTER (WHERE review_status <> 'rejected') AS visits,
		COUNT(*) FILTER (WHERE source = 'checkin') AS check_ins,
		COUNT(*) FILTER (WHERE source = 'checkin' AND (review_status = 'accepted' OR (trusted AND review_status <> 'rejected'))) AS verified,
		COALESCE(SUM(EXTRACT(EPOCH FROM ended_at - started_at)) FILTER (WHERE review_status <> 'rejected'), 0) AS visit_seconds,
		COUNT(DISTINCT customer_id) AS customers_visited
	FROM visits WHERE started_at >= @from AND started_at < @to AND status = 'closed' GROUP BY rep_id
), c AS (
	SELECT owner_id AS rep_id, COUNT(*) AS calls,
		COUNT(*) FILTER (WHERE outcome = 'answered') AS answered,
		COUNT(*) FILTER (WHERE direction = 'out') AS outbound,
		COUNT(*) FILTER (WHERE direction = 'out' AND outcome = 'answered') AS answered_out,
		COALESCE(SUM(duration_s) FILTER (WHERE outcome = 'answered'), 0) AS call_secs
	FROM activities WHERE kind = 'call' AND occurred_at >= @from AND occurred_at < @to GROUP BY owner_id
), o AS (
	SELECT owner_id AS rep_id, COUNT(*) AS orders, SUM(total) AS revenue
	FROM orders WHERE status <> 'cancelled' AND approved_at >= @from AND approved_at < @to GROUP BY owner_id
), p AS (
	SELECT o.owner_id AS rep_id, SUM(p.amount) AS collected
	FROM orders o JOIN payments p ON p.tenant_id = o.tenant_id AND p.order_id = o.id
	WHERE o.status <> 'cancelled' AND o.due_on >= @from_day AND o.due_on < @to_day AND p.received_at < @to
	GROUP BY o.owner_id
)
SELECT reps.rep_id, COALESCE(v.visits, 0) AS visits, COALESCE(v.check_ins, 0) AS check_ins, COALESCE(v.verified, 0) AS verified,
	COALESCE(v.visit_seconds, 0) AS visit_seconds, COALESCE(v.customers_visited, 0) AS customers_visited,
	COALESCE(c.calls, 0) AS calls, COALESCE(c.answered, 0) AS answered, COALESCE(c.outbound, 0) AS outbound,
	COALESCE(c.answered_out, 0) AS answered_out, COALESCE(c.call_secs, 0) AS call_secs,
	COALESCE(o.orders, 0) AS orders, COALESCE(o.revenue, 0)::text AS revenue, COALESCE(p.collected, 0)::text AS collected
FROM reps LEFT JOIN v USING (rep_id) LEFT JOIN c USING (rep_id) LEFT JOIN o USING (rep_id) LEFT JOIN p USING (rep_id)`

func (t *benchTenant) floor(b *testing.B) []floorRow {
	var rows []floorRow
	args := map[string]any{"from": t.from.UTC(), "to": t.to.UTC(),
		"from_day": t.from.Format(time.DateOnly), "to_day": t.to.Format(time.DateOnly)}
	err := t.app.store.Tx(identity.System(context.Background(), t.tenant), func(_ context.Context, db *gorm.DB) error {
		// A lone query, the floor may have PostgreSQL's parallel workers, which the product's
		// connections do without (see store.Open): it stays the fastest this SQL can be.
		if err := db.Exec("SET LOCAL max_parallel_workers_per_gather = 2").Error; err != nil {
			return err
		}
		return db.Raw(floorSQL, args).Scan(&rows).Error
	})
	if err != nil {
		b.Fatal(err)
	}
	return rows
}

// watchHeap samples the Go heap in use until the returned function is called, which answers the
// peak in MiB.
func watchHeap() func() float64 {
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		var m runtime.MemStats
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() float64 {
		close(done)
		<-stopped
		return float64(peak.Load()) / (1 << 20)
	}
}
