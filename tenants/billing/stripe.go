package billing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/stripe/stripe-go/v76"
	portalsession "github.com/stripe/stripe-go/v76/billingportal/session"
	checkoutsession "github.com/stripe/stripe-go/v76/checkout/session"
	"github.com/stripe/stripe-go/v76/customer"
	"github.com/stripe/stripe-go/v76/subscription"
	"github.com/stripe/stripe-go/v76/subscriptionitem"
)

// stripeAPI is the handful of Stripe endpoints billing calls, on a backend of its own: the
// package never touches stripe-go's global key or backends, so two services (or tests) with
// different settings do not see each other's.
type stripeAPI struct {
	customers     *customer.Client
	checkouts     *checkoutsession.Client
	portals       *portalsession.Client
	subscriptions *subscription.Client
	items         *subscriptionitem.Client
	priceID       string
}

func newStripeAPI(cfg Config, client *http.Client, log *slog.Logger) *stripeAPI {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	bc := &stripe.BackendConfig{HTTPClient: client, LeveledLogger: stripeLog{log}}
	if cfg.BackendURL != "" {
		bc.URL = stripe.String(cfg.BackendURL)
	}
	b := stripe.GetBackendWithConfig(stripe.APIBackend, bc)
	key := cfg.SecretKey
	return &stripeAPI{
		customers:     &customer.Client{B: b, Key: key},
		checkouts:     &checkoutsession.Client{B: b, Key: key},
		portals:       &portalsession.Client{B: b, Key: key},
		subscriptions: &subscription.Client{B: b, Key: key},
		items:         &subscriptionitem.Client{B: b, Key: key},
		priceID:       cfg.SeatPriceID,
	}
}

// createCustomer makes the tenant's Stripe customer. The idempotency key makes a retry (or two
// admins starting checkout at once) return the same customer instead of a second one.
func (s *stripeAPI) createCustomer(ctx context.Context, t tenantRow) (string, error) {
	p := &stripe.CustomerParams{Name: stripe.String(t.Name)}
	p.Context = ctx
	p.AddMetadata("tenant_id", t.ID.String())
	p.AddMetadata("tenant_slug", t.Slug)
	p.SetIdempotencyKey("repflow-customer-" + t.ID.String())
	c, err := s.customers.New(p)
	if err != nil {
		return "", fmt.Errorf("create Stripe customer: %w", err)
	}
	return c.ID, nil
}

// checkoutURL opens a Checkout Session subscribing the customer to seats seats.
func (s *stripeAPI) checkoutURL(ctx context.Context, tenantID uuid.UUID, customerID string, seats int, successURL, cancelURL string) (string, error) {
	p := &stripe.CheckoutSessionParams{
		Mode:              stripe.String(string(stripe.CheckoutSessionModeSubscription)),
		Customer:          stripe.String(customerID),
		ClientReferenceID: stripe.String(tenantID.String()),
		LineItems:         []*stripe.CheckoutSessionLineItemParams{{Price: stripe.String(s.priceID), Quantity: stripe.Int64(int64(seats))}},
		SuccessURL:        stripe.String(successURL),
		CancelURL:         stripe.String(cancelURL),
		SubscriptionData:  &stripe.CheckoutSessionSubscriptionDataParams{},
	}
	p.Context = ctx
	p.AddMetadata("tenant_id", tenantID.String())
	p.SubscriptionData.AddMetadata("tenant_id", tenantID.String())
	cs, err := s.checkouts.New(p)
	if err != nil {
		return "", fmt.Errorf("create Checkout Session: %w", err)
	}
	return cs.URL, nil
}

// portalURL opens a customer portal session, where the customer changes cards and reads invoices.
func (s *stripeAPI) portalURL(ctx context.Context, customerID, returnURL string) (string, error) {
	p := &stripe.BillingPortalSessionParams{Customer: stripe.String(customerID), ReturnURL: stripe.String(returnURL)}
	p.Context = ctx
	ps, err := s.portals.New(p)
	if err != nil {
		return "", fmt.Errorf("create portal session: %w", err)
	}
	return ps.URL, nil
}

// seatItem finds the subscription's seat item: the one with the seat price, else its only item.
func (s *stripeAPI) seatItem(ctx context.Context, subscriptionID string) (string, error) {
	p := &stripe.SubscriptionParams{}
	p.Context = ctx
	sub, err := s.subscriptions.Get(subscriptionID, p)
	if err != nil {
		return "", fmt.Errorf("read subscription %s: %w", subscriptionID, err)
	}
	id, _ := seatItemOf(sub, s.priceID)
	if id == "" {
		return "", fmt.Errorf("subscription %s has no item with price %s", subscriptionID, s.priceID)
	}
	return id, nil
}

// setQuantity changes the seat item's quantity; Stripe prorates the difference onto the next
// invoice.
func (s *stripeAPI) setQuantity(ctx context.Context, itemID string, seats int) error {
	p := &stripe.SubscriptionItemParams{
		Quantity:          stripe.Int64(int64(seats)),
		ProrationBehavior: stripe.String("create_prorations"),
	}
	p.Context = ctx
	if _, err := s.items.Update(itemID, p); err != nil {
		return fmt.Errorf("set seats of subscription item %s: %w", itemID, err)
	}
	return nil
}

// seatItemOf returns the subscription's seat item and its quantity.
func seatItemOf(sub *stripe.Subscription, priceID string) (string, int) {
	if sub.Items == nil {
		return "", 0
	}
	var items []*stripe.SubscriptionItem
	for _, it := range sub.Items.Data {
		if it == nil {
			continue // a null in the list: nothing to bill
		}
		if it.Price != nil && it.Price.ID == priceID {
			return it.ID, int(it.Quantity)
		}
		items = append(items, it)
	}
	if len(items) == 1 {
		return items[0].ID, int(items[0].Quantity)
	}
	return "", 0
}

// unavailable reports whether err means Stripe could not be reached or asked to slow down, as
// opposed to refusing the request.
func unavailable(err error) bool {
	var se *stripe.Error
	if errors.As(err, &se) {
		return se.HTTPStatusCode == http.StatusTooManyRequests || se.HTTPStatusCode >= 500
	}
	return !errors.Is(err, context.Canceled)
}

// stripeLog sends stripe-go's own log lines to slog. Its request lines are debug noise, and its
// errors are warnings: the caller gets the same error back and decides whether it is one.
type stripeLog struct{ log *slog.Logger }

func (l stripeLog) Debugf(format string, v ...any) { l.log.Debug(fmt.Sprintf("stripe: "+format, v...)) }

func (l stripeLog) Infof(format string, v ...any) { l.log.Debug(fmt.Sprintf("stripe: "+format, v...)) }

func (l stripeLog) Warnf(format string, v ...any) { l.log.Warn(fmt.Sprintf("stripe: "+format, v...)) }

func (l stripeLog) Errorf(format string, v ...any) { l.log.Warn(fmt.Sprintf("stripe: "+format, v...)) }
