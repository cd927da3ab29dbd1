package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/tenants"
)

// testWebhookSecret signs the Stripe events the tests send.
const testWebhookSecret = "whsec_repflow"

// billingOn turns billing on, as a server selling the product would; Stripe's address answers
// nothing, so a test that calls Stripe points it at stripe-mock.
func billingOn(c *config) {
	c.Billing.SecretKey, c.Billing.WebhookSecret, c.Billing.SeatPriceID = "sk_test_repflow", testWebhookSecret, "price_seat"
	c.Billing.BackendURL = "http://127.0.0.1:1"
}

// On a server that bills, a new company trials with up to five people; the sixth is refused with
// the plan's numbers. When the trial ends unpaid, the company reads but no longer writes, except
// to pay; a subscription of ten seats lets it write and grow to ten.
func TestTrialSeatsAndEnd(t *testing.T) {
	h := harnessOn(t, storetest.Open(t), true, billingOn)
	email := "owner@trial.test"
	var signed tenants.SignedUpDTO
	if code := h.call("", http.MethodPost, "/api/v1/signup", signupBody("Trial Co", "fmcg", email), &signed); code != http.StatusAccepted {
		t.Fatalf("sign-up: %d", code)
	}
	h.call("", http.MethodPost, "/api/v1/signup/verify", map[string]string{"token": h.verificationToken(email)}, nil)
	admin := h.login(email)
	var plan tenants.PlanDTO
	if code := h.call(admin, http.MethodGet, "/api/v1/plan", nil, &plan); code != http.StatusOK || plan.Plan != tenants.PlanTrial ||
		plan.SeatsAllowed != tenants.TrialSeats || plan.ActiveSeats != 1 || plan.TrialEndsAt == nil {
		t.Fatalf("the trial's plan: %d %+v", code, plan)
	}
	var root struct{ Regions []struct{ ID string } }
	h.call(admin, http.MethodGet, "/api/v1/regions", nil, &root)
	addPerson := func(i int) (int, string) {
		return h.raw(admin, http.MethodPost, "/api/v1/users", map[string]any{"email": "hq" + string(rune('a'+i)) + "@trial.test",
			"name": "Analyst", "roles": []string{"hq"}, "region_id": root.Regions[0].ID, "password": testPassword})
	}
	for i := range tenants.TrialSeats - 1 {
		if code, body := addPerson(i); code != http.StatusCreated {
			t.Fatalf("person %d of the trial: %d %s", i+2, code, body)
		}
	}
	if code, body := addPerson(9); code != http.StatusConflict || !strings.Contains(body, "your plan allows 5 people; 5 are active") {
		t.Errorf("a sixth person on the trial: %d %s", code, body)
	}

	// The trial ends.
	db := h.app.store.Owner(context.Background())
	if err := db.Table("tenants").Where("id = ?", signed.TenantID).Update("verified_at", time.Now().AddDate(0, 0, -tenants.TrialDays-1)).Error; err != nil {
		t.Fatal(err)
	}
	if code, body := addPerson(9); code != http.StatusPaymentRequired || !strings.Contains(body, "trial_ended") {
		t.Errorf("a write after the trial: %d %s", code, body)
	}
	if code := h.call(admin, http.MethodGet, "/api/v1/customers", nil, nil); code != http.StatusOK {
		t.Errorf("a read after the trial: %d", code)
	}
	// Paying stays open (here Stripe does not answer: 503, not 402).
	if code, body := h.raw(admin, http.MethodPost, "/api/v1/billing/checkout", map[string]int{"seats": 10}); code == http.StatusPaymentRequired {
		t.Errorf("checkout after the trial: %d %s", code, body)
	}

	// Subscribed for ten seats (as Checkout and its webhook leave it).
	now := time.Now().UTC()
	err := db.Table("tenant_billing").Create(map[string]any{"tenant": signed.TenantID, "stripe_customer_id": "cus_trial", "subscription_id": "sub_trial",
		"status": "active", "seats": 10, "created_at": now, "updated_at": now}).Error
	if err != nil {
		t.Fatal(err)
	}
	if code, body := addPerson(9); code != http.StatusCreated {
		t.Errorf("a sixth person once subscribed: %d %s", code, body)
	}
	if code := h.call(admin, http.MethodGet, "/api/v1/plan", nil, &plan); code != http.StatusOK || plan.Plan != tenants.PlanSubscription ||
		plan.SeatsAllowed != 10 || plan.ActiveSeats != 6 || plan.Billing.State != "active" {
		t.Errorf("the subscription's plan: %d %+v", code, plan)
	}
}

// A server without billing limits nothing: the plan says so.
func TestSelfHostedPlanHasNoLimits(t *testing.T) {
	h := newHarness(t)
	c := h.company("Own Server Co")
	var plan tenants.PlanDTO
	if code := h.call(c.tokens["admin"], http.MethodGet, "/api/v1/plan", nil, &plan); code != http.StatusOK || plan.Plan != tenants.PlanSelfHosted || plan.SeatsAllowed != 0 {
		t.Errorf("the self-hosted plan: %d %+v", code, plan)
	}
	if code := h.call(c.tokens["rep"], http.MethodGet, "/api/v1/plan", nil, nil); code != http.StatusForbidden {
		t.Errorf("a rep reads the plan: %d", code)
	}
}
