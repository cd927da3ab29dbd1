package billing

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
)

// MaxSeats bounds a subscription's quantity: far above any sales force, low enough to catch a
// typo before Stripe bills it.
const MaxSeats = 100000

// Checkout starts a subscription of seats seats for the caller's tenant and returns the URL of
// Stripe's Checkout page to send the tenant admin to. The subscription exists once Stripe's
// webhook says so.
func (s *Service) Checkout(ctx context.Context, seats int) (string, error) {
	tenantID, err := s.adminTenant(ctx, "start a subscription")
	if err != nil {
		return "", err
	}
	if err := validSeats(seats); err != nil {
		return "", err
	}
	a, err := s.ensureAccount(ctx, tenantID)
	if err != nil {
		return "", err
	}
	if a.live() {
		return "", fault.New(fault.Conflict, "already_subscribed",
			"this workspace already has a subscription: change its seats, or manage cards and invoices in the billing portal")
	}
	url, err := s.stripe.checkoutURL(ctx, tenantID, a.CustomerID, seats, s.cfg.SuccessURL, s.cfg.CancelURL)
	if err != nil {
		return "", s.stripeFailure(ctx, err)
	}
	return url, nil
}

// Portal returns the URL of a Stripe customer portal session for the caller's tenant, where its
// admin changes cards, reads invoices and cancels.
func (s *Service) Portal(ctx context.Context) (string, error) {
	tenantID, err := s.adminTenant(ctx, "manage billing")
	if err != nil {
		return "", err
	}
	a, err := loadAccount(s.store.Owner(ctx), tenantID)
	if errors.Is(err, errNoAccount) || (err == nil && a.SubscriptionID == "") {
		return "", errNoSubscription
	}
	if err != nil {
		return "", err
	}
	url, err := s.stripe.portalURL(ctx, a.CustomerID, s.cfg.PortalReturnURL)
	if err != nil {
		return "", s.stripeFailure(ctx, err)
	}
	return url, nil
}

// SetSeats makes the caller's tenant pay for seats seats from now on, and returns its standing;
// Stripe prorates the change onto the next invoice. The caller is a tenant admin, or the
// platform itself (a context from identity.System) keeping the seats in step with the active
// users. With billing off it does nothing.
func (s *Service) SetSeats(ctx context.Context, seats int) (Standing, error) {
	p, ok := identity.From(ctx)
	if !ok {
		return Standing{}, fault.New(fault.Unauthorized, "unauthenticated", "sign in to change the seats")
	}
	if p.UserID != uuid.Nil && !p.HasRole(identity.RoleTenantAdmin) {
		return Standing{}, fault.New(fault.Forbidden, "forbidden", "only a tenant admin can change the seats")
	}
	if !s.Enabled() {
		return Standing{State: StateOff}, nil
	}
	if err := validSeats(seats); err != nil {
		return Standing{}, err
	}
	a, err := loadAccount(s.store.Owner(ctx), p.TenantID)
	if errors.Is(err, errNoAccount) || (err == nil && a.SubscriptionID == "") {
		return Standing{}, errNoSubscription
	}
	if err != nil {
		return Standing{}, err
	}
	if !a.live() {
		return Standing{}, fault.New(fault.Conflict, "subscription_ended",
			"the subscription is not in service (canceled, or its first payment never went through): start a new one with checkout")
	}
	if a.Seats == seats && a.SubscriptionItemID != "" {
		return a.standing(s.now()), nil
	}
	if a.SubscriptionItemID == "" {
		// Checkout completed, but the subscription's own event (which names the item) is not in.
		if a.SubscriptionItemID, err = s.stripe.seatItem(ctx, a.SubscriptionID); err != nil {
			return Standing{}, s.stripeFailure(ctx, err)
		}
	}
	if err := s.stripe.setQuantity(ctx, a.SubscriptionItemID, seats); err != nil {
		return Standing{}, s.stripeFailure(ctx, err)
	}
	// Stripe's subscription.updated event brings the same quantity; recording it now shows it at
	// once. Only these columns: an event may have changed the rest meanwhile.
	a.Seats = seats
	err = s.store.OwnerWrite(ctx, func(db *gorm.DB) error {
		return db.Model(&accountRow{}).Where("tenant = ?", a.TenantID).
			Updates(map[string]any{"seats": seats, "subscription_item_id": a.SubscriptionItemID}).Error
	})
	if err != nil {
		return Standing{}, fmt.Errorf("record seats of tenant %s: %w", a.TenantID, err)
	}
	return a.standing(s.now()), nil
}

// adminTenant returns the tenant of a signed-in tenant admin, with billing on.
func (s *Service) adminTenant(ctx context.Context, what string) (uuid.UUID, error) {
	p, err := identity.SignedIn(ctx, what)
	if err != nil {
		return uuid.Nil, err
	}
	if !p.HasRole(identity.RoleTenantAdmin) {
		return uuid.Nil, fault.New(fault.Forbidden, "forbidden", "only a tenant admin can "+what)
	}
	if !s.Enabled() {
		return uuid.Nil, errDisabled
	}
	return p.TenantID, nil
}

func validSeats(seats int) error {
	if seats < 1 || seats > MaxSeats {
		return fault.Field("body.seats", "must be between 1 and 100000", seats)
	}
	return nil
}
