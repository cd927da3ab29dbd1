package billing

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/stripe/stripe-go/v76"
)

// decodeEvent reads what billing needs from a verified Stripe event, and false for an event
// billing does not act on.
func decodeEvent(ev stripe.Event, priceID string) (change, bool, error) {
	c := change{at: time.Unix(ev.Created, 0).UTC()}
	if ev.Data == nil {
		return c, false, errors.New("the event has no data object")
	}
	switch ev.Type {
	case stripe.EventTypeCheckoutSessionCompleted:
		var cs stripe.CheckoutSession
		if err := json.Unmarshal(ev.Data.Raw, &cs); err != nil {
			return c, false, fmt.Errorf("checkout session: %w", err)
		}
		if cs.Mode != stripe.CheckoutSessionModeSubscription {
			return c, false, nil
		}
		c.kind, c.customer, c.tenantRef = checkoutCompleted, customerOf(cs.Customer), cs.ClientReferenceID
		if cs.Subscription != nil {
			c.subscription = cs.Subscription.ID
		}
		c.paid = cs.PaymentStatus == stripe.CheckoutSessionPaymentStatusPaid ||
			cs.PaymentStatus == stripe.CheckoutSessionPaymentStatusNoPaymentRequired
	case stripe.EventTypeCustomerSubscriptionCreated, stripe.EventTypeCustomerSubscriptionUpdated, stripe.EventTypeCustomerSubscriptionDeleted:
		var sub stripe.Subscription
		if err := json.Unmarshal(ev.Data.Raw, &sub); err != nil {
			return c, false, fmt.Errorf("subscription: %w", err)
		}
		c.kind = subscriptionChanged
		if ev.Type == stripe.EventTypeCustomerSubscriptionDeleted {
			c.kind = subscriptionDeleted
		}
		c.customer, c.subscription, c.status = customerOf(sub.Customer), sub.ID, string(sub.Status)
		c.itemID, c.seats = seatItemOf(&sub, priceID)
		if sub.CurrentPeriodEnd > 0 {
			end := time.Unix(sub.CurrentPeriodEnd, 0).UTC()
			c.periodEnd = &end
		}
	case stripe.EventTypeInvoicePaid, stripe.EventTypeInvoicePaymentFailed:
		var inv stripe.Invoice
		if err := json.Unmarshal(ev.Data.Raw, &inv); err != nil {
			return c, false, fmt.Errorf("invoice: %w", err)
		}
		c.kind = invoicePaid
		if ev.Type == stripe.EventTypeInvoicePaymentFailed {
			c.kind = invoicePaymentFailed
		}
		c.customer = customerOf(inv.Customer)
		if inv.Subscription != nil {
			c.subscription = inv.Subscription.ID
		}
	default:
		return c, false, nil
	}
	if c.customer == "" {
		return c, false, fmt.Errorf("the %s event names no customer", ev.Type)
	}
	return c, true, nil
}

func customerOf(c *stripe.Customer) string {
	if c == nil {
		return ""
	}
	return c.ID
}
