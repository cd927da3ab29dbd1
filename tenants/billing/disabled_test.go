package billing

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"

	"github.com/repflow/repflow/platform/web/webtest"
)

func TestBillingOffKeepsEveryTenantInGoodStandingAndCallsNoStripe(t *testing.T) {
	h := newHarness(t, true)
	if h.svc.Enabled() {
		t.Fatal("billing without a secret key reports enabled")
	}
	st, err := h.svc.Standing(context.Background(), h.tenant)
	if err != nil || st.State != StateOff || !st.Writable() {
		t.Fatalf("standing %+v, %v; want off and writable", st, err)
	}
	if err := h.refusal(t); err != nil {
		t.Fatalf("write refused with billing off: %v", err)
	}
	if dto := h.standing(t); dto.State != StateOff || !dto.Writable {
		t.Fatalf("GET /api/v1/billing %+v", dto)
	}
	for _, path := range []string{"/api/v1/billing/checkout", "/api/v1/billing/portal"} {
		status, body := webtest.Call(t, h.srv, h.admin, http.MethodPost, path, map[string]int{"seats": 3})
		webtest.WantError(t, status, body, http.StatusNotFound, "billing_disabled", "")
		if e := webtest.Decode[webtest.Error](t, body); e.Error.Message != "billing is not configured on this server" {
			t.Errorf("%s message %q", path, e.Error.Message)
		}
	}
	if st, err := h.svc.SetSeats(h.adminContext(), 12); err != nil || st.State != StateOff {
		t.Fatalf("seats with billing off: %+v, %v; want a no-op", st, err)
	}
	payload := stripeEvent(t, newEventID(), stripe.EventTypeInvoicePaid, time.Now(), invoiceObject("in_1", "cus_1", "sub_1"))
	status, body := h.deliver(t, payload, testWebhookSecret, time.Now())
	webtest.WantError(t, status, body, http.StatusNotFound, "billing_disabled", "")
	if calls := h.stripe.take(); len(calls) != 0 {
		t.Fatalf("billing off called Stripe: %+v", calls)
	}
	var rows int64
	if err := h.store.Owner(context.Background()).Model(&accountRow{}).Count(&rows).Error; err != nil || rows != 0 {
		t.Fatalf("billing off wrote %d billing rows (%v)", rows, err)
	}
}

func TestConfigOfAnEnabledServerMustBeComplete(t *testing.T) {
	full := Config{SecretKey: "sk_test_x", WebhookSecret: "whsec_x", SeatPriceID: "price_x",
		SuccessURL: "https://a.example/s", CancelURL: "https://a.example/c", PortalReturnURL: "https://a.example/p"}
	got, err := full.checked()
	if err != nil || got.GracePeriod != DefaultGracePeriod {
		t.Fatalf("complete config: %+v, %v", got, err)
	}
	for _, tc := range []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"no webhook secret", func(c *Config) { c.WebhookSecret = "" }, "webhook signing secret"},
		{"no price", func(c *Config) { c.SeatPriceID = "" }, "seat price"},
		{"relative success URL", func(c *Config) { c.SuccessURL = "/billing" }, "success URL"},
		{"no portal return URL", func(c *Config) { c.PortalReturnURL = "" }, "portal return URL"},
		{"backend without scheme", func(c *Config) { c.BackendURL = "127.0.0.1:12111" }, "backend URL"},
		{"negative grace", func(c *Config) { c.GracePeriod = -time.Hour }, "negative"},
	} {
		c := full
		tc.change(&c)
		if _, err := c.checked(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error naming %q", tc.name, err, tc.want)
		}
	}
	if _, err := (Config{WebhookSecret: "whsec_x"}).checked(); err != nil {
		t.Errorf("billing off needs nothing else: %v", err)
	}
}
