package tenants

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/tenants/billing"
)

// A tenant's plan follows from billing: a server without billing (self-hosted) limits nothing;
// on one that bills, a tenant trials the product for TrialDays from its verification with up to
// TrialSeats people, then subscribes for as many seats as it pays for.
const (
	TrialDays  = 14
	TrialSeats = 5
)

// Plan names a tenant's terms.
type Plan string

const (
	PlanSelfHosted   Plan = "self_hosted"
	PlanTrial        Plan = "trial"
	PlanSubscription Plan = "subscription"
)

// Allowance is what a tenant's plan allows it now.
type Allowance struct {
	Plan Plan
	// Seats is how many people may be active at once; 0: no limit.
	Seats int
	// Storage is how many bytes of files (photos, attachments) it may keep; 0: no limit.
	Storage int64
	// Connectors is how many connectors it may keep; 0: no limit.
	Connectors  int
	TrialEndsAt *time.Time
	Billing     billing.Standing
}

// Plans reads tenants' allowances and enforces them.
type Plans struct {
	store   *store.Store
	billing *billing.Service
	now     func() time.Time
}

// NewPlans returns the plans over billing b.
func NewPlans(s *store.Store, b *billing.Service) *Plans {
	return &Plans{store: s, billing: b, now: time.Now}
}

// Allowance is tenant's allowance now.
func (p *Plans) Allowance(ctx context.Context, tenant uuid.UUID) (Allowance, error) {
	st, err := p.billing.Standing(ctx, tenant)
	if err != nil {
		return Allowance{}, err
	}
	a := Allowance{Billing: st}
	switch st.State {
	case billing.StateOff:
		a.Plan = PlanSelfHosted
	case billing.StateNone:
		var t tenantRow
		if err := p.store.Owner(ctx).Where("id = ?", tenant).Take(&t).Error; err != nil {
			return Allowance{}, fmt.Errorf("tenant of the plan: %w", err)
		}
		from := t.CreatedAt
		if t.VerifiedAt != nil {
			from = *t.VerifiedAt
		}
		ends := from.AddDate(0, 0, TrialDays)
		a.Plan, a.Seats, a.TrialEndsAt = PlanTrial, TrialSeats, &ends
	default:
		a.Plan, a.Seats = PlanSubscription, st.Seats
	}
	a.Storage = storageOf(a.Plan, a.Seats)
	a.Connectors = connectorsOf(a.Plan)
	return a, nil
}

// CheckSeats is org's seat limit (org.SeatLimit): active is how many people the tenant of ctx
// would have active. The sample people (sample.go) take no seat.
func (p *Plans) CheckSeats(ctx context.Context, active int) error {
	a, err := p.Allowance(ctx, identity.TenantID(ctx))
	if err != nil {
		return err
	}
	samples, err := p.sampleSeats(ctx)
	if err != nil {
		return err
	}
	active -= samples
	if a.Seats == 0 || active <= a.Seats {
		return nil
	}
	what := "add seats on the billing page"
	if a.Plan == PlanTrial {
		what = "subscribe on the billing page for more"
	}
	return fault.New(fault.Conflict, "seat_limit", fmt.Sprintf("your plan allows %d people; %d are active: %s, or deactivate someone first",
		a.Seats, active-1, what))
}

// Writable answers nil when tenant may change its data: not after its trial has ended without a
// subscription, nor while billing holds it read-only.
func (p *Plans) Writable(ctx context.Context, tenant uuid.UUID) error {
	a, err := p.Allowance(ctx, tenant)
	if err != nil {
		return err
	}
	if a.Plan == PlanTrial && !p.now().Before(*a.TrialEndsAt) {
		return fault.New(fault.PaymentRequired, "trial_ended", fmt.Sprintf(
			"the trial ended on %s: subscribe on the billing page to keep working; everything is kept, and reading still works",
			a.TrialEndsAt.UTC().Format(time.DateOnly)))
	}
	return a.Billing.Refusal()
}

// Usage is a tenant's allowance beside what it uses.
type Usage struct {
	Allowance
	ActiveSeats    int
	StorageUsed    int64 // bytes
	ConnectorsUsed int
}

// Usage is the signed-in caller's tenant's usage, for its admins.
func (p *Plans) Usage(ctx context.Context) (Usage, error) {
	me, err := identity.SignedIn(ctx, "see the plan")
	if err != nil {
		return Usage{}, err
	}
	if !me.HasRole(identity.RoleTenantAdmin) && !me.HasRole(identity.RoleHQ) {
		return Usage{}, fault.New(fault.Forbidden, "forbidden", "the plan and its usage are for tenant admins and HQ")
	}
	a, err := p.Allowance(ctx, me.TenantID)
	if err != nil {
		return Usage{}, err
	}
	var active int64
	err = p.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		return db.Table("users").Where("status = ?", "active").Count(&active).Error
	})
	if err != nil {
		return Usage{}, err
	}
	samples, err := p.sampleSeats(ctx)
	if err != nil {
		return Usage{}, err
	}
	active -= int64(samples)
	used, err := p.StorageUsed(ctx)
	if err != nil {
		return Usage{}, err
	}
	connectors, err := p.ConnectorsUsed(ctx)
	return Usage{Allowance: a, ActiveSeats: int(active), StorageUsed: used, ConnectorsUsed: connectors}, err
}

// sampleSeats counts the active sample people of the tenant of ctx.
func (p *Plans) sampleSeats(ctx context.Context) (int, error) {
	var n int64
	err := p.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		return db.Table("users").Where("status = ? AND id IN (?)", "active",
			db.Session(&gorm.Session{NewDB: true}).Table("sample_records").Select("id").Where("kind = ?", "users")).Count(&n).Error
	})
	if err != nil {
		return 0, fmt.Errorf("count sample people: %w", err)
	}
	return int(n), nil
}
