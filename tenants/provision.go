// Package tenants is the tenant lifecycle: sign-up and provisioning of a new tenant, and the demo
// tenant.
package tenants

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/appraisal"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/pipeline"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/tenants/templates"
)

// Industries a tenant can start from.
const (
	IndustryFMCG       = "fmcg"
	IndustryIndustrial = "industrial"
)

// A tenant's status.
const (
	StatusActive = "active" // in service
	// StatusUnverified is a tenant signed up whose admin has not yet confirmed their e-mail
	// address: nobody signs in to it until they have.
	StatusUnverified = "unverified"
	// StatusSuspended is a tenant the operator took out of service: nobody signs in, nothing is
	// lost.
	StatusSuspended = "suspended"
)

// Signup is what a company gives to open a tenant.
type Signup struct {
	Company string
	// Slug names the tenant in URLs; derived from Company when empty.
	Slug          string
	Industry      string // IndustryFMCG or IndustryIndustrial
	TimeZone      string // IANA, e.g. Asia/Shanghai
	Currency      string // ISO 4217, e.g. CNY
	AdminName     string
	AdminEmail    string
	AdminPassword string
	// SampleData asks for a small sample data set (sample.go) so that the dashboards are not
	// empty on day one; its admin can remove it all at once.
	SampleData bool
}

// Provisioned describes the new tenant.
type Provisioned struct {
	TenantID     uuid.UUID
	Slug         string
	Name         string
	RootRegionID uuid.UUID
	AdminID      uuid.UUID
	AdminEmail   string
	Status       string
}

// Provisioner opens new tenants.
type Provisioner struct {
	store     *store.Store
	org       *org.Service
	warden    *access.Warden
	visits    *visits.Service
	pipeline  *pipeline.Service
	appraisal *appraisal.Service
}

// NewProvisioner returns a provisioner that builds tenants through the organisation service,
// seeds their access policies with the warden and their industry's pipeline and KPI template
// through the pipeline and appraisal services, and gives the demo its customers through the
// visits service.
func NewProvisioner(s *store.Store, o *org.Service, w *access.Warden, v *visits.Service, pl *pipeline.Service, ap *appraisal.Service) *Provisioner {
	return &Provisioner{store: s, org: o, warden: w, visits: v, pipeline: pl, appraisal: ap}
}

// tenantRow is the global tenants table (migrations/0001_core.go), written through the owner
// handle: it exists before any tenant transaction can.
type tenantRow struct {
	ID         uuid.UUID
	Slug       string
	Name       string
	Industry   string
	TimeZone   string
	Currency   string
	Status     string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	VerifiedAt *time.Time // when its admin confirmed their e-mail; nil while unverified
}

func (tenantRow) TableName() string { return "tenants" }

// Provision creates a tenant: its row, then in one tenant transaction the root region (named
// after the company), the first admin (tenant_admin and hq) with their password, and the default
// access policies. When that transaction fails the tenant row goes again: nothing half-made stays.
func (p *Provisioner) Provision(ctx context.Context, in Signup) (Provisioned, error) {
	return p.provision(ctx, in, StatusActive, nil)
}

// provision is Provision with setup, which runs as the new admin inside the tenant transaction
// (the demo fills its organisation this way, so a failure leaves no demo tenant at all).
func (p *Provisioner) provision(ctx context.Context, in Signup, status string, setup func(ctx context.Context) error) (Provisioned, error) {
	in, derived, err := validSignup(in)
	if err != nil {
		return Provisioned{}, err
	}
	row, err := p.insertTenant(ctx, in, status, derived)
	if err != nil {
		return Provisioned{}, err
	}
	out := Provisioned{TenantID: row.ID, Slug: row.Slug, Name: row.Name, AdminEmail: in.AdminEmail, Status: status}
	// On SQLite both handles share one database file: the owner's insert above is committed and
	// the owner writes nothing while the tenant transaction below holds the write lock.
	err = p.store.Tx(identity.System(ctx, row.ID), func(ctx context.Context, _ *gorm.DB) error {
		root, admin, err := p.org.Bootstrap(ctx, in.Company, org.NewUser{Email: in.AdminEmail, Name: in.AdminName, Password: in.AdminPassword})
		if err != nil {
			return err
		}
		out.RootRegionID, out.AdminID = root.ID, admin.ID
		if err := p.warden.SeedDefaults(ctx); err != nil {
			return fmt.Errorf("seed policies: %w", err)
		}
		if err := p.seedPipeline(ctx, in.Industry); err != nil {
			return err
		}
		if err := p.appraisal.Provision(ctx, in.Industry); err != nil {
			return fmt.Errorf("seed KPI template: %w", err)
		}
		if setup == nil {
			return nil
		}
		principal, err := p.org.Principal(ctx, admin.ID)
		if err != nil {
			return err
		}
		return setup(identity.With(ctx, principal))
	})
	if err != nil {
		if derr := p.store.Owner(ctx).Where("id = ?", row.ID).Delete(&tenantRow{}).Error; derr != nil {
			// Not the caller's fault any more: the platform left a tenant row behind.
			return Provisioned{}, fmt.Errorf("provision tenant %s: %v; removing its tenant row %s failed too: %v", row.Slug, err, row.ID, derr)
		}
		return Provisioned{}, fmt.Errorf("provision tenant %s: %w", row.Slug, signupFault(err))
	}
	return out, nil
}

// setUp gives a signed-up tenant the rest of its industry's setup (templates.SetupOf), as its
// first admin in the provisioning transaction: the regions under the root, the visit cadences
// and the commission plan. The demo and the load tenants build their own organisations.
func (p *Provisioner) setUp(ctx context.Context, in Signup) error {
	in, _, err := validSignup(in)
	if err != nil {
		return err
	}
	setup, err := templates.SetupOf(in.Industry, in.Currency)
	if err != nil {
		return err
	}
	me, err := identity.SignedIn(ctx, "set up the tenant")
	if err != nil {
		return err
	}
	for _, name := range setup.Regions {
		if _, err := p.org.CreateRegion(ctx, name, me.RegionID); err != nil {
			return fmt.Errorf("region %s: %w", name, err)
		}
	}
	if _, err := p.visits.SetCadences(ctx, setup.Cadences); err != nil {
		return err
	}
	if _, err := p.appraisal.SetCommissionPlan(ctx, setup.Commission); err != nil {
		return fmt.Errorf("commission plan: %w", err)
	}
	return nil
}

// seedPipeline gives the tenant its industry template's pipeline.
func (p *Provisioner) seedPipeline(ctx context.Context, industry string) error {
	def, err := templates.Pipeline(industry)
	if err != nil {
		return err
	}
	if _, err := p.pipeline.Provision(ctx, def); err != nil {
		return fmt.Errorf("seed pipeline: %w", err)
	}
	return nil
}

// insertTenant writes the tenants row. A derived slug that is taken gets a short suffix; a slug
// the company chose itself is theirs to change.
func (p *Provisioner) insertTenant(ctx context.Context, in Signup, status string, derived bool) (tenantRow, error) {
	t := time.Now().UTC().Truncate(time.Microsecond)
	row := tenantRow{ID: identity.NewID(), Slug: in.Slug, Name: in.Company, Industry: in.Industry, TimeZone: in.TimeZone,
		Currency: in.Currency, Status: status, CreatedAt: t, UpdatedAt: t}
	if status == StatusActive {
		row.VerifiedAt = &t
	}
	for attempt := 0; ; attempt++ {
		err := p.store.Owner(ctx).Create(&row).Error
		if err == nil {
			return row, nil
		}
		if !store.IsUniqueViolation(err) {
			return tenantRow{}, fmt.Errorf("insert tenant: %w", err)
		}
		if !derived || attempt == 4 {
			return tenantRow{}, fault.New(fault.Conflict, "slug_taken", "the name "+row.Slug+" is taken by another tenant; choose another slug",
				fault.Detail{Location: "body.slug", Message: "is taken", Value: row.Slug})
		}
		row.Slug = withSuffix(in.Slug, identity.NewID())
	}
}

// signupFault names the sign-up's fields in faults that the organisation service raised about
// the admin user.
func signupFault(err error) error {
	f, ok := fault.As(err)
	if !ok {
		return err
	}
	fields := map[string]string{"body.email": "body.admin_email", "body.name": "body.admin_name", "body.password": "body.admin_password"}
	out := *f
	out.Details = make([]fault.Detail, len(f.Details))
	for i, d := range f.Details {
		if to, ok := fields[d.Location]; ok {
			d.Location = to
		}
		out.Details[i] = d
	}
	return &out
}
