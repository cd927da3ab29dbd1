package billing

import (
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Config is billing's part of the server's settings. Billing is off when SecretKey is empty:
// every tenant is then in good standing and nothing calls Stripe.
type Config struct {
	// SecretKey is the Stripe API key (sk_live_..., sk_test_...).
	SecretKey string
	// WebhookSecret signs the events Stripe posts to the webhook (whsec_...).
	WebhookSecret string
	// SeatPriceID is the recurring per-seat price a subscription is made of (price_...).
	SeatPriceID string
	// BackendURL replaces Stripe's API address, for stripe-mock; empty means Stripe itself.
	BackendURL string
	// GracePeriod is how long a tenant whose payment failed keeps writing before it turns
	// read-only; zero means DefaultGracePeriod.
	GracePeriod time.Duration
	// SuccessURL and CancelURL are where Checkout sends the tenant admin back to; PortalReturnURL
	// is where the customer portal's "return" link leads.
	SuccessURL      string
	CancelURL       string
	PortalReturnURL string
}

// DefaultGracePeriod gives a tenant a week to fix a failed payment: long enough to reach
// whoever holds the company card, short enough that unpaid use does not run for a month.
const DefaultGracePeriod = 7 * 24 * time.Hour

// Enabled reports whether billing is on.
func (c Config) Enabled() bool { return c.SecretKey != "" }

// checked returns c with its defaults, or the first setting that keeps billing from working.
// An enabled configuration must be complete: a server that silently cannot verify webhooks or
// start a subscription is found out only by the first paying customer.
func (c Config) checked() (Config, error) {
	if !c.Enabled() {
		return c, nil
	}
	if c.GracePeriod == 0 {
		c.GracePeriod = DefaultGracePeriod
	}
	if c.GracePeriod < 0 {
		return c, fmt.Errorf("billing: grace period %s is negative", c.GracePeriod)
	}
	if c.WebhookSecret == "" {
		return c, errors.New("billing: the Stripe webhook signing secret is empty: without it no webhook can be verified")
	}
	if c.SeatPriceID == "" {
		return c, errors.New("billing: the Stripe seat price id is empty: checkout needs the price to subscribe to")
	}
	urls := []struct{ name, url string }{{"checkout success URL", c.SuccessURL}, {"checkout cancel URL", c.CancelURL},
		{"portal return URL", c.PortalReturnURL}, {"Stripe backend URL", c.BackendURL}}
	for _, u := range urls {
		if u.url == "" && u.name == "Stripe backend URL" {
			continue // Stripe itself
		}
		if p, err := url.Parse(u.url); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return c, fmt.Errorf("billing: the %s %q is not an absolute http(s) URL", u.name, u.url)
		}
	}
	return c, nil
}
