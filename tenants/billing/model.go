// Package billing bills tenants through Stripe: a customer per tenant, a per-seat subscription
// started with Checkout, cards and invoices in Stripe's customer portal, seat changes prorated,
// and dunning: a failed payment leaves the tenant writing for a grace period, then read-only (its
// data kept) until an invoice is paid.
//
// Stripe's webhooks are the only source of a subscription's state. They come with no tenant, so
// billing state lives in global tables that only the store's owner handle reaches.
package billing

import (
	"time"

	"github.com/google/uuid"
)

// State is where a tenant stands with its bill.
type State string

const (
	// StateOff: billing is not configured on this server; every tenant may write.
	StateOff State = "off"
	// StateNone: no subscription yet (or only one that never started); the tenant may write.
	StateNone State = "none"
	// StateActive: paid up, or in a trial.
	StateActive State = "active"
	// StatePastDue: a payment failed; the tenant writes until GraceUntil.
	StatePastDue State = "past_due"
	// StateReadOnly: unpaid past the grace period, or canceled; everything is kept and readable.
	StateReadOnly State = "read_only"
)

// Standing is a tenant's billing standing at one moment.
type Standing struct {
	State State
	// Subscription is Stripe's status of the tenant's subscription ("" without one): it says why
	// a tenant is read-only (canceled, unpaid, paused).
	Subscription     string
	Seats            int
	CurrentPeriodEnd *time.Time
	GraceUntil       *time.Time
}

// Writable reports whether the tenant may change its data.
func (s Standing) Writable() bool { return s.State != StateReadOnly }

// Stripe's subscription statuses this package reasons about.
const (
	statusNone              = "none"
	statusActive            = "active"
	statusTrialing          = "trialing"
	statusPastDue           = "past_due"
	statusUnpaid            = "unpaid"
	statusCanceled          = "canceled"
	statusPaused            = "paused"
	statusIncomplete        = "incomplete"
	statusIncompleteExpired = "incomplete_expired"
)

// account is a tenant's billing record (one tenant_billing row).
type account struct {
	TenantID           uuid.UUID
	CustomerID         string
	SubscriptionID     string // "" before the first subscription
	SubscriptionItemID string // the seat item, once a subscription event named it
	Status             string
	Seats              int
	CurrentPeriodEnd   *time.Time
	GraceUntil         *time.Time
	LastEventCreated   *time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// standing derives the tenant's standing at now.
func (a account) standing(now time.Time) Standing {
	st := Standing{Subscription: a.Status, Seats: a.Seats, CurrentPeriodEnd: a.CurrentPeriodEnd, GraceUntil: a.GraceUntil}
	if a.Status == statusNone {
		st.Subscription = ""
	}
	switch a.Status {
	case statusActive, statusTrialing:
		st.State = StateActive
	case statusPastDue, statusUnpaid:
		st.State = StatePastDue
		if a.GraceUntil != nil && !now.Before(*a.GraceUntil) {
			st.State = StateReadOnly
		}
	case statusCanceled, statusPaused:
		st.State = StateReadOnly
	case statusNone, statusIncomplete, statusIncompleteExpired:
		// A subscription whose first payment never went through was never in service: the
		// tenant stands as if it had none, and may start another.
		st.State = StateNone
	default:
		// A status Stripe added after this code was written: locking a paying tenant out on a
		// guess is worse than letting an unpaid one write a little longer.
		st.State = StateActive
	}
	return st
}

// live reports whether the account's subscription is in service or being dunned: a second one
// must not be started beside it.
func (a account) live() bool {
	switch a.Status {
	case statusNone, statusCanceled, statusIncomplete, statusIncompleteExpired:
		return false
	}
	return a.SubscriptionID != ""
}
