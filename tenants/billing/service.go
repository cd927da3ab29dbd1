package billing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/store"
)

// Options are the service's collaborators besides its configuration.
type Options struct {
	// Now is the clock that grace periods are measured with; nil means time.Now.
	Now func() time.Time
	Log *slog.Logger
	// HTTPClient calls Stripe; nil means a client with a 30-second timeout.
	HTTPClient *http.Client
}

// Service bills tenants. Its zero value is not usable; call New.
type Service struct {
	store  *store.Store
	cfg    Config
	stripe *stripeAPI // nil when billing is off: then nothing can call Stripe
	now    func() time.Time
	log    *slog.Logger
}

// New returns the billing service, off when cfg has no secret key, and fails on an enabled
// configuration that is incomplete.
func New(s *store.Store, cfg Config, o Options) (*Service, error) {
	cfg, err := cfg.checked()
	if err != nil {
		return nil, err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	svc := &Service{store: s, cfg: cfg, now: o.Now, log: o.Log}
	if cfg.Enabled() {
		svc.stripe = newStripeAPI(cfg, o.HTTPClient, o.Log)
	}
	return svc, nil
}

// Enabled reports whether billing is on.
func (s *Service) Enabled() bool { return s.stripe != nil }

// errDisabled answers every billing action on a server without Stripe.
var errDisabled = fault.New(fault.NotFound, "billing_disabled", "billing is not configured on this server")

// errNoSubscription answers seat and portal requests of a tenant that never subscribed.
var errNoSubscription = fault.New(fault.Conflict, "no_subscription", "no subscription yet: start one with checkout first")

// Standing is the tenant's billing standing now. With billing off every tenant is in good
// standing; a tenant that never subscribed is too.
func (s *Service) Standing(ctx context.Context, tenantID uuid.UUID) (Standing, error) {
	if !s.Enabled() {
		return Standing{State: StateOff}, nil
	}
	a, err := loadAccount(s.store.Owner(ctx), tenantID)
	if errors.Is(err, errNoAccount) {
		return Standing{State: StateNone}, nil
	}
	if err != nil {
		return Standing{}, err
	}
	return a.standing(s.now()), nil
}

// Refusal is the refusal of a write in a read-only standing, or nil.
func (st Standing) Refusal() error {
	if st.Writable() {
		return nil
	}
	msg := "this workspace is read-only because its subscription has ended; your data is kept: a tenant admin can start a new subscription from the billing page"
	switch st.Subscription {
	case statusPastDue, statusUnpaid:
		msg = "this workspace is read-only because a payment is overdue"
		if st.GraceUntil != nil {
			msg += " and its grace period ended on " + st.GraceUntil.UTC().Format("2006-01-02")
		}
		msg += "; your data is kept: a tenant admin can update the card in the billing portal to restore it"
	case statusPaused:
		msg = "this workspace is read-only because its subscription is paused; your data is kept: a tenant admin can resume it in the billing portal"
	}
	return fault.New(fault.PaymentRequired, "billing_read_only", msg)
}

// ensureAccount returns the tenant's account, creating its Stripe customer the first time.
func (s *Service) ensureAccount(ctx context.Context, tenantID uuid.UUID) (account, error) {
	a, err := loadAccount(s.store.Owner(ctx), tenantID)
	if !errors.Is(err, errNoAccount) {
		return a, err
	}
	t, err := loadTenant(s.store.Owner(ctx), tenantID)
	if err != nil {
		return account{}, err
	}
	customerID, err := s.stripe.createCustomer(ctx, t)
	if err != nil {
		return account{}, s.stripeFailure(ctx, err)
	}
	// created_at and updated_at are the database's wall-clock stamps (gorm's), like every
	// row's; billing's clock only decides standings.
	a = account{TenantID: tenantID, CustomerID: customerID, Status: statusNone}
	var inserted bool
	err = s.store.OwnerWrite(ctx, func(db *gorm.DB) (err error) {
		inserted, err = insertAccount(db, a)
		return err
	})
	if err != nil {
		return account{}, err
	}
	if inserted {
		return a, nil
	}
	// Another request made it first; with the same idempotency key it has the same customer.
	return loadAccount(s.store.Owner(ctx), tenantID)
}

// stripeFailure turns an error from Stripe into what the caller sees: Stripe being down or
// slow is worth a retry (503); anything else is this server's own failure (500), with the
// cause in the log.
func (s *Service) stripeFailure(ctx context.Context, err error) error {
	if unavailable(err) {
		s.log.WarnContext(ctx, "Stripe is unavailable", "error", err)
		return fault.New(fault.Unavailable, "billing_unavailable", "the payment provider did not answer; try again in a minute")
	}
	return fmt.Errorf("billing: %w", err)
}
