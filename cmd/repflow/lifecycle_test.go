package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/tenants"
	"github.com/repflow/repflow/tenants/billing/stripemock"
)

// A company's life on a server that bills, against stripe-mock: it signs up, verifies, finds
// its template, invites a rep who signs in, subscribes through Checkout, and Stripe's webhooks
// move it from active to past due, read-only after the grace period (writes refused, reads
// kept) and active again once an invoice is paid.
func TestCompanyLifecycleFromSignUpToPaidSubscription(t *testing.T) {
	// Stripe's events carry whole seconds; the grace period runs from the failed payment's.
	const grace = 3 * time.Second
	h := harnessOn(t, storetest.Open(t), true, billingOn, func(c *config) {
		c.Billing.BackendURL, c.Billing.GracePeriod = stripemock.URL(t), grace
	})
	email := "owner@lifecycle.test"
	var signed tenants.SignedUpDTO
	if code := h.call("", http.MethodPost, "/api/v1/signup", signupBody("Lifecycle Foods", "fmcg", email), &signed); code != http.StatusAccepted {
		t.Fatalf("sign-up: %d", code)
	}
	h.call("", http.MethodPost, "/api/v1/signup/verify", map[string]string{"token": h.verificationToken(email)}, nil)
	admin := h.login(email)
	var root struct{ Regions []struct{ ID string } }
	h.call(admin, http.MethodGet, "/api/v1/regions", nil, &root)
	// A manager, then a rep reporting to them; the rep accepts and signs in.
	var invited tenants.InvitationListDTO
	if code := h.call(admin, http.MethodPost, "/api/v1/invitations", map[string]any{"people": []any{map[string]any{
		"email": "lead@lifecycle.test", "name": "Lead", "roles": []string{"manager"}, "region_id": root.Regions[0].ID}}}, &invited); code != http.StatusCreated {
		t.Fatalf("invite the manager: %d", code)
	}
	if code, body := h.raw(admin, http.MethodPost, "/api/v1/invitations", map[string]any{"people": []any{map[string]any{
		"email": "rep@lifecycle.test", "name": "Rep", "roles": []string{"rep"}, "region_id": root.Regions[0].ID,
		"manager_id": invited.Invitations[0].UserID}}}); code != http.StatusCreated {
		t.Fatalf("invite the rep: %d %s", code, body)
	}
	if code, body := h.raw("", http.MethodPost, "/api/v1/invitations/accept", map[string]string{"token": h.invitationToken("rep@lifecycle.test"), "password": testPassword}); code != http.StatusOK {
		t.Fatalf("accept: %d %s", code, body)
	}
	rep := h.login("rep@lifecycle.test")

	// Checkout, against stripe-mock: the customer is made, and the page's address answered.
	var redirect struct{ URL string }
	if code := h.call(admin, http.MethodPost, "/api/v1/billing/checkout", map[string]int{"seats": 8}, &redirect); code != http.StatusOK || redirect.URL == "" {
		t.Fatalf("checkout: %d %+v", code, redirect)
	}
	var customer string
	if err := h.app.store.Owner(context.Background()).Table("tenant_billing").Where("tenant = ?", signed.TenantID).Select("stripe_customer_id").Scan(&customer).Error; err != nil || customer == "" {
		t.Fatalf("the tenant's Stripe customer: %q, %v", customer, err)
	}
	sub := "sub_lifecycle"
	seq := 0
	// send delivers an event created at `at`: billing keeps the newest state by that time.
	send := func(typ stripe.EventType, at time.Time, object map[string]any) {
		t.Helper()
		seq++
		payload, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("evt_lifecycle_%d", seq), "object": "event", "api_version": stripe.APIVersion,
			"created": at.Unix(), "type": string(typ), "data": map[string]any{"object": object}})
		req := httptest.NewRequest(http.MethodPost, "/api/v1/billing/webhook", strings.NewReader(string(payload)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Stripe-Signature", webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: testWebhookSecret, Timestamp: time.Now()}).Header)
		resp, err := h.srv.App.Test(req, -1)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("webhook %s: %v %v", typ, resp.StatusCode, err)
		}
	}
	subscription := func(status string) map[string]any {
		return map[string]any{"id": sub, "object": "subscription", "customer": customer, "status": status, "current_period_end": time.Now().AddDate(0, 1, 0).Unix(),
			"items": map[string]any{"object": "list", "data": []any{map[string]any{"id": "si_lifecycle", "object": "subscription_item", "quantity": 8,
				"price": map[string]any{"id": "price_seat", "object": "price"}}}}}
	}
	invoice := map[string]any{"id": "in_lifecycle", "object": "invoice", "customer": customer, "subscription": sub}
	send(stripe.EventTypeCheckoutSessionCompleted, time.Now().Add(-2*time.Second), map[string]any{"id": "cs_lifecycle", "object": "checkout.session", "customer": customer,
		"subscription": sub, "client_reference_id": signed.TenantID.String(), "mode": "subscription", "status": "complete"})
	send(stripe.EventTypeCustomerSubscriptionCreated, time.Now().Add(-time.Second), subscription("active"))
	state := func() string {
		var plan tenants.PlanDTO
		if code := h.call(admin, http.MethodGet, "/api/v1/plan", nil, &plan); code != http.StatusOK {
			t.Fatalf("plan: %d", code)
		}
		return string(plan.Plan) + "/" + string(plan.Billing.State)
	}
	write := func() int {
		return h.call(admin, http.MethodPost, "/api/v1/regions", map[string]any{"name": "Region " + time.Now().Format("150405.000000"), "parent_id": root.Regions[0].ID}, nil)
	}
	if got := state(); got != "subscription/active" {
		t.Fatalf("after Checkout: %s", got)
	}
	send(stripe.EventTypeInvoicePaymentFailed, time.Now(), invoice)
	if got := state(); got != "subscription/past_due" {
		t.Errorf("after a failed payment: %s", got)
	}
	time.Sleep(grace + 200*time.Millisecond)
	if got := state(); got != "subscription/read_only" {
		t.Errorf("after the grace period: %s", got)
	}
	if code := write(); code != http.StatusPaymentRequired {
		t.Errorf("a write while read-only: %d", code)
	}
	if code := h.call(rep, http.MethodGet, "/api/v1/customers", nil, nil); code != http.StatusOK {
		t.Errorf("a read while read-only: %d", code)
	}
	send(stripe.EventTypeInvoicePaid, time.Now(), invoice)
	if got := state(); got != "subscription/active" {
		t.Errorf("after the invoice is paid: %s", got)
	}
	if code := write(); code != http.StatusCreated {
		t.Errorf("a write once paid: %d", code)
	}
}
