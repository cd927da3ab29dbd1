package billing

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/web/webtest"
)

func TestDunningGraceReadOnlyAndRestore(t *testing.T) {
	h := newHarness(t, false)
	customer, sub := h.subscribe(t, 5)
	if st := h.standing(t); st.State != StateActive || st.Seats != 5 || !st.Writable || st.CurrentPeriodEnd == nil {
		t.Fatalf("after subscribing %+v", st)
	}

	failedAt := h.clock.Now()
	h.clock.Advance(time.Minute)
	h.send(t, stripe.EventTypeInvoicePaymentFailed, 0, invoiceObject("in_1", customer, sub))
	st := h.standing(t)
	wantGrace := h.clock.Now().Add(DefaultGracePeriod)
	if st.State != StatePastDue || !st.Writable || st.GraceUntil == nil || !st.GraceUntil.Equal(wantGrace) {
		t.Fatalf("after a failed payment %+v, want past_due and writable until %s", st, wantGrace)
	}
	if err := h.refusal(t); err != nil {
		t.Fatalf("write refused during the grace period: %v", err)
	}

	// Stripe retries the payment and fails again, and reports the subscription past due: the
	// grace period still runs from the first failure.
	h.clock.Advance(3 * 24 * time.Hour)
	h.send(t, stripe.EventTypeInvoicePaymentFailed, 0, invoiceObject("in_1", customer, sub))
	h.send(t, stripe.EventTypeCustomerSubscriptionUpdated, 0, subscriptionObject(sub, customer, "past_due", 5, failedAt.AddDate(0, 1, 0)))
	if st := h.standing(t); st.GraceUntil == nil || !st.GraceUntil.Equal(wantGrace) {
		t.Fatalf("a retry moved the grace period: %+v, want %s", st, wantGrace)
	}

	h.clock.Advance(wantGrace.Sub(h.clock.Now()) - time.Second)
	if st := h.standing(t); st.State != StatePastDue || !st.Writable {
		t.Fatalf("a second before the grace period ends %+v", st)
	}
	h.clock.Advance(time.Second)
	if st := h.standing(t); st.State != StateReadOnly || st.Writable {
		t.Fatalf("when the grace period ends %+v, want read_only", st)
	}
	err := h.refusal(t)
	if f, ok := fault.As(err); !ok || f.Kind != fault.PaymentRequired || f.Code != "billing_read_only" {
		t.Fatalf("write after the grace period: %v, want the billing_read_only fault", err)
	} else {
		t.Logf("refusal: %s", f.Message)
	}
	if a := h.account(t); a.Seats != 5 || a.SubscriptionID != sub {
		t.Fatalf("read-only lost the subscription: %+v", a)
	}

	h.clock.Advance(24 * time.Hour)
	h.send(t, stripe.EventTypeInvoicePaid, 0, invoiceObject("in_1", customer, sub))
	if st := h.standing(t); st.State != StateActive || !st.Writable || st.GraceUntil != nil {
		t.Fatalf("after the invoice is paid %+v, want active without a grace period", st)
	}
	if err := h.refusal(t); err != nil {
		t.Fatalf("write refused after paying: %v", err)
	}
}

func TestWebhookRefusesForgedAndStaleSignatures(t *testing.T) {
	h := newHarness(t, false)
	customer, sub := h.subscribe(t, 5)
	before := h.account(t)
	id := newEventID()
	payload := stripeEvent(t, id, stripe.EventTypeInvoicePaymentFailed, h.clock.Now(), invoiceObject("in_1", customer, sub))
	tampered := stripeEvent(t, id, stripe.EventTypeInvoicePaymentFailed, h.clock.Now(), invoiceObject("in_1", customer, "sub_other"))
	now := time.Now()
	cases := []struct {
		name    string
		payload []byte
		header  string
	}{
		{"forged with another secret", payload, signatureHeader(payload, "whsec_attacker", now)},
		{"stale beyond the tolerance", payload, signatureHeader(payload, testWebhookSecret, now.Add(-WebhookTolerance-time.Minute))},
		{"unsigned", payload, ""},
		{"malformed header", payload, "t=yesterday,v1=zz"},
		{"another payload under a valid signature", tampered, signatureHeader(payload, testWebhookSecret, now)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := h.deliverHeader(t, tc.payload, tc.header)
			webtest.WantError(t, status, body, http.StatusUnauthorized, "invalid_signature", "")
		})
	}
	if after := h.account(t); after.Status != before.Status || after.GraceUntil != nil {
		t.Fatalf("a refused delivery changed the account: %+v", after)
	}
	if n := h.eventsRecorded(t, id); n != 0 {
		t.Fatalf("a refused delivery recorded its event id (%d rows): the real one would be lost", n)
	}
	// The genuine delivery of the same event still applies.
	h.sendAs(t, id, stripe.EventTypeInvoicePaymentFailed, h.clock.Now(), invoiceObject("in_1", customer, sub))
	if st := h.standing(t); st.State != StatePastDue {
		t.Fatalf("genuine delivery after forged ones: %+v", st)
	}
}

// TestWebhookProcessesAnEventOnce: Stripe delivers at least once. A redelivered event that
// would otherwise apply (its time ties with the newest applied) must not undo a later change.
func TestWebhookProcessesAnEventOnce(t *testing.T) {
	h := newHarness(t, false)
	customer, sub := h.subscribe(t, 5)
	id := newEventID()
	update := subscriptionObject(sub, customer, "active", 6, h.clock.Now().AddDate(0, 1, 0))
	h.sendAs(t, id, stripe.EventTypeCustomerSubscriptionUpdated, h.clock.Now(), update)
	if _, err := h.svc.SetSeats(h.adminContext(), 9); err != nil {
		t.Fatal(err)
	}
	h.sendAs(t, id, stripe.EventTypeCustomerSubscriptionUpdated, h.clock.Now(), update)
	if a := h.account(t); a.Seats != 9 {
		t.Fatalf("the redelivered event was applied again: seats %d, want 9", a.Seats)
	}
	if n := h.eventsRecorded(t, id); n != 1 {
		t.Fatalf("event recorded %d times", n)
	}

	// Concurrent deliveries of one event: one applies it.
	id = newEventID()
	payload := stripeEvent(t, id, stripe.EventTypeInvoicePaymentFailed, h.clock.Now(), invoiceObject("in_2", customer, sub))
	applied := h.log.count("Stripe event applied")
	var wg sync.WaitGroup
	statuses := make([]int, 6)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i], _ = h.deliver(t, payload, testWebhookSecret, time.Now())
		}()
	}
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusOK {
			t.Errorf("concurrent delivery %d: status %d", i, s)
		}
	}
	if n := h.log.count("Stripe event applied") - applied; n != 1 {
		t.Fatalf("one event applied %d times by concurrent deliveries", n)
	}
}

func TestWebhookAcknowledgesWhatItDoesNotHandle(t *testing.T) {
	h := newHarness(t, false)
	customer, sub := h.subscribe(t, 5)
	before := h.account(t)
	id := h.send(t, "customer.created", time.Hour, map[string]any{"id": customer, "object": "customer"})
	if n := h.log.count("event_type=customer.created"); n != 1 || h.log.count("billing does not act on it") != 1 {
		t.Fatalf("the ignored event was logged %d times", n)
	}
	// Events of customers no tenant has, and one-off invoices, are acknowledged too.
	h.send(t, stripe.EventTypeInvoicePaymentFailed, time.Hour, invoiceObject("in_x", "cus_stranger", "sub_x"))
	h.send(t, stripe.EventTypeInvoicePaymentFailed, time.Hour, invoiceObject("in_y", customer, ""))
	if after := h.account(t); after.Status != before.Status || after.GraceUntil != nil || after.SubscriptionID != sub {
		t.Fatalf("ignored events changed the account: %+v", after)
	}
	if n := h.eventsRecorded(t, id); n != 0 {
		t.Fatalf("an unhandled event was recorded")
	}
	// An unreadable (but signed) event is the caller's mistake, not a crash.
	status, body := h.deliver(t, []byte(`{"id":"evt_bad","object":"event","api_version":"2019-01-01","type":"invoice.paid"}`), testWebhookSecret, time.Now())
	webtest.WantError(t, status, body, http.StatusBadRequest, "invalid_event", "")
}

func TestWebhookKeepsTheNewestState(t *testing.T) {
	h := newHarness(t, false)
	customer, sub := h.subscribe(t, 5)
	end := h.clock.Now().AddDate(0, 1, 0)

	h.send(t, stripe.EventTypeCustomerSubscriptionUpdated, 10*time.Second, subscriptionObject(sub, customer, "active", 6, end))
	h.send(t, stripe.EventTypeCustomerSubscriptionUpdated, 5*time.Second, subscriptionObject(sub, customer, "past_due", 3, end))
	h.send(t, stripe.EventTypeInvoicePaymentFailed, 5*time.Second, invoiceObject("in_1", customer, sub))
	if st := h.standing(t); st.State != StateActive || st.Seats != 6 || st.GraceUntil != nil {
		t.Fatalf("older events overwrote newer state: %+v", st)
	}

	h.send(t, stripe.EventTypeCustomerSubscriptionDeleted, 20*time.Second, subscriptionObject(sub, customer, "canceled", 6, end))
	h.send(t, stripe.EventTypeCustomerSubscriptionUpdated, 30*time.Second, subscriptionObject(sub, customer, "active", 6, end))
	h.send(t, stripe.EventTypeInvoicePaid, 40*time.Second, invoiceObject("in_2", customer, sub))
	st := h.standing(t)
	if st.State != StateReadOnly || st.Subscription != statusCanceled {
		t.Fatalf("a deleted subscription came back: %+v", st)
	}
	err := h.refusal(t)
	if f, ok := fault.As(err); !ok || f.Code != "billing_read_only" {
		t.Fatalf("write on a canceled subscription: %v", err)
	}

	// A new subscription replaces the canceled one; the old one's late events stay out.
	h.send(t, stripe.EventTypeCustomerSubscriptionCreated, 50*time.Second, subscriptionObject("sub_new", customer, "active", 4, end))
	h.send(t, stripe.EventTypeCustomerSubscriptionUpdated, 25*time.Second, subscriptionObject(sub, customer, "past_due", 6, end))
	h.send(t, stripe.EventTypeInvoicePaymentFailed, 60*time.Second, invoiceObject("in_3", customer, sub))
	if st := h.standing(t); st.State != StateActive || st.Seats != 4 {
		t.Fatalf("after resubscribing %+v", st)
	}
	if a := h.account(t); a.SubscriptionID != "sub_new" {
		t.Fatalf("subscription %s, want sub_new", a.SubscriptionID)
	}
}

// eventsRecorded counts the billing_events rows of id.
func (h *harness) eventsRecorded(t *testing.T, id string) int64 {
	t.Helper()
	var n int64
	if err := h.store.Owner(context.Background()).Model(&eventRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
