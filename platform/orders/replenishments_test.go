package orders

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/platform/web/webtest"
)

// sellers are who takes and who approves a fixture customer's orders.
var sellers = map[string][2]string{
	"Jinan One":    {"rep.jinan.1", "mgr.shandong"},
	"Jinan Two":    {"rep.jinan.2", "mgr.shandong"},
	"Qingdao Port": {"rep.qingdao", "mgr.shandong"},
	"Canton Store": {"rep.guangdong", "mgr.guangdong"},
}

// orderOn takes an order for customer at instant at, which makes at's day (in the world's zone)
// the order's day, and has its manager approve it at the same instant.
func (f *tenantFixture) orderOn(t *testing.T, customer string, at time.Time) Order {
	t.Helper()
	return f.orderBy(t, customer, sellers[customer], at)
}

// orderBy is orderOn with the rep who takes the order and the manager who approves it.
func (f *tenantFixture) orderBy(t *testing.T, customer string, by [2]string, at time.Time) Order {
	t.Helper()
	svc := f.w.at(at)
	o, _, err := svc.CreateOrder(f.as(t, by[0]), NewOrder{CustomerID: f.customers[customer], Currency: "CNY",
		Lines: []LineInput{f.line("COLA-330", "10")}})
	if err != nil {
		t.Fatalf("order for %s: %v", customer, err)
	}
	f.step(t, svc, by[0], o.ID, Submitted)
	return f.step(t, svc, by[1], o.ID, Approved)
}

func shanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// Customers due to reorder in a tenant on Shanghai time, read at 2026-03-30 02:00 there (still 29
// March in UTC). Orders are taken at 10:00 Shanghai time unless said otherwise.
//
//   - Jinan One: 1, 8, 22 March and 29 March at 00:30 (28 March in UTC). Intervals 7, 14, 7:
//     median 7, deviations 0, 7, 0, spread 0. Predicted 29 March + 7 = 5 April: in 6 days. (With
//     UTC days the last interval would be 6 and the prediction 4 April.)
//   - Jinan Two: 2, 12, 22 March; one on 25 March approved then cancelled, one on 27 March only
//     submitted: neither counts. Intervals 10, 10: predicted 1 April, in 2 days.
//   - Qingdao Port: 10 and 20 March: two order days, no prediction.
//   - Canton Store: 1 Feb, 13 Feb, 1 March. Intervals 12, 16: median 14, deviations 2, 2,
//     spread 2. Predicted 15 March: 15 days overdue.
func TestDueReplenishments(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.zone = shanghai(t)
	f := w.tenant(t, "acme")
	on := func(m time.Month, day int) time.Time { return time.Date(2026, m, day, 10, 0, 0, 0, w.zone) }
	for _, day := range []int{1, 8, 22} {
		f.orderOn(t, "Jinan One", on(time.March, day))
	}
	f.orderOn(t, "Jinan One", time.Date(2026, time.March, 29, 0, 30, 0, 0, w.zone))
	for _, day := range []int{2, 12, 22} {
		f.orderOn(t, "Jinan Two", on(time.March, day))
	}
	cancelled := f.orderOn(t, "Jinan Two", on(time.March, 25))
	f.step(t, w.at(on(time.March, 26)), "rep.jinan.2", cancelled.ID, Cancelled)
	pending := f.draft(t, w.at(on(time.March, 27)), "Jinan Two", f.line("COLA-330", "1"))
	f.step(t, w.svc, "rep.jinan.2", pending.ID, Submitted)
	f.orderOn(t, "Qingdao Port", on(time.March, 10))
	f.orderOn(t, "Qingdao Port", on(time.March, 20))
	f.orderOn(t, "Canton Store", on(time.February, 1))
	f.orderOn(t, "Canton Store", on(time.February, 13))
	f.orderOn(t, "Canton Store", on(time.March, 1))

	w.serve(w.at(time.Date(2026, time.March, 30, 2, 0, 0, 0, w.zone)))
	one := ReplenishmentDTO{CustomerID: f.customers["Jinan One"], OwnerID: f.users["rep.jinan.1"].ID, LastOrderDay: "2026-03-29",
		TypicalIntervalDays: 7, SpreadDays: 0, PredictedDay: "2026-04-05", DaysUntil: 6, OrdersUsed: 4}
	two := ReplenishmentDTO{CustomerID: f.customers["Jinan Two"], OwnerID: f.users["rep.jinan.2"].ID, LastOrderDay: "2026-03-22",
		TypicalIntervalDays: 10, SpreadDays: 0, PredictedDay: "2026-04-01", DaysUntil: 2, OrdersUsed: 3}
	canton := ReplenishmentDTO{CustomerID: f.customers["Canton Store"], OwnerID: f.users["rep.guangdong"].ID, LastOrderDay: "2026-03-01",
		TypicalIntervalDays: 14, SpreadDays: 2, PredictedDay: "2026-03-15", DaysUntil: -15, OrdersUsed: 3}
	for _, c := range []struct {
		who, query string
		want       []ReplenishmentDTO
	}{
		{"admin", "", []ReplenishmentDTO{canton, two, one}}, // within 7 days by default
		{"analyst", "?within_days=7", []ReplenishmentDTO{canton, two, one}},
		{"admin", "?within_days=5", []ReplenishmentDTO{canton, two}},
		{"admin", "?within_days=0", []ReplenishmentDTO{canton}}, // only what is overdue (or due today)
		{"mgr.shandong", "", []ReplenishmentDTO{two, one}},
		{"mgr.guangdong", "", []ReplenishmentDTO{canton}},
		{"rep.jinan.1", "", []ReplenishmentDTO{one}},
		{"rep.jinan.2", "", []ReplenishmentDTO{two}},
		{"rep.qingdao", "?within_days=90", []ReplenishmentDTO{}},
	} {
		got := must[ReplenishmentsDTO](t, f, c.who, http.MethodGet, "/api/v1/replenishments"+c.query, nil, http.StatusOK)
		if d := cmp.Diff(c.want, got.Replenishments); d != "" {
			t.Errorf("%s%s (-want +got):\n%s", c.who, c.query, d)
		}
	}
	for _, q := range []string{"?within_days=91", "?within_days=-1"} {
		status, raw := f.call(t, "admin", http.MethodGet, "/api/v1/replenishments"+q, nil)
		webtest.WantError(t, status, raw, http.StatusUnprocessableEntity, "", "query.within_days")
	}
	other := w.tenant(t, "beta")
	if got := must[ReplenishmentsDTO](t, other, "admin", http.MethodGet, "/api/v1/replenishments?within_days=90", nil, http.StatusOK); len(got.Replenishments) != 0 {
		t.Errorf("another tenant sees %+v", got.Replenishments)
	}
}

// A customer belongs to the list of the rep of its latest order: handed to another rep, it leaves
// the first rep's list with the new rep's first order, and the prediction keeps the history.
func TestReplenishmentFollowsTheLatestOrder(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	shop := f.customers["Jinan One"]
	for _, day := range []int{1, 8} {
		f.orderOn(t, "Jinan One", time.Date(2026, time.March, day, 10, 0, 0, 0, time.UTC))
	}
	newRep := f.users["rep.jinan.2"].ID
	if _, err := w.visits.UpdateCustomer(f.as(t, "admin"), shop, visits.CustomerChanges{OwnerID: &newRep}); err != nil {
		t.Fatal(err)
	}
	f.orderBy(t, "Jinan One", [2]string{"rep.jinan.2", "mgr.shandong"}, time.Date(2026, time.March, 15, 10, 0, 0, 0, time.UTC))

	w.serve(w.at(time.Date(2026, time.March, 20, 10, 0, 0, 0, time.UTC)))
	list := func(who string) []ReplenishmentDTO {
		return must[ReplenishmentsDTO](t, f, who, http.MethodGet, "/api/v1/replenishments", nil, http.StatusOK).Replenishments
	}
	if got := list("rep.jinan.1"); len(got) != 0 {
		t.Errorf("the former rep still sees %+v", got)
	}
	// 1, 8, 15 March, two reps' orders: predicted 22 March, in 2 days.
	if got := list("rep.jinan.2"); len(got) != 1 || got[0].CustomerID != shop || got[0].PredictedDay != "2026-03-22" ||
		got[0].OwnerID != newRep || got[0].DaysUntil != 2 {
		t.Errorf("the new rep sees %+v, want the shop due 2026-03-22", got)
	}
}
