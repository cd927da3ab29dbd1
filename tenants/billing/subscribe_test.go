package billing

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stripe/stripe-go/v76"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web/webtest"
)

// subscribe has the tenant admin go through checkout for seats seats and Stripe report the
// subscription active; it returns the customer and subscription ids.
func (h *harness) subscribe(t *testing.T, seats int) (customer, subscription string) {
	t.Helper()
	status, body := webtest.Call(t, h.srv, h.admin, http.MethodPost, "/api/v1/billing/checkout", map[string]int{"seats": seats})
	if status != http.StatusOK {
		t.Fatalf("checkout: %d %s", status, body)
	}
	customer, subscription = h.account(t).CustomerID, "sub_"+h.tenant.String()[:8]
	h.send(t, stripe.EventTypeCheckoutSessionCompleted, 0, checkoutObject("cs_1", customer, subscription, h.tenant.String()))
	h.send(t, stripe.EventTypeCustomerSubscriptionCreated, 0, subscriptionObject(subscription, customer, "active", seats, h.clock.Now().AddDate(0, 1, 0)))
	return customer, subscription
}

func TestCheckoutCreatesTheCustomerOnceAndASeatSubscription(t *testing.T) {
	h := newHarness(t, false)
	status, body := webtest.Call(t, h.srv, h.admin, http.MethodPost, "/api/v1/billing/checkout", map[string]int{"seats": 5})
	if status != http.StatusOK {
		t.Fatalf("checkout: %d %s", status, body)
	}
	if u := webtest.Decode[RedirectDTO](t, body).URL; !strings.HasPrefix(u, "https://") {
		t.Errorf("checkout URL %q, want Stripe's page", u)
	}
	calls := h.stripe.take()
	if len(calls) != 2 || calls[0].Path != "/v1/customers" || calls[1].Path != "/v1/checkout/sessions" {
		t.Fatalf("Stripe calls %+v, want a customer then a Checkout Session", calls)
	}
	tenant := h.tenant.String()
	if calls[0].IdempotencyKey != "repflow-customer-"+tenant || calls[0].Form.Get("metadata[tenant_id]") != tenant ||
		calls[0].Form.Get("name") != "ACME Ltd" {
		t.Errorf("customer request %+v", calls[0])
	}
	a := h.account(t)
	if !strings.HasPrefix(a.CustomerID, "cus_") || a.Status != statusNone || a.SubscriptionID != "" {
		t.Fatalf("account after checkout %+v", a)
	}
	got := calls[1].Form
	want := map[string]string{"mode": "subscription", "customer": a.CustomerID, "client_reference_id": tenant,
		"line_items[0][price]": testSeatPrice, "line_items[0][quantity]": "5", "success_url": h.svc.cfg.SuccessURL,
		"cancel_url": h.svc.cfg.CancelURL, "subscription_data[metadata][tenant_id]": tenant}
	for k, v := range want {
		if got.Get(k) != v {
			t.Errorf("Checkout Session %s = %q, want %q", k, got.Get(k), v)
		}
	}
	if st := h.standing(t); st.State != StateNone || !st.Writable {
		t.Errorf("standing before the subscription %+v", st)
	}

	// A second checkout (the first abandoned) reuses the customer.
	if status, body := webtest.Call(t, h.srv, h.admin, http.MethodPost, "/api/v1/billing/checkout", map[string]int{"seats": 6}); status != http.StatusOK {
		t.Fatalf("second checkout: %d %s", status, body)
	}
	if calls := h.stripe.take(); len(calls) != 1 || calls[0].Form.Get("customer") != a.CustomerID {
		t.Fatalf("second checkout calls %+v, want one Checkout Session for %s", calls, a.CustomerID)
	}

	// Once subscribed, another checkout is refused before Stripe is asked.
	h.send(t, stripe.EventTypeCustomerSubscriptionCreated, 0, subscriptionObject("sub_1", a.CustomerID, "active", 5, h.clock.Now().AddDate(0, 1, 0)))
	status, body = webtest.Call(t, h.srv, h.admin, http.MethodPost, "/api/v1/billing/checkout", map[string]int{"seats": 5})
	webtest.WantError(t, status, body, http.StatusConflict, "already_subscribed", "")
	if calls := h.stripe.take(); len(calls) != 0 {
		t.Fatalf("refused checkout called Stripe: %+v", calls)
	}
}

func TestOnlyATenantAdminBillsAndOnlyValidSeats(t *testing.T) {
	h := newHarness(t, false)
	for _, path := range []string{"/api/v1/billing/checkout", "/api/v1/billing/portal"} {
		status, body := webtest.Call(t, h.srv, h.rep, http.MethodPost, path, map[string]int{"seats": 3})
		webtest.WantError(t, status, body, http.StatusForbidden, "forbidden", "")
		status, body = webtest.Call(t, h.srv, webtest.Caller{}, http.MethodPost, path, map[string]int{"seats": 3})
		webtest.WantError(t, status, body, http.StatusUnauthorized, "", "")
	}
	status, body := webtest.Call(t, h.srv, h.rep, http.MethodPut, "/api/v1/billing/seats", map[string]int{"seats": 3})
	webtest.WantError(t, status, body, http.StatusForbidden, "forbidden", "")
	for _, seats := range []int{0, -1, MaxSeats + 1} {
		status, body := webtest.Call(t, h.srv, h.admin, http.MethodPost, "/api/v1/billing/checkout", map[string]int{"seats": seats})
		webtest.WantError(t, status, body, http.StatusUnprocessableEntity, "", "body.seats")
	}
	if _, err := h.svc.Checkout(h.adminContext(), 0); err == nil {
		t.Error("the service took 0 seats")
	}
	if calls := h.stripe.take(); len(calls) != 0 {
		t.Fatalf("refused requests called Stripe: %+v", calls)
	}
}

func TestPortalAndSeatsNeedASubscription(t *testing.T) {
	h := newHarness(t, false)
	status, body := webtest.Call(t, h.srv, h.admin, http.MethodPost, "/api/v1/billing/portal", nil)
	webtest.WantError(t, status, body, http.StatusConflict, "no_subscription", "")
	if e := webtest.Decode[webtest.Error](t, body); e.Error.Message != "no subscription yet: start one with checkout first" {
		t.Errorf("message %q", e.Error.Message)
	}
	status, body = webtest.Call(t, h.srv, h.admin, http.MethodPut, "/api/v1/billing/seats", map[string]int{"seats": 4})
	webtest.WantError(t, status, body, http.StatusConflict, "no_subscription", "")
	if calls := h.stripe.take(); len(calls) != 0 {
		t.Fatalf("refused requests called Stripe: %+v", calls)
	}
}

func TestPortalOpensForTheCustomer(t *testing.T) {
	h := newHarness(t, false)
	customer, _ := h.subscribe(t, 5)
	h.stripe.take()
	status, body := webtest.Call(t, h.srv, h.admin, http.MethodPost, "/api/v1/billing/portal", nil)
	if status != http.StatusOK || webtest.Decode[RedirectDTO](t, body).URL == "" {
		t.Fatalf("portal: %d %s", status, body)
	}
	calls := h.stripe.take()
	if len(calls) != 1 || calls[0].Path != "/v1/billing_portal/sessions" ||
		calls[0].Form.Get("customer") != customer || calls[0].Form.Get("return_url") != h.svc.cfg.PortalReturnURL {
		t.Fatalf("portal calls %+v", calls)
	}
}

func TestSeatChangesAreProrated(t *testing.T) {
	h := newHarness(t, false)
	_, sub := h.subscribe(t, 5)
	h.stripe.take()
	status, body := webtest.Call(t, h.srv, h.admin, http.MethodPut, "/api/v1/billing/seats", map[string]int{"seats": 8})
	if status != http.StatusOK {
		t.Fatalf("seats: %d %s", status, body)
	}
	if st := webtest.Decode[StandingDTO](t, body); st.Seats != 8 || st.State != StateActive {
		t.Errorf("standing after the change %+v", st)
	}
	calls := h.stripe.take()
	want := []stripeCall{{Method: http.MethodPost, Path: "/v1/subscription_items/si_" + sub}}
	if len(calls) != 1 || calls[0].Path != want[0].Path || calls[0].Form.Get("quantity") != "8" ||
		calls[0].Form.Get("proration_behavior") != "create_prorations" {
		t.Fatalf("seat calls %+v, want quantity 8 with prorations on %s", calls, want[0].Path)
	}
	if a := h.account(t); a.Seats != 8 {
		t.Errorf("stored seats %d, want 8", a.Seats)
	}
	// The same count again asks Stripe nothing.
	if status, body := webtest.Call(t, h.srv, h.admin, http.MethodPut, "/api/v1/billing/seats", map[string]int{"seats": 8}); status != http.StatusOK {
		t.Fatalf("same seats: %d %s", status, body)
	}
	if calls := h.stripe.take(); len(calls) != 0 {
		t.Fatalf("unchanged seats called Stripe: %+v", calls)
	}
}

// TestSeatsFindTheItemWhenOnlyCheckoutIsIn: the subscription's own event names the seat item;
// before it arrives, the item is read from Stripe.
func TestSeatsFindTheItemWhenOnlyCheckoutIsIn(t *testing.T) {
	h := newHarness(t, false)
	if status, body := webtest.Call(t, h.srv, h.admin, http.MethodPost, "/api/v1/billing/checkout", map[string]int{"seats": 5}); status != http.StatusOK {
		t.Fatalf("checkout: %d %s", status, body)
	}
	h.send(t, stripe.EventTypeCheckoutSessionCompleted, 0, checkoutObject("cs_1", h.account(t).CustomerID, "sub_early", h.tenant.String()))
	if st := h.standing(t); st.State != StateActive {
		t.Fatalf("standing after a paid checkout %+v", st)
	}
	h.stripe.take()
	// The system (no user) keeps seats in step with the active users.
	st, err := h.svc.SetSeats(identity.System(context.Background(), h.tenant), 7)
	if err != nil {
		t.Fatal(err)
	}
	calls := h.stripe.take()
	paths := make([]string, len(calls))
	for i, c := range calls {
		paths[i] = c.Method + " " + c.Path
	}
	if len(calls) != 2 || paths[0] != "GET /v1/subscriptions/sub_early" || !strings.HasPrefix(paths[1], "POST /v1/subscription_items/si_") ||
		calls[1].Form.Get("quantity") != "7" {
		t.Fatalf("calls %v", paths)
	}
	a := h.account(t)
	if diff := cmp.Diff([]any{7, strings.TrimPrefix(paths[1], "POST /v1/subscription_items/")}, []any{a.Seats, a.SubscriptionItemID}); diff != "" || st.Seats != 7 {
		t.Errorf("stored seats and item (-want +got):\n%s", diff)
	}
}

func TestStripeDownIsWorthARetry(t *testing.T) {
	h := newHarness(t, false)
	dead := deadAddress(t)
	svc, err := New(h.store, Config{SecretKey: "sk_test_x", WebhookSecret: "whsec_x", SeatPriceID: testSeatPrice, BackendURL: dead,
		SuccessURL: "https://a.example/s", CancelURL: "https://a.example/c", PortalReturnURL: "https://a.example/p"},
		Options{Now: h.clock.Now, Log: slog.New(slog.NewTextHandler(h.log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = svc.Checkout(h.adminContext(), 3)
	if f, ok := fault.As(err); !ok || f.Code != "billing_unavailable" {
		t.Fatalf("checkout with Stripe down: %v, want billing_unavailable", err)
	}
	t.Logf("gave up after %s (stripe-go retries twice)", time.Since(start).Round(time.Millisecond))
	if h.log.count("Stripe is unavailable") != 1 {
		t.Error("the outage was not logged")
	}
}

// deadAddress is a loopback URL nothing listens on.
func deadAddress(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr
}
