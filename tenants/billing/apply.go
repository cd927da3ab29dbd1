package billing

import "time"

// changeKind is what a Stripe event says happened to a tenant's subscription.
type changeKind int

const (
	checkoutCompleted   changeKind = iota + 1 // a Checkout Session made the subscription
	subscriptionChanged                       // created or updated: its whole state
	subscriptionDeleted                       // ended for good
	invoicePaid
	invoicePaymentFailed
)

// change is the part of one Stripe event billing acts on.
type change struct {
	kind         changeKind
	at           time.Time // the event's creation time
	customer     string
	subscription string
	// From subscription events.
	status    string
	itemID    string
	seats     int
	periodEnd *time.Time
	// From checkout.session.completed: the tenant that started it (its client_reference_id), and
	// whether the first payment went through (or none was due).
	tenantRef string
	paid      bool
}

// apply returns a after c, and whether c changed anything. Events arrive late, twice and out of
// order, so a change applies only to the account's own subscription, only if it is not older
// than the newest event applied (ties apply: Stripe's times are in whole seconds), and never to
// a canceled subscription: a deleted subscription stays deleted. Another subscription replaces
// the account's only when that one is out of service and the event is newer than all applied.
func (a account) apply(c change, grace time.Duration) (account, bool) {
	if c.subscription == "" {
		return a, false // an invoice of no subscription (a one-off charge): not a seat bill
	}
	switch {
	case a.SubscriptionID == "":
	case a.SubscriptionID == c.subscription:
		if a.Status == statusCanceled {
			return a, false
		}
		// Deletion is final whenever it arrives; anything else must not be older than the state.
		if c.kind != subscriptionDeleted && a.LastEventCreated != nil && c.at.Before(*a.LastEventCreated) {
			return a, false
		}
	default:
		if a.live() || (a.LastEventCreated != nil && !c.at.After(*a.LastEventCreated)) {
			return a, false
		}
		a.SubscriptionItemID, a.Seats, a.CurrentPeriodEnd, a.GraceUntil, a.Status = "", 0, nil, nil, statusNone
	}
	a.SubscriptionID = c.subscription
	switch c.kind {
	case checkoutCompleted:
		if c.paid && !a.live() {
			a.Status = statusActive
		}
	case subscriptionChanged:
		a.Status = c.status
		a.SubscriptionItemID, a.Seats, a.CurrentPeriodEnd = c.itemID, c.seats, c.periodEnd
	case subscriptionDeleted:
		a.Status = statusCanceled
		if c.periodEnd != nil {
			a.CurrentPeriodEnd = c.periodEnd
		}
	case invoicePaid:
		a.Status = statusActive
	case invoicePaymentFailed:
		a.Status = statusPastDue
	}
	a.GraceUntil = graceAfter(a, c.at, grace)
	if a.LastEventCreated == nil || c.at.After(*a.LastEventCreated) {
		at := c.at
		a.LastEventCreated = &at
	}
	return a, true
}

// graceAfter is the account's grace deadline once an event at `at` is applied: it starts with the
// first failed payment (not its retries, which would stretch it) and ends when the account is
// paid up again.
func graceAfter(a account, at time.Time, grace time.Duration) *time.Time {
	if a.Status != statusPastDue && a.Status != statusUnpaid {
		return nil
	}
	if a.GraceUntil != nil {
		return a.GraceUntil
	}
	until := at.Add(grace)
	return &until
}
