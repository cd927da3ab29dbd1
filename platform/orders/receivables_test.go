package orders

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
)

// Receivables in a tenant on Shanghai time. Everything is approved at 2026-03-01 20:00 UTC, which
// is already 2 March in Shanghai, so due days count from 2 March; the list is read at
// 2026-04-06 01:00 UTC, 6 April in Shanghai.
func TestOverdueReceivables(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	w.zone = shanghai
	f := w.tenant(t, "acme")
	approvedAt := time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC)
	svc := w.at(approvedAt)
	order := func(customer, rep, manager string, terms int) Order {
		t.Helper()
		o, _, err := svc.CreateOrder(f.as(t, rep), NewOrder{CustomerID: f.customers[customer], Currency: "CNY", PaymentTermsDays: &terms,
			Lines: []LineInput{f.line("COLA-330", "10")}}) // 35.00
		if err != nil {
			t.Fatal(err)
		}
		f.step(t, svc, rep, o.ID, Submitted)
		return f.step(t, svc, manager, o.ID, Approved)
	}
	pay := func(o Order, amount string) {
		t.Helper()
		if _, _, _, err := svc.RecordPayment(f.as(t, "admin"), o.ID, NewPayment{ID: identity.NewID(), Amount: dec(amount), Method: MethodCash}); err != nil {
			t.Fatal(err)
		}
	}
	partPaid := order("Jinan One", "rep.jinan.1", "mgr.shandong", 30)    // due 2 Mar + 30 = 1 Apr: 5 days overdue
	pay(partPaid, "10.00")                                               // 35.00 − 10.00 = 25.00 owed
	unpaid := order("Jinan One", "rep.jinan.1", "mgr.shandong", 10)      // due 12 Mar: 25 days overdue
	otherRep := order("Jinan Two", "rep.jinan.2", "mgr.shandong", 30)    // due 1 Apr: 5 days overdue
	order("Jinan One", "rep.jinan.1", "mgr.shandong", 60)                // due 1 May: not yet
	canton := order("Canton Store", "rep.guangdong", "mgr.guangdong", 5) // due 7 Mar: 30 days overdue
	settled := order("Jinan One", "rep.jinan.1", "mgr.shandong", 0)      // due 2 Mar, but paid in full
	f.step(t, svc, "rep.jinan.1", settled.ID, Shipped)
	f.step(t, svc, "rep.jinan.1", settled.ID, Delivered)
	pay(settled, "35.00")
	cancelled := order("Jinan One", "rep.jinan.1", "mgr.shandong", 0)
	if _, err := svc.Transition(f.as(t, "rep.jinan.1"), cancelled.ID, Cancelled, "customer closed"); err != nil {
		t.Fatal(err)
	}

	w.serve(w.at(time.Date(2026, 4, 6, 1, 0, 0, 0, time.UTC)))
	type row struct {
		ID      uuid.UUID
		Balance string
		Days    int
	}
	list := func(key, query string) ([]row, *uuid.UUID) {
		t.Helper()
		page := must[OverdueReceivablesDTO](t, f, key, http.MethodGet, "/api/v1/receivables/overdue"+query, nil, http.StatusOK)
		var out []row
		for _, r := range page.Receivables {
			out = append(out, row{r.Order.ID, r.Balance, r.DaysOverdue})
		}
		return out, page.NextCursor
	}
	all := []row{{canton.ID, "35.00", 30}, {unpaid.ID, "35.00", 25}, {partPaid.ID, "25.00", 5}, {otherRep.ID, "35.00", 5}}
	for _, c := range []struct {
		key  string
		want []row
	}{
		{"admin", all},
		{"rep.jinan.1", []row{all[1], all[2]}},
		{"rep.jinan.2", []row{all[3]}},
		{"mgr.shandong", all[1:]},
		{"mgr.guangdong", all[:1]},
	} {
		got, _ := list(c.key, "")
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("%s sees (-want +got):\n%s", c.key, d)
		}
	}
	first, next := list("admin", "?limit=2")
	if next == nil {
		t.Fatal("no cursor after the first page")
	}
	second, last := list("admin", "?limit=2&cursor="+next.String())
	if d := cmp.Diff(all, append(first, second...)); d != "" || last != nil {
		t.Errorf("paged (-want +got):\n%s", d)
	}
	if got, _ := list("admin", "?owner_id="+f.users["rep.jinan.2"].ID.String()); len(got) != 1 || got[0].ID != otherRep.ID {
		t.Errorf("filtered by rep: %+v", got)
	}
	// The due day is Shanghai's: 2 March + 30 days, not 1 March (the UTC day of the approval).
	if got := must[OrderDTO](t, f, "admin", http.MethodGet, "/api/v1/orders/"+partPaid.ID.String(), nil, http.StatusOK); got.DueOn == nil || *got.DueOn != "2026-04-01" {
		t.Errorf("due on %v, want 2026-04-01", got.DueOn)
	}
}
