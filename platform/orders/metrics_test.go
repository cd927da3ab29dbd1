package orders

import (
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
		o, err := svc.CreateOrder(f.as(t, rep), NewOrder{CustomerID: f.customers[customer], Currency: currency, PaymentTermsDays: &terms, Lines: lines})
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
