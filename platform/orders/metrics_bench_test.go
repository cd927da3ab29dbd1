package orders

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
)

// metricsSize is the data BenchmarkMetrics and TestMetricsAgreesWithOld run on. Per rep: orders
// approved in May 2026 and as many in April (whose due days fall in April, May or June), each of
// lines lines; one order in twenty cancelled, payments (one or two, some after May) on half the
// others, one in ten in USD; stores stores, each checked once in April and checks times in May,
// listing nine SKUs in ten of skus.
type metricsSize struct {
	reps, orders, lines, stores, checks, skus int
}

// benchMetricsSize is 200 reps × 50 orders × 5 lines in May (10,000 orders and 50,000 lines; with
// April's, 20,000 and 100,000), some 12,000 payments, and 2,000 stores checked 6,000 times (4,000
// in May: one a rep a working day) listing 9 of 10 SKUs.
// REPFLOW_BENCH_REPS scales the reps, e.g. to the appraisal's 2,000 (100,000 orders in May).
func benchMetricsSize(tb testing.TB) metricsSize {
	size := metricsSize{reps: 200, orders: 50, lines: 5, stores: 10, checks: 2, skus: 10}
	if v := os.Getenv("REPFLOW_BENCH_REPS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			tb.Fatalf("REPFLOW_BENCH_REPS=%q: want a positive number", v)
		}
		size.reps = n
	}
	return size
}

var (
	metricsMay  = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	metricsJune = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
)

// metricsData is a seeded tenant: its reps, and the rows to insert.
type metricsData struct {
	f        *tenantFixture
	reps     []uuid.UUID
	regions  []uuid.UUID // of each rep
	products []uuid.UUID
	rng      *rand.Rand

	customers []benchCustomerRow
	orders    []orderRow
	lines     []lineRow
	payments  []paymentRow
	checks    []shelfCheckRow
	items     []shelfItemRow
}

// benchCustomerRow is what the customers table needs: the visits domain owns it, and its
// service would take minutes to create thousands of stores.
type benchCustomerRow struct {
	TenantID    uuid.UUID
	ID          uuid.UUID
	Name        string
	Grade       string
	OwnerID     uuid.UUID
	RegionID    uuid.UUID
	Lat, Lon    float64
	FenceKind   string
	FenceRadius float64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (benchCustomerRow) TableName() string { return "customers" }

// seedMetrics makes tenant "bench" in w with the reps, stores, orders, payments and shelf checks
// of size, inserted many rows a statement.
func seedMetrics(tb testing.TB, w *world, size metricsSize) *metricsData {
	tb.Helper()
	start := time.Now()
	d := &metricsData{f: w.tenant(tb, "bench"), rng: rand.New(rand.NewPCG(2026, 5))}
	d.addReps(tb, size)
	d.addProducts(tb, size)
	for r := range d.reps {
		stores := d.addStores(r, size)
		for _, month := range []time.Time{metricsMay.AddDate(0, -1, 0), metricsMay} {
			for range size.orders {
				d.addOrder(r, stores[d.rng.IntN(len(stores))], month, size)
			}
		}
		for _, store := range stores {
			d.addChecks(r, store, size)
		}
	}
	d.insert(tb)
	tb.Logf("seeded %d reps, %d stores, %d orders, %d lines, %d payments, %d shelf checks, %d items in %v",
		len(d.reps), len(d.customers), len(d.orders), len(d.lines), len(d.payments), len(d.checks), len(d.items),
		time.Since(start).Round(time.Millisecond))
	return d
}

// addReps spreads the reps over Jinan, Qingdao (both under mgr.shandong) and Guangdong.
func (d *metricsData) addReps(tb testing.TB, size metricsSize) {
	for i := range size.reps {
		key, region, manager := fmt.Sprintf("rep.%04d", i), "Guangdong", "mgr.guangdong"
		if i%3 != 2 {
			region, manager = []string{"Jinan", "Qingdao"}[i%3], "mgr.shandong"
		}
		d.f.user(tb, key, region, manager, identity.RoleRep)
		d.reps = append(d.reps, d.f.users[key].ID)
		d.regions = append(d.regions, d.f.regions[region].ID)
	}
}

func (d *metricsData) addProducts(tb testing.TB, size metricsSize) {
	for i := range size.skus {
		p, err := d.f.w.svc.CreateProduct(d.f.as(tb, "admin"), NewProduct{SKU: fmt.Sprintf("SKU-%03d", i),
			Name: fmt.Sprintf("Product %d", i), Unit: "case", ListPrice: dec("12.50"), Currency: "CNY", Active: true})
		if err != nil {
			tb.Fatal(err)
		}
		d.products = append(d.products, p.ID)
	}
}

func (d *metricsData) addStores(r int, size metricsSize) []uuid.UUID {
	var ids []uuid.UUID
	for i := range size.stores {
		c := benchCustomerRow{ID: identity.NewID(), Name: fmt.Sprintf("Store %d-%d", r, i), Grade: "B", OwnerID: d.reps[r],
			RegionID: d.regions[r], Lat: 36.66, Lon: 117.02, FenceKind: "circle", FenceRadius: 100,
			CreatedAt: metricsMay.AddDate(-1, 0, 0), UpdatedAt: metricsMay.AddDate(-1, 0, 0)}
		d.customers = append(d.customers, c)
		ids = append(ids, c.ID)
	}
	return ids
}

// addOrder adds an order of rep r approved in month, its lines and payments.
func (d *metricsData) addOrder(r int, store uuid.UUID, month time.Time, size metricsSize) {
	rng := d.rng
	approved := month.AddDate(0, 0, rng.IntN(30)).Add(time.Duration(8*60+rng.IntN(10*60)) * time.Minute)
	terms := []int{0, 7, 14, 30, 45}[rng.IntN(5)]
	due := approved.AddDate(0, 0, terms).Format(time.DateOnly)
	o := orderRow{ID: identity.NewID(), CustomerID: store, OwnerID: d.reps[r], RegionID: d.regions[r], Currency: "CNY",
		Status: string(Approved), PaymentTermsDays: terms, ApprovedAt: &approved, DueOn: &due, CreatedBy: d.reps[r],
		CreatedAt: approved.Add(-time.Hour), UpdatedAt: approved}
	if rng.IntN(10) == 0 {
		o.Currency = "USD"
	}
	for n := 1; n <= size.lines; n++ {
		net := decimal.New(int64(100+rng.IntN(50000)), -2)
		d.lines = append(d.lines, lineRow{OrderID: o.ID, LineNo: n, ProductID: d.products[rng.IntN(len(d.products))],
			Quantity: decimal.NewFromInt(1), UnitPrice: net, DiscountPct: decimal.Zero, Gross: net, Discount: decimal.Zero, Net: net})
		o.Total = o.Total.Add(net)
	}
	o.Gross = o.Total
	switch {
	case rng.IntN(20) == 0:
		o.Status = string(Cancelled)
	case rng.IntN(2) == 0:
		o.AmountPaid = d.addPayments(o, approved)
		if o.AmountPaid.Equal(o.Total) {
			o.Status = string(Paid)
		}
	default:
		o.Status = []string{string(Approved), string(Shipped), string(Delivered)}[rng.IntN(3)]
	}
	d.orders = append(d.orders, o)
}

// addPayments pays o in full, or half of it, in one or two payments up to 40 days after approval.
func (d *metricsData) addPayments(o orderRow, approved time.Time) decimal.Decimal {
	amounts := []decimal.Decimal{o.Total}
	if d.rng.IntN(2) == 0 {
		half := o.Total.Div(decimal.NewFromInt(2)).Round(2)
		amounts = []decimal.Decimal{half}
		if d.rng.IntN(2) == 0 {
			amounts = append(amounts, o.Total.Sub(half))
		}
	}
	paid := decimal.Zero
	for _, a := range amounts {
		at := approved.Add(time.Duration(d.rng.IntN(40*24)) * time.Hour)
		d.payments = append(d.payments, paymentRow{ID: identity.NewID(), OrderID: o.ID, Amount: a, ReceivedAt: at,
			Method: string(MethodCash), RecordedBy: o.OwnerID, CreatedAt: at})
		paid = paid.Add(a)
	}
	return paid
}

// addChecks checks store once in April and size.checks times in May; one May check in twenty is
// by the next rep (the store changed hands), one in twenty at the same moment as the one before.
func (d *metricsData) addChecks(r int, store uuid.UUID, size metricsSize) {
	at := metricsMay.AddDate(0, -1, d.rng.IntN(30)).Add(10 * time.Hour)
	for i := range size.checks + 1 {
		owner := r
		if i > 0 {
			if i == 1 || d.rng.IntN(20) != 0 {
				at = metricsMay.AddDate(0, 0, (i-1)*30/size.checks+d.rng.IntN(30/size.checks)).Add(time.Duration(8+d.rng.IntN(10)) * time.Hour)
			}
			if d.rng.IntN(20) == 0 {
				owner = (r + 1) % len(d.reps)
			}
		}
		c := shelfCheckRow{ID: identity.NewID(), CustomerID: store, OwnerID: d.reps[owner], RegionID: d.regions[owner],
			CheckedAt: at, CheckedBy: d.reps[owner], CreatedAt: at}
		d.checks = append(d.checks, c)
		for _, p := range d.products {
			if d.rng.IntN(10) != 0 {
				d.items = append(d.items, shelfItemRow{CheckID: c.ID, ProductID: p, Present: d.rng.IntN(10) < 7})
			}
		}
	}
}

// insert writes the rows in one transaction, a thousand a statement (under PostgreSQL's 65,535
// parameters for the widest row).
func (d *metricsData) insert(tb testing.TB) {
	ctx := identity.System(context.Background(), d.f.id)
	err := d.f.w.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		for _, rows := range []any{d.customers, d.orders, d.lines, d.payments, d.checks, d.items} {
			if err := db.CreateInBatches(rows, 1000).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("insert: %v", err)
	}
	// Plans are made from statistics, which a live database has and a bulk load lacks until
	// autovacuum comes by.
	if err := d.f.w.s.Owner(ctx).Exec("ANALYZE").Error; err != nil {
		tb.Fatalf("analyze: %v", err)
	}
}

// BenchmarkMetrics runs the appraisal's query, May 2026 for every rep by id as the tenant admin,
// with Metrics ("new") and the implementation it replaced ("old") on the same data, after
// checking that they agree. Size: benchMetricsSize. At some 65,000 orders due in the period the
// old one fails (its list of order ids passes PostgreSQL's 65,535 bind parameters): then only
// "new" runs.
func BenchmarkMetrics(b *testing.B) {
	w := newWorld(b)
	d := seedMetrics(b, w, benchMetricsSize(b))
	ctx := d.f.as(b, "admin")
	q := MetricsQuery{From: metricsMay, To: metricsJune, RepIDs: d.reps}
	got, err := w.svc.Metrics(ctx, q)
	if err != nil {
		b.Fatal(err)
	}
	want, oldErr := metricsOld(ctx, w.svc, q)
	if oldErr == nil {
		checkSame(b, got, want)
	}
	b.Run("new", func(b *testing.B) {
		for b.Loop() {
			if _, err := w.svc.Metrics(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("old", func(b *testing.B) {
		if oldErr != nil {
			b.Skipf("the old implementation fails at this size: %v", oldErr)
		}
		for b.Loop() {
			if _, err := metricsOld(ctx, w.svc, q); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// checkAgrees fails unless Metrics and metricsOld give the same figures for q.
func checkAgrees(tb testing.TB, ctx context.Context, svc *Service, q MetricsQuery) {
	tb.Helper()
	got, err := svc.Metrics(ctx, q)
	if err != nil {
		tb.Fatal(err)
	}
	want, err := metricsOld(ctx, svc, q)
	if err != nil {
		tb.Fatal(err)
	}
	checkSame(tb, got, want)
}

func checkSame(tb testing.TB, got, want []RepMetrics) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("metrics for %d reps, the old implementation %d", len(got), len(want))
	}
	for i := range want {
		if diff := metricsDiff(got[i], want[i]); diff != "" {
			tb.Errorf("rep %s: %s", want[i].RepID, diff)
		}
	}
}

// metricsDiff says how got differs from want: money exactly, rates to 1e-9.
func metricsDiff(got, want RepMetrics) string {
	sameMoney := func(a, b map[string]decimal.Decimal) bool {
		if len(a) != len(b) {
			return false
		}
		for c, v := range b {
			if w, ok := a[c]; !ok || !w.Equal(v) {
				return false
			}
		}
		return true
	}
	switch {
	case got.RepID != want.RepID || got.Orders != want.Orders || got.StoresCovered != want.StoresCovered:
		return fmt.Sprintf("got rep %s, %d orders, %d stores; want %s, %d, %d", got.RepID, got.Orders, got.StoresCovered,
			want.RepID, want.Orders, want.StoresCovered)
	case !sameMoney(got.Revenue, want.Revenue) || !sameMoney(got.Due, want.Due) || !sameMoney(got.Collected, want.Collected):
		return fmt.Sprintf("got revenue %v due %v collected %v; want %v, %v, %v", got.Revenue, got.Due, got.Collected,
			want.Revenue, want.Due, want.Collected)
	case !near(got.CollectionRate, want.CollectionRate) || !near(got.DistributionRate, want.DistributionRate):
		return fmt.Sprintf("got collection %v distribution %v; want %v, %v", got.CollectionRate, got.DistributionRate,
			want.CollectionRate, want.DistributionRate)
	}
	return ""
}
