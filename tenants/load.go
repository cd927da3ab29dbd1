package tenants

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/rollup"
	"github.com/repflow/repflow/platform/store"
)

// A load tenant is a tenant of realistic size for measuring the platform: 2,000 reps and a
// month of their work (over 2 million visits, 5 million calls, half a million order lines) is
// what the appraisal's report must handle in under 3 seconds. The organisation, catalogue and
// targets are made through the services, like the demo's; the millions of rows of field work
// and sales are written in bulk (COPY on PostgreSQL), in the stored formats of the services
// that would have written them, because replaying them through the services would take days.

// LoadSize is how big a load tenant is: Reps reps with the work of the Days calendar days that
// end the day before Until, in the tenant's zone (Asia/Shanghai, like the demo).
type LoadSize struct {
	Reps, Days int
	// Until is the day after the data: only its date counts, as its own location reads it. Zero
	// means the first day of the current month, so that the data ends with last month: "--days
	// 30" fills last month (all of it but its first day when it has 31), whose report is the one
	// to benchmark.
	Until time.Time
}

// Limits of a load tenant.
const (
	MaxLoadReps = 20_000
	MaxLoadDays = 366
)

// LoadSummary says what a load tenant holds and how to sign in to it.
type LoadSummary struct {
	TenantID      uuid.UUID
	Company, Slug string
	// Created is false when the tenant existed already and was only counted.
	Created              bool
	AdminEmail, Password string
	// From and To are local midnights: the data covers [From, To).
	From, To time.Time
	// Months are the months ("YYYY-MM") the data falls in, oldest first; Month is the last of
	// them, the one to make the report for (it has targets for every rep, as all of them do).
	Months []string
	Month  string
	Counts LoadCounts
	// Reps are the figures written for each rep, in e-mail order; only when Created.
	Reps []LoadRep
	// Took is how long the generation took.
	Took time.Duration
}

// LoadCounts counts the rows of a load tenant.
type LoadCounts struct {
	Regions, Teams, Managers, Reps, Customers, Products               int64
	Visits, Suspicious, Calls, Messages, Meetings                     int64
	Orders, OrderLines, Deliveries, Payments, ShelfChecks, ShelfItems int64
	Targets                                                           int64
}

// LoadRep is what was written for one rep over the whole period, counted the way the services'
// metrics count it.
type LoadRep struct {
	ID    uuid.UUID
	Email string
	// Visits are the closed visits that no manager rejected; CheckIns those checked in, of which
	// VerifiedCheckIns were trusted or accepted on review.
	Visits, CheckIns, VerifiedCheckIns int
	Calls                              int
	// Orders were approved in the period and not cancelled; Revenue is their total.
	Orders  int
	Revenue decimal.Decimal
}

// Slug is the load tenant's slug for this size, e.g. "load-2000x30".
func (s LoadSize) Slug() string { return fmt.Sprintf("load-%dx%d", s.Reps, s.Days) }

// AdminEmail is the load tenant's admin sign-in.
func (s LoadSize) AdminEmail() string { return "admin@" + s.domain() }

func (s LoadSize) domain() string { return s.Slug() + ".repflow.test" }

// period is the data's first day and the day after its last, local midnights.
func (s LoadSize) period(now time.Time) (from, to time.Time) {
	if s.Until.IsZero() {
		y, m, _ := now.In(demoZone).Date()
		to = time.Date(y, m, 1, 0, 0, 0, 0, demoZone)
	} else {
		y, m, d := s.Until.Date()
		to = time.Date(y, m, d, 0, 0, 0, 0, demoZone)
	}
	return to.AddDate(0, 0, -s.Days), to
}

func (s LoadSize) validate(now time.Time) error {
	if s.Reps < 1 || s.Reps > MaxLoadReps {
		return fmt.Errorf("load: %d reps: give 1 to %d", s.Reps, MaxLoadReps)
	}
	if s.Days < 1 || s.Days > MaxLoadDays {
		return fmt.Errorf("load: %d days: give 1 to %d", s.Days, MaxLoadDays)
	}
	if _, to := s.period(now); to.After(now) {
		// The generated work would reach into the future.
		return fmt.Errorf("load: the data must end by today, not on %s", to.AddDate(0, 0, -1).Format(time.DateOnly))
	}
	return nil
}

// months lists the months [from, to) falls in.
func months(from, to time.Time) []string {
	var out []string
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, from.Location()); m.Before(to); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// Load creates the load tenant of this size, or, when a tenant with its slug exists, only
// counts what it holds: running it twice makes nothing twice. The organisation, catalogue and
// customers are made in the provisioning transaction, so that a failure there leaves nothing
// behind; the field work and sales follow in batches, each in a transaction of its own, and
// the targets last, which mark the load as complete. On PostgreSQL the tables are vacuumed and
// analysed at the end.
func Load(ctx context.Context, p *Provisioner, size LoadSize) (LoadSummary, error) {
	started := time.Now()
	if err := size.validate(started); err != nil {
		return LoadSummary{}, err
	}
	from, to := size.period(started)
	sum := LoadSummary{Slug: size.Slug(), Company: fmt.Sprintf("Load Test Foods (%d reps, %d days)", size.Reps, size.Days),
		AdminEmail: size.AdminEmail(), Password: DemoPassword, From: from, To: to, Months: months(from, to)}
	sum.Month = sum.Months[len(sum.Months)-1]
	t, err := p.tenantBySlug(ctx, sum.Slug)
	if err != nil {
		return LoadSummary{}, err
	}
	if t != nil {
		return p.existingLoad(ctx, *t, sum)
	}
	in := Signup{Company: sum.Company, Slug: sum.Slug, Industry: IndustryFMCG, TimeZone: "Asia/Shanghai", Currency: "CNY",
		AdminName: "Load Admin", AdminEmail: sum.AdminEmail, AdminPassword: sum.Password}
	var g *loadGen
	var reps []*loadRep
	prov, err := p.provision(ctx, in, StatusActive, func(ctx context.Context) (err error) {
		g, reps, err = p.buildLoad(ctx, size, &sum)
		return err
	})
	if err != nil {
		return LoadSummary{}, fmt.Errorf("create load tenant: %w", err)
	}
	sum.TenantID, sum.Created = prov.TenantID, true
	if err := p.fillLoad(ctx, prov, g, reps, &sum); err != nil {
		return sum, fmt.Errorf("load tenant %s was created, but not filled (it is left without targets; remove it before loading this size again): %w",
			sum.Slug, err)
	}
	if err := p.tidyLoad(ctx); err != nil {
		return sum, err
	}
	sum.Took = time.Since(started)
	return sum, nil
}

// fillLoad writes the field work and sales as the tenant's admin, then the targets.
func (p *Provisioner) fillLoad(ctx context.Context, prov Provisioned, g *loadGen, reps []*loadRep, sum *LoadSummary) error {
	principal, err := p.org.Principal(identity.System(ctx, prov.TenantID), prov.AdminID)
	if err != nil {
		return err
	}
	admin := identity.With(ctx, principal)
	// The work goes in directly, not through the domains that keep its monthly rollups.
	if err := rollup.Request(admin, p.store, rollup.Visits, rollup.Activities); err != nil {
		return err
	}
	if err := p.loadWork(admin, g, reps, &sum.Counts); err != nil {
		return err
	}
	if sum.Counts.Targets, err = p.setLoadTargets(admin, reps, sum.Months); err != nil {
		return err
	}
	slices.SortFunc(reps, func(a, b *loadRep) int { return strings.Compare(a.email, b.email) })
	for _, r := range reps {
		sum.Reps = append(sum.Reps, r.tally)
	}
	return nil
}

// existingLoad counts what the load tenant t holds, after checking that it is one and that its
// load finished.
func (p *Provisioner) existingLoad(ctx context.Context, t tenantRow, sum LoadSummary) (LoadSummary, error) {
	var login loginRow
	err := p.store.Owner(ctx).Where("email = ?", sum.AdminEmail).Take(&login).Error
	if store.IsNotFound(err) || (err == nil && login.TenantID != t.ID) {
		return sum, fmt.Errorf("a tenant with slug %q exists but %s does not belong to it: it is not a load tenant", t.Slug, sum.AdminEmail)
	}
	if err != nil {
		return sum, fmt.Errorf("find load admin: %w", err)
	}
	sum.TenantID, sum.Company = t.ID, t.Name
	if sum.Counts, err = p.loadCounts(ctx, t.ID); err == nil && sum.Counts.Targets == 0 {
		err = fmt.Errorf("load tenant %s exists but its load did not finish (it has no targets): remove it first", t.Slug)
	}
	return sum, err
}

// tenantBySlug returns the tenant with the slug, or nil when there is none.
func (p *Provisioner) tenantBySlug(ctx context.Context, slug string) (*tenantRow, error) {
	var rows []tenantRow
	if err := p.store.Owner(ctx).Where("slug = ?", slug).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find tenant %s: %w", slug, err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// loadTables are the tables a load fills with thousands of rows.
var loadTables = []string{"customers", "visits", "visit_revisions", "visit_reviews", "orders", "order_lines",
	"order_transitions", "deliveries", "delivery_lines", "payments", "shelf_checks", "shelf_check_items", "activities",
	"users", "user_roles", "team_members", "appraisal_targets"}

// tidyLoad vacuums and analyses the tables a load filled, as the schema's owner (only the owner
// may): the planner learns their size, and the visibility map and hint bits are set now rather
// than by the first report that reads the rows. The embedded database needs neither.
func (p *Provisioner) tidyLoad(ctx context.Context) error {
	if p.store.Dialect() != store.Postgres {
		return nil
	}
	// Through database/sql: the store's log would call each of these a slow statement.
	db, err := p.store.Owner(ctx).DB()
	if err != nil {
		return err
	}
	for _, t := range loadTables {
		if _, err := db.ExecContext(ctx, "VACUUM (ANALYZE) "+t); err != nil {
			return fmt.Errorf("vacuum %s: %w", t, err)
		}
	}
	return nil
}
