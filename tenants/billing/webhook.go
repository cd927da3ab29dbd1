package billing

import (
	"context"
	"errors"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
)

// WebhookTolerance is how old a signed delivery may be. Beyond it a captured request cannot be
// replayed; within it a replay finds its event id already recorded.
const WebhookTolerance = 300 * time.Second

var errBadSignature = fault.New(fault.Unauthorized, "invalid_signature",
	"the Stripe-Signature header is missing, does not match the payload, or is more than 5 minutes old")

// HandleWebhook verifies one delivery of Stripe's webhook and applies its event. A forged or
// stale signature is a 401 and changes nothing; an event already processed, of a type billing
// does not handle, or older than the state it would change, is acknowledged and ignored, so that
// Stripe stops delivering it. An error that is not a fault (the database failing) answers 500,
// and Stripe delivers the event again later.
func (s *Service) HandleWebhook(ctx context.Context, payload []byte, signature string) error {
	if !s.Enabled() {
		return errDisabled
	}
	ev, err := webhook.ConstructEventWithOptions(payload, signature, s.cfg.WebhookSecret,
		webhook.ConstructEventOptions{Tolerance: WebhookTolerance})
	if err != nil {
		return s.refusal(ctx, err)
	}
	log := s.log.With("event_id", ev.ID, "event_type", string(ev.Type))
	c, handled, err := decodeEvent(ev, s.cfg.SeatPriceID)
	if err != nil {
		log.WarnContext(ctx, "Stripe event unreadable", "error", err)
		return fault.New(fault.Invalid, "invalid_event", "the event could not be read: "+err.Error())
	}
	if !handled {
		log.InfoContext(ctx, "Stripe event ignored: billing does not act on it")
		return nil
	}
	return s.store.Owner(ctx).Transaction(func(tx *gorm.DB) error {
		// The id is recorded in the transaction of the change it causes: both commit, or
		// neither does and the redelivery applies it.
		fresh, err := recordEvent(tx, ev.ID, string(ev.Type), s.now())
		if err != nil || !fresh {
			if err == nil {
				log.InfoContext(ctx, "Stripe event already processed")
			}
			return err
		}
		a, err := lockAccountByCustomer(tx, c.customer)
		if errors.Is(err, errNoAccount) {
			log.WarnContext(ctx, "Stripe event ignored: its customer is no tenant's", "customer", c.customer)
			return nil
		}
		if err != nil {
			return err
		}
		if c.tenantRef != "" && c.tenantRef != a.TenantID.String() {
			log.WarnContext(ctx, "Stripe event ignored: checkout of another tenant", "customer", c.customer, "client_reference_id", c.tenantRef)
			return nil
		}
		next, changed := a.apply(c, s.cfg.GracePeriod)
		if !changed {
			log.InfoContext(ctx, "Stripe event ignored: older than the tenant's billing state, or of another subscription",
				"tenant_id", a.TenantID.String(), "subscription", c.subscription)
			return nil
		}
		log.InfoContext(ctx, "Stripe event applied", "tenant_id", a.TenantID.String(), "status", next.Status)
		return saveAccount(tx, next)
	})
}

// refusal answers a delivery that ConstructEvent rejected.
func (s *Service) refusal(ctx context.Context, err error) error {
	for _, sig := range []error{webhook.ErrNotSigned, webhook.ErrInvalidHeader, webhook.ErrNoValidSignature, webhook.ErrTooOld} {
		if errors.Is(err, sig) {
			s.log.WarnContext(ctx, "Stripe webhook refused", "error", err)
			return errBadSignature
		}
	}
	// Signed by Stripe but unreadable: most likely the endpoint's API version differs from the
	// one this build's stripe-go reads, which the operator must fix in Stripe's dashboard.
	s.log.ErrorContext(ctx, "Stripe webhook unreadable", "error", err, "api_version", stripe.APIVersion)
	return fault.New(fault.Invalid, "invalid_event",
		"the event could not be read; the webhook endpoint must use Stripe API version "+stripe.APIVersion)
}
