package orders

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/money"
)

// The collection rate of June 2026 in Shanghai drills down to the orders falling due in it, each
// with what was collected before the month ended: due days are the tenant's (an order approved at
// 00:30 on 22 May in Shanghai, 16:30 on 21 May in UTC, with 10 days' terms, is due on 1 June),
// a cancelled order falls due no more, and a payment at the month's last instant counts where one
// at its end does not.
func TestCollectionRateDrillsDownToTheOrdersDue(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	w.zone = shanghai
	f := w.tenant(t, "acme")
	from, to := time.Date(2026, 6, 1, 0, 0, 0, 0, shanghai), time.Date(2026, 7, 1, 0, 0, 0, 0, shanghai)
	order := func(customer, rep, approver string, approved time.Time, qty string) Order {
		t.Helper()
		svc, terms := w.at(approved), 10
		o, _, err := svc.CreateOrder(f.as(t, rep), NewOrder{CustomerID: f.customers[customer], Currency: "CNY", PaymentTermsDays: &terms,
			Lines: []LineInput{f.line("COLA-330", qty)}})
		if err != nil {
			t.Fatal(err)
		}
		f.step(t, svc, rep, o.ID, Submitted)
		return f.step(t, svc, approver, o.ID, Approved)
	}
	pay := func(o Order, amount string, at time.Time) {
		t.Helper()
		_, _, _, err := w.at(to.AddDate(0, 0, 5)).RecordPayment(f.as(t, "admin"), o.ID, NewPayment{ID: identity.NewID(), Amount: dec(amount), ReceivedAt: at, Method: MethodCash})
		if err != nil {
			t.Fatal(err)
		}
	}
	utc := func(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, time.UTC) }
	order("Jinan One", "rep.jinan.1", "mgr.shandong", utc(5, 21, 15, 30), "1") // due 31 May in Shanghai
	first := order("Jinan One", "rep.jinan.1", "mgr.shandong", utc(5, 21, 16, 30), "10")
	pay(first, "20.00", to.Add(-time.Second))
	pay(first, "10.00", to)
	last := order("Jinan One", "rep.jinan.1", "mgr.shandong", utc(6, 20, 2, 0), "4")      // due 30 June
	order("Jinan One", "rep.jinan.1", "mgr.shandong", utc(6, 20, 16, 0), "2")             // due 1 July in Shanghai
	cancelled := order("Jinan One", "rep.jinan.1", "mgr.shandong", utc(5, 25, 2, 0), "3") // due 4 June
	if _, err := w.at(utc(5, 26, 2, 0)).Transition(f.as(t, "rep.jinan.1"), cancelled.ID, Cancelled, "duplicate"); err != nil {
		t.Fatal(err)
	}
	order("Jinan Two", "rep.jinan.2", "mgr.shandong", utc(6, 1, 2, 0), "5")
	order("Canton Store", "rep.guangdong", "mgr.guangdong", utc(6, 1, 2, 0), "6")

	list := func(key, rep string, from, to time.Time) map[uuid.UUID]OrderDTO {
		t.Helper()
		q := url.Values{"owner_id": {f.users[rep].ID.String()}, "due_from": {from.UTC().Format(time.RFC3339)},
			"due_to": {to.UTC().Format(time.RFC3339)}, "limit": {"1"}}
		out := map[uuid.UUID]OrderDTO{}
		for {
			page := must[OrderPageDTO](t, f, key, http.MethodGet, "/api/v1/orders?"+q.Encode(), nil, http.StatusOK)
			for _, o := range page.Orders {
				out[o.ID] = o
			}
			if page.NextCursor == nil {
				return out
			}
			q.Set("cursor", page.NextCursor.String())
		}
	}
	got := list("mgr.shandong", "rep.jinan.1", from, to)
	collected := map[uuid.UUID]string{}
	due, paid := decimal.Zero, decimal.Zero
	for id, o := range got {
		if o.Collected == nil {
			t.Fatalf("order %s shows nothing collected", id)
		}
		collected[id] = *o.Collected
		due, paid = due.Add(dec(o.Total)), paid.Add(dec(*o.Collected))
	}
	if want := map[uuid.UUID]string{first.ID: "20.00", last.ID: "0.00"}; len(collected) != 2 || collected[first.ID] != want[first.ID] || collected[last.ID] != want[last.ID] {
		t.Errorf("orders due with what was collected: %v, want %v", collected, want)
	}
	ms, err := w.svc.Metrics(f.as(t, "mgr.shandong"), MetricsQuery{From: from, To: to, RepIDs: []uuid.UUID{f.users["rep.jinan.1"].ID}})
	if err != nil || len(ms) != 1 {
		t.Fatalf("metrics: %+v, %v", ms, err)
	}
	if m := ms[0]; money.Format(m.Due["CNY"], "CNY") != money.Format(due, "CNY") || money.Format(m.Collected["CNY"], "CNY") != money.Format(paid, "CNY") {
		t.Errorf("the figure: %v collected of %v due; the list: %v of %v", m.Collected, m.Due, paid, due)
	}
	// A colleague sees none of them, nor the Shandong manager Guangdong's.
	if got := list("rep.jinan.2", "rep.jinan.1", from, to); len(got) != 0 {
		t.Errorf("rep.jinan.2 lists rep.jinan.1's orders due: %v", got)
	}
	if got := list("mgr.shandong", "rep.guangdong", from, to); len(got) != 0 {
		t.Errorf("mgr.shandong lists rep.guangdong's orders due: %v", got)
	}
	if got := list("mgr.guangdong", "rep.guangdong", from, to); len(got) != 1 {
		t.Errorf("mgr.guangdong lists %d of rep.guangdong's orders due, want 1", len(got))
	}
	status, raw := f.call(t, "mgr.shandong", http.MethodGet, "/api/v1/orders?due_from="+url.QueryEscape(to.Format(time.RFC3339))+
		"&due_to="+url.QueryEscape(from.Format(time.RFC3339)), nil)
	if status != http.StatusBadRequest {
		t.Errorf("due_to before due_from: %d %s", status, raw)
	}
}
