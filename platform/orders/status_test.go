package orders

import (
	"net/http"
	"strings"
	"testing"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web/webtest"
)

// reach makes an order of Jinan One (10 cans of cola, 35.00 CNY) and takes it to status s.
func (f *tenantFixture) reach(t *testing.T, s Status) Order {
	t.Helper()
	svc := f.w.svc
	o := f.draft(t, svc, "Jinan One", f.line("COLA-330", "10"))
	path := map[Status][]Status{
		Draft:     {},
		Submitted: {Submitted},
		Approved:  {Submitted, Approved},
		Shipped:   {Submitted, Approved, Shipped},
		Delivered: {Submitted, Approved, Shipped, Delivered},
		Paid:      {Submitted, Approved, Shipped, Delivered},
		Cancelled: {Cancelled},
	}[s]
	for _, to := range path {
		who := "rep.jinan.1"
		if to == Approved {
			who = "mgr.shandong"
		}
		o = f.step(t, svc, who, o.ID, to)
	}
	if s == Paid {
		var err error
		if o, _, _, err = svc.RecordPayment(f.as(t, "rep.jinan.1"), o.ID, NewPayment{ID: identity.NewID(), Amount: dec("35"), Method: MethodCash}); err != nil {
			t.Fatal(err)
		}
	}
	if o.Status != s {
		t.Fatalf("reached %s, want %s", o.Status, s)
	}
	return o
}

// Every pair of statuses, through the API: the steps of the machine succeed, every other one is
// a 409 naming where the order is and where it may go, and changes nothing.
func TestStateMachineEveryTransition(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	for _, from := range Statuses {
		for _, to := range Statuses {
			t.Run(string(from)+"→"+string(to), func(t *testing.T) {
				o := f.reach(t, from)
				path := "/api/v1/orders/" + o.ID.String()
				history := len(must[OrderTransitionsDTO](t, f, "admin", http.MethodGet, path+"/transitions", nil, http.StatusOK).Transitions)
				who := "rep.jinan.1"
				if to == Approved {
					who = "mgr.shandong"
				}
				status, raw := f.call(t, who, http.MethodPost, path+"/transitions", map[string]any{"to": to, "comment": "because"})
				switch {
				case CanGo(from, to) && to != Paid:
					got := webtest.Decode[OrderDTO](t, raw)
					if status != http.StatusOK || got.Status != string(to) {
						t.Fatalf("allowed step: %d %s", status, raw)
					}
					after := must[OrderTransitionsDTO](t, f, "admin", http.MethodGet, path+"/transitions", nil, http.StatusOK).Transitions
					last := after[len(after)-1]
					if len(after) != history+1 || last.To != string(to) || last.From == nil || *last.From != string(from) ||
						last.Comment != "because" || last.ActorID != f.users[who].ID {
						t.Fatalf("history after %s→%s: %+v", from, to, after)
					}
					return
				case from == Delivered && to == Paid:
					webtest.WantError(t, status, raw, http.StatusConflict, "paid_by_payments", "body.to")
				default:
					webtest.WantError(t, status, raw, http.StatusConflict, "invalid_transition", "body.to")
					msg := webtest.Decode[webtest.Error](t, raw).Error.Message
					if !strings.Contains(msg, "the order is "+string(from)) {
						t.Errorf("message %q does not name the current status %s", msg, from)
					}
					for _, n := range from.Next() {
						if !strings.Contains(msg, string(n)) {
							t.Errorf("message %q does not name the allowed next status %s", msg, n)
						}
					}
					if len(from.Next()) == 0 && !strings.Contains(msg, "final") {
						t.Errorf("message %q does not say %s is final", msg, from)
					}
				}
				got := must[OrderDTO](t, f, "admin", http.MethodGet, path, nil, http.StatusOK)
				after := must[OrderTransitionsDTO](t, f, "admin", http.MethodGet, path+"/transitions", nil, http.StatusOK).Transitions
				if got.Status != string(from) || len(after) != history {
					t.Errorf("refused step changed the order: status %s, %d transitions (was %d)", got.Status, len(after), history)
				}
			})
		}
	}
}

// Who may approve: the manager of the region, not the order's rep (no right), not a manager
// elsewhere (cannot see it), not HQ (reads only), not whoever created the order.
func TestApprovalRights(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	submitted := func(creator string) string {
		o, _, err := w.svc.CreateOrder(f.as(t, creator), NewOrder{CustomerID: f.customers["Jinan One"], Currency: "CNY",
			Lines: []LineInput{f.line("COLA-330", "1")}})
		if err != nil {
			t.Fatal(err)
		}
		f.step(t, w.svc, "rep.jinan.1", o.ID, Submitted)
		return "/api/v1/orders/" + o.ID.String() + "/transitions"
	}
	approve := map[string]any{"to": "approved"}
	path := submitted("rep.jinan.1")
	for _, c := range []struct {
		who    string
		status int
		code   string
	}{
		{"rep.jinan.1", http.StatusForbidden, "forbidden"},
		{"rep.jinan.2", http.StatusNotFound, "not_found"},
		{"mgr.guangdong", http.StatusNotFound, "not_found"},
		{"analyst", http.StatusForbidden, "forbidden"},
	} {
		status, raw := f.call(t, c.who, http.MethodPost, path, approve)
		webtest.WantError(t, status, raw, c.status, c.code, "")
	}
	got := must[OrderDTO](t, f, "mgr.shandong", http.MethodPost, path, approve, http.StatusOK)
	if got.Status != "approved" || got.ApprovedAt == nil || got.DueOn == nil {
		t.Fatalf("manager approves: %+v", got)
	}
	// The due day is the approval day plus the default 30 days of terms.
	if want := got.ApprovedAt.UTC().AddDate(0, 0, 30).Format("2006-01-02"); *got.DueOn != want {
		t.Errorf("due on %s, want %s", *got.DueOn, want)
	}

	// A manager who typed in the order cannot approve it too.
	path = submitted("mgr.shandong")
	status, raw := f.call(t, "mgr.shandong", http.MethodPost, path, approve)
	webtest.WantError(t, status, raw, http.StatusForbidden, "own_order", "")
	must[OrderDTO](t, f, "admin", http.MethodPost, path, approve, http.StatusOK)
}

func TestTransitionRules(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	// A draft without lines cannot be submitted.
	empty := f.draft(t, w.svc, "Jinan One")
	status, raw := f.call(t, "rep.jinan.1", http.MethodPost, "/api/v1/orders/"+empty.ID.String()+"/transitions", map[string]any{"to": "submitted"})
	webtest.WantError(t, status, raw, http.StatusConflict, "no_lines", "")
	// Cancelling says why.
	status, raw = f.call(t, "rep.jinan.1", http.MethodPost, "/api/v1/orders/"+empty.ID.String()+"/transitions", map[string]any{"to": "cancelled"})
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_input", "body.comment")
	// An approved order with money received cannot be cancelled.
	o := f.reach(t, Approved)
	if _, _, _, err := w.svc.RecordPayment(f.as(t, "rep.jinan.1"), o.ID, NewPayment{ID: identity.NewID(), Amount: dec("5"), Method: MethodCash}); err != nil {
		t.Fatal(err)
	}
	status, raw = f.call(t, "rep.jinan.1", http.MethodPost, "/api/v1/orders/"+o.ID.String()+"/transitions", map[string]any{"to": "cancelled", "comment": "changed mind"})
	webtest.WantError(t, status, raw, http.StatusConflict, "has_payments", "")
	// A rep cannot move another rep's order, a tenant cannot see another's.
	status, raw = f.call(t, "rep.jinan.2", http.MethodPost, "/api/v1/orders/"+o.ID.String()+"/transitions", map[string]any{"to": "shipped"})
	webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
	other := w.tenant(t, "beta")
	status, raw = other.call(t, "admin", http.MethodPost, "/api/v1/orders/"+o.ID.String()+"/transitions", map[string]any{"to": "shipped"})
	webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
}
