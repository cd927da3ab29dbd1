package orders

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/money"
)

// The metrics of May 2026, worked by hand:
//
//	rep.jinan.1  A: 62.36 CNY approved 5 May, terms 10 → due 15 May; 50.00 paid 14 May, 12.36 on 3 June
//	             B: 35.00 CNY approved 20 May, terms 30 → due 19 June
//	             C:  7.00 CNY approved 6 May, then cancelled
//	             D: 28.80 CNY approved 10 Apr, terms 30 → due 10 May; 28.80 paid 9 May
//	rep.qingdao  E:  7.00 CNY approved 20 Apr, terms 15 → due 5 May; unpaid
//	             F: 20.00 USD approved 25 Apr, terms 10 → due 5 May; 20.00 paid 6 May
//
// rep.jinan.1: orders A, B = 2; revenue 62.36 + 35.00 = 97.36; due A + D = 62.36 + 28.80 = 91.16;
// collected 50.00 + 28.80 = 78.80 (the June payment is after the period); rate 78.80 / 91.16.
// rep.qingdao: no order approved in May; CNY 0/7.00 = 0 and USD 20/20 = 1, one order each, so
// the rate is (0 × 1 + 1 × 1) / 2 = 0.5.
// Distribution (shelfMay, SKUs cola and water): jinan.1 (1/1 + 1/1) / 2 = 1; jinan.2 (0/1 + 1/1)
// / 2 = 0.5; qingdao (0/1 + 0/1) / 2 = 0; guangdong had no store checked in May.
func TestMetrics(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	shelfMay(t, f)
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 0, 0, 0, time.UTC) }
	order := func(customer, rep, currency string, terms int, approved time.Time, lines ...LineInput) Order {
		t.Helper()
		svc := w.at(approved)
		o, _, err := svc.CreateOrder(f.as(t, rep), NewOrder{CustomerID: f.customers[customer], Currency: currency, PaymentTermsDays: &terms, Lines: lines})
		if err != nil {
			t.Fatal(err)
		}
		f.step(t, svc, rep, o.ID, Submitted)
		return f.step(t, svc, "mgr.shandong", o.ID, Approved)
	}
	pay := func(o Order, amount string, at time.Time) {
		t.Helper()
		_, _, _, err := w.at(day(time.June, 5)).RecordPayment(f.as(t, "admin"), o.ID, NewPayment{ID: identity.NewID(), Amount: dec(amount), ReceivedAt: at, Method: MethodCash})
		if err != nil {
			t.Fatal(err)
		}
	}
	water := f.line("WATER-500", "24")
	water.DiscountPct = dec("5")
	a := order("Jinan One", "rep.jinan.1", "CNY", 10, day(time.May, 5), f.line("COLA-330", "10"), water)
	pay(a, "50.00", day(time.May, 14))
	pay(a, "12.36", day(time.June, 3))
	order("Jinan One", "rep.jinan.1", "CNY", 30, day(time.May, 20), f.line("COLA-330", "10"))
	c := order("Jinan One", "rep.jinan.1", "CNY", 30, day(time.May, 6), f.line("COLA-330", "2"))
	if _, err := w.at(day(time.May, 7)).Transition(f.as(t, "rep.jinan.1"), c.ID, Cancelled, "duplicate"); err != nil {
		t.Fatal(err)
	}
	d := order("Jinan One", "rep.jinan.1", "CNY", 30, day(time.April, 10), f.line("WATER-500", "24"))
	pay(d, "28.80", day(time.May, 9))
	order("Qingdao Port", "rep.qingdao", "CNY", 15, day(time.April, 20), f.line("COLA-330", "2"))
	usd := order("Qingdao Port", "rep.qingdao", "USD", 10, day(time.April, 25), f.line("CHIPS-70", "5"))
	pay(usd, "20.00", day(time.May, 6))

	period := MetricsQuery{From: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	got, err := w.svc.Metrics(f.as(t, "admin"), period)
	if err != nil {
		t.Fatal(err)
	}
	byRep := map[uuid.UUID]RepMetrics{}
	for _, m := range got {
		byRep[m.RepID] = m
	}
	if len(got) != 4 {
		t.Fatalf("metrics for %d reps, want the 4 reps", len(got))
	}
	money := func(m map[string]decimal.Decimal) map[string]string {
		out := map[string]string{}
		for c, v := range m {
			out[c] = money.Format(v, c)
		}
		return out
	}
	j1 := byRep[f.users["rep.jinan.1"].ID]
	if j1.Orders != 2 || money(j1.Revenue)["CNY"] != "97.36" || money(j1.Due)["CNY"] != "91.16" || money(j1.Collected)["CNY"] != "78.80" {
		t.Errorf("rep.jinan.1: orders %d revenue %v due %v collected %v", j1.Orders, money(j1.Revenue), money(j1.Due), money(j1.Collected))
	}
	if want := 78.80 / 91.16; !near(j1.CollectionRate, want) {
		t.Errorf("rep.jinan.1 collection rate %v, want %v", j1.CollectionRate, want)
	}
	q := byRep[f.users["rep.qingdao"].ID]
	if q.Orders != 0 || len(q.Revenue) != 0 || money(q.Due)["USD"] != "20.00" || money(q.Collected)["CNY"] != "0.00" || !near(q.CollectionRate, 0.5) {
		t.Errorf("rep.qingdao: %+v", q)
	}
	for rep, want := range map[string]struct {
		covered int
		rate    float64
	}{"rep.jinan.1": {1, 1}, "rep.jinan.2": {1, 0.5}, "rep.qingdao": {1, 0}, "rep.guangdong": {0, 0}} {
		m := byRep[f.users[rep].ID]
		if m.StoresCovered != want.covered || !near(m.DistributionRate, want.rate) {
			t.Errorf("%s: %d stores covered, distribution %v; want %d, %v", rep, m.StoresCovered, m.DistributionRate, want.covered, want.rate)
		}
	}
	if j2 := byRep[f.users["rep.jinan.2"].ID]; j2.Orders != 0 || j2.CollectionRate != 1 {
		t.Errorf("rep.jinan.2 with nothing due: %+v", j2)
	}

	// A region's subtree, and a rep asking for everyone, narrow the reps.
	period.RegionPath = f.regions["Jinan"].Path
	if got, err = w.svc.Metrics(f.as(t, "admin"), period); err != nil || len(got) != 2 {
		t.Errorf("Jinan's reps: %d, %v", len(got), err)
	}
	period.RegionPath = ""
	got, err = w.svc.Metrics(f.as(t, "rep.jinan.1"), period)
	if err != nil || len(got) != 1 || got[0].RepID != f.users["rep.jinan.1"].ID || got[0].Orders != 2 {
		t.Errorf("rep.jinan.1 asks for all: %+v, %v", got, err)
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

// The edges of the period, worked by hand for May 2026 (UTC), rep.guangdong at Canton Store:
//
//	G1: 14.00 CNY approved at 1 May 00:00, the period's first instant, terms 0 → due 1 May;
//	    10.00 paid at 1 June 00:00, the period's end
//	G2:  7.00 CNY approved at 1 June 00:00, the period's end
//	G3: 12.00 USD approved 15 May, terms 0 → due 15 May; 12.00 paid 20 May
//	G4: 12.00 CNY approved 10 Apr, terms 21 → due 1 May; 5.00 paid 15 Apr, before the period
//	G5: 35.00 CNY approved 5 Apr, terms 30 → due 5 May, cancelled 6 Apr
//	G6:  3.50 CNY approved 20 May, terms 12 → due 1 June, the period's end
//
// and rep.jinan.1's J1: 7.00 CNY approved 2 May, terms 0, paid 3 May.
//
// rep.guangdong: orders G1, G3, G6 = 3; revenue 14.00 + 3.50 = 17.50 CNY and 12.00 USD; due G1 +
// G4 = 26.00 CNY and G3 = 12.00 USD; collected 5.00 CNY and 12.00 USD; rate (2 × 5/26 + 1 × 1) / 3.
// rep.jinan.1: 1 order, 7.00 revenue, due and collected: rate 1.
func TestMetricsEdges(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, time.UTC) }
	order := func(customer, rep, approver, currency string, terms int, approved time.Time, lines ...LineInput) Order {
		t.Helper()
		o, _, err := w.at(approved).CreateOrder(f.as(t, rep), NewOrder{CustomerID: f.customers[customer], Currency: currency, PaymentTermsDays: &terms, Lines: lines})
		if err != nil {
			t.Fatal(err)
		}
		f.step(t, w.at(approved), rep, o.ID, Submitted)
		return f.step(t, w.at(approved), approver, o.ID, Approved)
	}
	pay := func(o Order, amount string, received time.Time) {
		t.Helper()
		_, _, _, err := w.at(at(time.June, 5, 9)).RecordPayment(f.as(t, "admin"), o.ID, NewPayment{ID: identity.NewID(), Amount: dec(amount), ReceivedAt: received, Method: MethodCash})
		if err != nil {
			t.Fatal(err)
		}
	}
	canton := func(terms int, approved time.Time, currency string, lines ...LineInput) Order {
		t.Helper()
		return order("Canton Store", "rep.guangdong", "mgr.guangdong", currency, terms, approved, lines...)
	}
	g1 := canton(0, at(time.May, 1, 0), "CNY", f.line("COLA-330", "4"))
	pay(g1, "10.00", at(time.June, 1, 0))
	canton(0, at(time.June, 1, 0), "CNY", f.line("COLA-330", "2"))
	g3 := canton(0, at(time.May, 15, 9), "USD", f.line("CHIPS-70", "3"))
	pay(g3, "12.00", at(time.May, 20, 9))
	g4 := canton(21, at(time.April, 10, 9), "CNY", f.line("WATER-500", "10"))
	pay(g4, "5.00", at(time.April, 15, 9))
	g5 := canton(30, at(time.April, 5, 9), "CNY", f.line("COLA-330", "10"))
	if _, err := w.at(at(time.April, 6, 9)).Transition(f.as(t, "rep.guangdong"), g5.ID, Cancelled, "customer closed"); err != nil {
		t.Fatal(err)
	}
	canton(12, at(time.May, 20, 9), "CNY", f.line("COLA-330", "1"))
	j1 := order("Jinan One", "rep.jinan.1", "mgr.shandong", "CNY", 0, at(time.May, 2, 9), f.line("COLA-330", "2"))
	pay(j1, "7.00", at(time.May, 3, 9))

	may := MetricsQuery{From: at(time.May, 1, 0), To: at(time.June, 1, 0)}
	byRep := metricsByRep(t, f.as(t, "admin"), w.svc, may)
	g := byRep[f.users["rep.guangdong"].ID]
	if g.Orders != 3 || !sameAmounts(g.Revenue, "CNY", "17.50", "USD", "12.00") || !sameAmounts(g.Due, "CNY", "26.00", "USD", "12.00") ||
		!sameAmounts(g.Collected, "CNY", "5.00", "USD", "12.00") {
		t.Errorf("rep.guangdong: orders %d revenue %v due %v collected %v", g.Orders, g.Revenue, g.Due, g.Collected)
	}
	if want := (2*5.0/26 + 1) / 3; !near(g.CollectionRate, want) {
		t.Errorf("rep.guangdong collection rate %v, want %v", g.CollectionRate, want)
	}
	j := byRep[f.users["rep.jinan.1"].ID]
	if j.Orders != 1 || !sameAmounts(j.Revenue, "CNY", "7.00") || !sameAmounts(j.Due, "CNY", "7.00") ||
		!sameAmounts(j.Collected, "CNY", "7.00") || j.CollectionRate != 1 {
		t.Errorf("rep.jinan.1: %+v", j)
	}

	// A manager asking for both reps gets the one of their region only.
	reps := []uuid.UUID{f.users["rep.guangdong"].ID, f.users["rep.jinan.1"].ID}
	got, err := w.svc.Metrics(f.as(t, "mgr.shandong"), MetricsQuery{From: may.From, To: may.To, RepIDs: reps})
	if err != nil || len(got) != 1 || got[0].RepID != f.users["rep.jinan.1"].ID || got[0].Orders != 1 {
		t.Errorf("mgr.shandong asks for rep.guangdong and rep.jinan.1: %+v, %v", got, err)
	}
}

// TestMetricsAgreesWithOld holds Metrics to the implementation it replaced on generated data
// (see seedMetrics), for callers of every reach and for periods cut across days and zones.
func TestMetricsAgreesWithOld(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	d := seedMetrics(t, w, metricsSize{reps: 9, orders: 12, lines: 2, stores: 3, checks: 3, skus: 4})
	may := MetricsQuery{From: metricsMay, To: metricsJune}
	mid := MetricsQuery{From: metricsMay.AddDate(0, 0, 9).Add(7 * time.Hour), To: metricsMay.AddDate(0, 0, 20).Add(13 * time.Hour)}
	for _, c := range []struct {
		who string
		q   MetricsQuery
	}{
		{"admin", may},
		{"admin", MetricsQuery{From: may.From, To: may.To, RepIDs: d.reps[2:6]}},
		{"admin", MetricsQuery{From: may.From, To: may.To, RegionPath: d.f.regions["Shandong"].Path}},
		{"mgr.shandong", may},
		{"mgr.guangdong", mid},
		{"rep.0004", may},
	} {
		checkAgrees(t, d.f.as(t, c.who), w.svc, c.q)
	}
	w.zone = time.FixedZone("CST", 8*3600) // due days counted in the tenant's zone
	checkAgrees(t, d.f.as(t, "admin"), w.svc, may)
}

func metricsByRep(t *testing.T, ctx context.Context, svc *Service, q MetricsQuery) map[uuid.UUID]RepMetrics {
	t.Helper()
	got, err := svc.Metrics(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	out := map[uuid.UUID]RepMetrics{}
	for _, m := range got {
		out[m.RepID] = m
	}
	return out
}

// sameAmounts reports whether m holds exactly the currency, amount pairs given.
func sameAmounts(m map[string]decimal.Decimal, pairs ...string) bool {
	if len(m) != len(pairs)/2 {
		return false
	}
	for i := 0; i < len(pairs); i += 2 {
		if v, ok := m[pairs[i]]; !ok || !v.Equal(dec(pairs[i+1])) {
			return false
		}
	}
	return true
}
