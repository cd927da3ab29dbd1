package tenants

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/visits"
)

// The demo tenant's fixed sign-in: CI and the README log in with these.
const (
	DemoSlug       = "demo"
	DemoCompany    = "Demo Foods Co."
	DemoAdminEmail = "admin@demo.repflow.test"
	DemoPassword   = "repflow-demo-2026"
	demoDomain     = "@demo.repflow.test"
)

// DemoSummary says how to sign in to the demo tenant.
type DemoSummary struct {
	TenantID uuid.UUID
	Company  string
	Slug     string
	// Created is false when the demo existed already and was only reported.
	Created bool
	// Password is every demo user's password.
	Password string
	Users    []DemoUser
	// Customers counts the demo's customers as its admin sees them.
	Customers int
	// Visits counts the reps' visits, Suspicious those whose check-in the trust verdict did not
	// believe, and Pending those of them still waiting for a manager's review.
	Visits, Suspicious, Pending int
	// Fixes counts the GPS fixes of the reps' tracks.
	Fixes int64
	// Sales counts the catalogue, orders, shelf checks, store listings and activities.
	Sales DemoSales
	// Reports counts the appraisal report versions, of every month.
	Reports int
}

// DemoUser is one demo account.
type DemoUser struct {
	Email  string
	Name   string
	Roles  []string
	Region string
}

// Demo creates the demo tenant, a food company selling across East and South China to shops and
// restaurants in five cities, with its reps' last 13 weeks of visits and the sales work done on
// them (orders, shelf checks, store listings, calls and messages), or, when a tenant with slug
// "demo" exists, only reports its accounts. Everything is made through the provisioner and the
// domain services, in one transaction: a failure leaves no demo behind.
func Demo(ctx context.Context, p *Provisioner) (DemoSummary, error) {
	t, err := p.demoTenant(ctx)
	if err != nil {
		return DemoSummary{}, err
	}
	created := false
	if t == nil {
		in := Signup{Company: DemoCompany, Slug: DemoSlug, Industry: IndustryFMCG, TimeZone: "Asia/Shanghai", Currency: "CNY",
			AdminName: "Zhou Min", AdminEmail: DemoAdminEmail, AdminPassword: DemoPassword}
		prov, err := p.provision(ctx, in, StatusActive, func(ctx context.Context) error {
			if err := buildDemo(ctx, p.org, p.visits); err != nil {
				return err
			}
			now := time.Now()
			hist, err := p.buildDemoVisits(ctx, now)
			if err != nil {
				return err
			}
			if err := p.buildDemoSales(ctx, hist); err != nil {
				return err
			}
			return p.buildDemoAppraisal(ctx, now)
		})
		if err != nil {
			return DemoSummary{}, fmt.Errorf("create demo: %w", err)
		}
		t, created = &tenantRow{ID: prov.TenantID, Slug: prov.Slug, Name: prov.Name}, true
	}
	sum, err := p.demoSummary(ctx, *t)
	if err != nil {
		return DemoSummary{}, err
	}
	sum.Created = created
	return sum, nil
}

// demoTenant returns the tenant with the demo slug, or nil when there is none.
func (p *Provisioner) demoTenant(ctx context.Context) (*tenantRow, error) {
	var rows []tenantRow
	if err := p.store.Owner(ctx).Where("slug = ?", DemoSlug).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find demo tenant: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// demoSummary lists the demo's accounts as its admin sees them.
func (p *Provisioner) demoSummary(ctx context.Context, t tenantRow) (DemoSummary, error) {
	// The login directory is global: the owner handle finds which user the admin e-mail signs in as.
	var login loginRow
	err := p.store.Owner(ctx).Where("email = ?", DemoAdminEmail).Take(&login).Error
	if store.IsNotFound(err) || (err == nil && login.TenantID != t.ID) {
		return DemoSummary{}, fmt.Errorf("a tenant with slug %q exists but %s does not belong to it: it is not the demo", DemoSlug, DemoAdminEmail)
	}
	if err != nil {
		return DemoSummary{}, fmt.Errorf("find demo admin: %w", err)
	}
	principal, err := p.org.Principal(identity.System(ctx, t.ID), login.UserID)
	if err != nil {
		return DemoSummary{}, fmt.Errorf("demo admin: %w", err)
	}
	admin := identity.With(ctx, principal)
	regions, err := p.org.ListRegions(admin)
	if err != nil {
		return DemoSummary{}, err
	}
	regionName := map[uuid.UUID]string{}
	for _, r := range regions {
		regionName[r.ID] = r.Name
	}
	sum := DemoSummary{TenantID: t.ID, Company: t.Name, Slug: t.Slug, Password: DemoPassword}
	for f := (org.UserFilter{Status: org.StatusActive, Limit: org.MaxPageSize}); ; {
		page, err := p.org.ListUsers(admin, f)
		if err != nil {
			return DemoSummary{}, err
		}
		for _, u := range page.Users {
			sum.Users = append(sum.Users, DemoUser{Email: u.Email, Name: u.Name, Roles: u.Roles, Region: regionName[u.RegionID]})
		}
		if page.Next == nil {
			break
		}
		f.After = page.Next
	}
	for f := (visits.CustomerFilter{Limit: visits.MaxPageSize}); ; {
		page, err := p.visits.ListCustomers(admin, f)
		if err != nil {
			return DemoSummary{}, err
		}
		sum.Customers += len(page.Customers)
		if page.Next == nil {
			break
		}
		f.After = page.Next
	}
	return sum, p.demoActivity(admin, &sum)
}

// demoActivity counts the demo's visits as its admin sees them, and the fixes of its tracks.
func (p *Provisioner) demoActivity(admin context.Context, sum *DemoSummary) error {
	for f := (visits.VisitFilter{Limit: visits.MaxPageSize}); ; {
		page, err := p.visits.ListVisits(admin, f)
		if err != nil {
			return err
		}
		for _, v := range page.Visits {
			sum.Visits++
			if !v.Verdict.Trusted {
				sum.Suspicious++
			}
			if v.ReviewStatus == visits.ReviewPending {
				sum.Pending++
			}
		}
		if page.Next == nil {
			break
		}
		f.After = page.Next
	}
	// The visits service has no count of fixes (nobody else needs one): the admin's tenant
	// transaction counts the rows.
	err := p.store.Tx(admin, func(_ context.Context, db *gorm.DB) error {
		return db.Table("track_fixes").Count(&sum.Fixes).Error
	})
	if err != nil {
		return fmt.Errorf("count demo fixes: %w", err)
	}
	if sum.Sales, err = p.demoSalesCounts(admin); err != nil {
		return err
	}
	reports, err := p.appraisal.ListReports(admin, "", nil)
	sum.Reports = len(reports)
	return err
}

// loginRow reads the global login directory (migrations/0001_core.go).
type loginRow struct {
	Email    string
	TenantID uuid.UUID
	UserID   uuid.UUID
}

func (loginRow) TableName() string { return "login_emails" }

// Print writes how to sign in, one account per line.
func (d DemoSummary) Print(w io.Writer) error {
	verb := "exists already"
	if d.Created {
		verb = "was created"
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Demo tenant %q (slug %s) %s.\n", d.Company, d.Slug, verb)
	fmt.Fprintf(tw, "It sells to %d customers, each with a geofence on the map.\n", d.Customers)
	fmt.Fprintf(tw, "Its reps made %d visits and sent %d GPS fixes; %d visits were suspicious, %d of them wait for review.\n",
		d.Visits, d.Fixes, d.Suspicious, d.Pending)
	n := d.Sales
	fmt.Fprintf(tw, "Its catalogue lists %d products; the reps took %d orders (%d overdue now) and made %d shelf checks.\n",
		n.Products, n.Orders, n.Overdue, n.ShelfChecks)
	fmt.Fprintf(tw, "They worked %d store listings through the pipeline (%d listed, %d not listed) and logged %d calls, messages and meetings.\n",
		n.Opportunities, n.Won, n.Lost, n.Activities)
	fmt.Fprintf(tw, "Every rep has this month's targets; %d appraisal report(s) wait at /api/v1/appraisal/reports.\n", d.Reports)
	fmt.Fprintf(tw, "Sign in as %s with password %s; every demo user below has the same password.\n\n", DemoAdminEmail, d.Password)
	fmt.Fprintln(tw, "E-MAIL\tNAME\tROLES\tREGION")
	for _, u := range d.Users {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Email, u.Name, strings.Join(u.Roles, ","), u.Region)
	}
	return tw.Flush()
}
