package tenants

import (
	"context"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/activities"
	"github.com/repflow/repflow/platform/appraisal"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/platform/orders"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/pipeline"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/platform/visits"
)

// testPasswords stands in for the auth package: short passwords are refused the way auth
// refuses them (a fault without details); others are remembered.
type testPasswords struct {
	mu  sync.Mutex
	set map[uuid.UUID]string
}

func (p *testPasswords) SetPassword(_ context.Context, userID uuid.UUID, password string) error {
	if utf8.RuneCountInString(password) < 10 {
		return fault.New(fault.Invalid, "weak_password", "the password is too short: use at least 10 characters")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.set[userID] = password
	return nil
}

type harness struct {
	s    *store.Store
	org  *org.Service
	prov *Provisioner
	pw   *testPasswords
	// visits is the customer service the provisioner was given.
	visits *visits.Service
	// pipeline, orders and activities read what the demo made.
	pipeline   *pipeline.Service
	orders     *orders.Service
	activities *activities.Service
}

func newHarness(t *testing.T) *harness {
	s := storetest.Open(t)
	w := access.NewWarden(s)
	pw := &testPasswords{set: map[uuid.UUID]string{}}
	o := org.NewService(s, w, pw)
	v := visits.NewService(s, w, visits.Options{})
	q, err := jobs.New(s, jobs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pl := pipeline.NewService(s, w, q, pipeline.Deps{ManagerOf: o.ManagerOf, Currencies: o.Currencies})
	ord := orders.NewService(s, w, orders.CustomerFunc(demoOrderCustomer(v)), o, nil, nil, orders.Options{TimeZone: o.TimeZone})
	act := activities.NewService(s, w, demoAccounts{v}, activities.Options{TimeZone: o.TimeZone})
	return &harness{s: s, org: o, prov: NewProvisioner(s, o, w, v, pl, appraisal.NewService(s, w, appraisal.Deps{Rep: testRep(o), Reps: testReps(o), TimeZone: o.TimeZone})), pw: pw, visits: v, pipeline: pl, orders: ord, activities: act}
}

// tenantTables are every table provisioning may write, with the column naming the tenant.
var tenantTables = map[string]string{"tenants": "id", "regions": "tenant_id", "users": "tenant_id", "user_roles": "tenant_id",
	"login_emails": "tenant_id", "teams": "tenant_id", "team_members": "tenant_id", "access_policies": "tenant_id", "customers": "tenant_id",
	"pipelines": "tenant_id", "pipeline_stages": "tenant_id",
	"appraisal_templates": "tenant_id", "appraisal_template_versions": "tenant_id"}

// rows counts, through the owner handle, the rows of each table (of tenant t, or of all tenants
// when t is uuid.Nil).
func (h *harness) rows(t *testing.T, tenant uuid.UUID) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for table, col := range tenantTables {
		q := h.s.Owner(context.Background()).Table(table)
		if tenant != uuid.Nil {
			q = q.Where(col+" = ?", tenant)
		}
		var n int64
		if err := q.Count(&n).Error; err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

func goodSignup() Signup {
	return Signup{Company: "Acme Foods (Qingdao) Ltd.", Industry: "FMCG", TimeZone: "Asia/Shanghai", Currency: "cny",
		AdminName: "Ada Admin", AdminEmail: " Ada@Acme.test ", AdminPassword: "a-long-password"}
}

func TestProvisionCreatesTheTenant(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	got, err := h.prov.Provision(ctx, goodSignup())
	if err != nil {
		t.Fatal(err)
	}
	if got.Slug != "acme-foods-qingdao-ltd" || got.Name != "Acme Foods (Qingdao) Ltd." || got.AdminEmail != "ada@acme.test" {
		t.Errorf("provisioned %+v", got)
	}
	var policies int64
	if err := h.s.Owner(ctx).Table("access_policies").Where("tenant_id = ? AND builtin", got.TenantID).Count(&policies).Error; err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"tenants": 1, "regions": 1, "users": 1, "user_roles": 2, "login_emails": 1, "teams": 0,
		"team_members": 0, "access_policies": policies, "customers": 0,
		// The FMCG template's pipeline: lead, listing proposal, trial order, listed, not listed.
		"pipelines": 1, "pipeline_stages": 5,
		// The FMCG KPI template, at its first version.
		"appraisal_templates": 1, "appraisal_template_versions": 1}
	if d := cmp.Diff(want, h.rows(t, got.TenantID)); d != "" || policies == 0 {
		t.Errorf("rows of the new tenant (-want +got), %d built-in policies:\n%s", policies, d)
	}
	if d := cmp.Diff(want, h.rows(t, uuid.Nil)); d != "" {
		t.Errorf("rows anywhere (-want +got):\n%s", d)
	}
	var row tenantRow
	if err := h.s.Owner(ctx).Where("id = ?", got.TenantID).Take(&row).Error; err != nil {
		t.Fatal(err)
	}
	wantRow := tenantRow{ID: got.TenantID, Slug: got.Slug, Name: got.Name, Industry: "fmcg", TimeZone: "Asia/Shanghai",
		Currency: "CNY", Status: StatusActive, CreatedAt: row.CreatedAt, UpdatedAt: row.UpdatedAt, VerifiedAt: &row.CreatedAt}
	if d := cmp.Diff(wantRow, row); d != "" {
		t.Errorf("tenant row (-want +got):\n%s", d)
	}

	p, err := h.org.Principal(identity.System(ctx, got.TenantID), got.AdminID)
	if err != nil {
		t.Fatal(err)
	}
	root, err := h.org.GetRegion(identity.With(ctx, p), got.RootRegionID)
	if err != nil {
		t.Fatal(err)
	}
	wantP := identity.Principal{TenantID: got.TenantID, UserID: got.AdminID, Roles: []string{identity.RoleHQ, identity.RoleTenantAdmin},
		RegionID: got.RootRegionID, RegionPath: "/" + got.RootRegionID.String() + "/"}
	if d := cmp.Diff(wantP, p); d != "" {
		t.Errorf("admin principal (-want +got):\n%s", d)
	}
	if root.Name != got.Name || root.ParentID != nil {
		t.Errorf("root region %+v", root)
	}
	if h.pw.set[got.AdminID] != "a-long-password" {
		t.Error("the admin's password was not stored")
	}
	// The admin is in charge: the seeded policies let them manage the organisation.
	me, err := h.org.Me(identity.With(ctx, p))
	if err != nil || me.Tenant.Slug != got.Slug || me.Tenant.Currency != "CNY" {
		t.Errorf("me: %+v, %v", me.Tenant, err)
	}
}

func TestProvisionRefusesBadSignups(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	cases := []struct {
		name      string
		change    func(*Signup)
		kind      fault.Kind
		locations []string
	}{
		{"no company", func(s *Signup) { s.Company = "  " }, fault.Invalid, []string{"body.company"}},
		{"bad slug", func(s *Signup) { s.Slug = "-Acme_" }, fault.Invalid, []string{"body.slug"}},
		{"long slug", func(s *Signup) { s.Slug = strings.Repeat("a", 41) }, fault.Invalid, []string{"body.slug"}},
		{"unknown industry", func(s *Signup) { s.Industry = "mining" }, fault.Invalid, []string{"body.industry"}},
		{"unknown time zone", func(s *Signup) { s.TimeZone = "Mars/Olympus" }, fault.Invalid, []string{"body.time_zone"}},
		{"local time zone", func(s *Signup) { s.TimeZone = "Local" }, fault.Invalid, []string{"body.time_zone"}},
		{"bad currency", func(s *Signup) { s.Currency = "yuan" }, fault.Invalid, []string{"body.currency"}},
		{"no admin name", func(s *Signup) { s.AdminName = "" }, fault.Invalid, []string{"body.admin_name"}},
		{"bad admin e-mail", func(s *Signup) { s.AdminEmail = "ada at acme" }, fault.Invalid, []string{"body.admin_email"}},
		{"no password", func(s *Signup) { s.AdminPassword = "" }, fault.Invalid, []string{"body.admin_password"}},
		{"weak password", func(s *Signup) { s.AdminPassword = "short" }, fault.Invalid, []string{"body.admin_password"}},
		{"everything wrong", func(s *Signup) { *s = Signup{Slug: "x"} }, fault.Invalid, []string{"body.company", "body.slug",
			"body.industry", "body.time_zone", "body.currency", "body.admin_name", "body.admin_email", "body.admin_password"}},
	}
	empty := h.rows(t, uuid.Nil)
	for _, c := range cases {
		in := goodSignup()
		c.change(&in)
		_, err := h.prov.Provision(ctx, in)
		f, ok := fault.As(err)
		if !ok || f.Kind != c.kind {
			t.Errorf("%s: err = %v, want a fault of kind %d", c.name, err, c.kind)
			continue
		}
		var locations []string
		for _, d := range f.Details {
			locations = append(locations, d.Location)
		}
		if d := cmp.Diff(c.locations, locations); d != "" {
			t.Errorf("%s: detail locations (-want +got):\n%s", c.name, d)
		}
	}
	if d := cmp.Diff(empty, h.rows(t, uuid.Nil)); d != "" {
		t.Errorf("refused sign-ups left rows (-before +after):\n%s", d)
	}

	// Clashes with an existing tenant: the slug it chose, and its admin's e-mail.
	first, err := h.prov.Provision(ctx, goodSignup())
	if err != nil {
		t.Fatal(err)
	}
	before := h.rows(t, uuid.Nil)
	taken := goodSignup()
	taken.Slug, taken.AdminEmail = first.Slug, "other@acme.test"
	_, err = h.prov.Provision(ctx, taken)
	wantDetail(t, err, fault.Conflict, "body.slug")
	again := goodSignup()
	again.Slug = "acme-two"
	_, err = h.prov.Provision(ctx, again)
	wantDetail(t, err, fault.Conflict, "body.admin_email")
	if d := cmp.Diff(before, h.rows(t, uuid.Nil)); d != "" {
		t.Errorf("refused sign-ups left rows (-before +after):\n%s", d)
	}
}

func TestDerivedSlugs(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"Demo Foods Co.":            "demo-foods-co",
		"  ACME  ":                  "acme",
		"Müller & Söhne GmbH":       "m-ller-s-hne-gmbh",
		"演示食品":                      "tenant",
		"X":                         "tenant",
		strings.Repeat("abcde ", 9): "abcde-abcde-abcde-abcde-abcde-abcde-abcd",
	}
	for company, want := range cases {
		if got := DeriveSlug(company); got != want {
			t.Errorf("DeriveSlug(%q) = %q, want %q", company, got, want)
		}
	}
	h := newHarness(t)
	in := goodSignup()
	a, err := h.prov.Provision(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	in.AdminEmail = "bob@acme.test"
	b, err := h.prov.Provision(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.Slug, a.Slug+"-") || len(b.Slug) != len(a.Slug)+7 || !validSlug.MatchString(b.Slug) {
		t.Errorf("second derived slug = %q, want %q with a suffix", b.Slug, a.Slug)
	}
}

func wantDetail(t *testing.T, err error, k fault.Kind, location string) {
	t.Helper()
	f, ok := fault.As(err)
	if !ok || f.Kind != k || len(f.Details) == 0 || f.Details[0].Location != location {
		t.Fatalf("err = %v (%+v), want kind %d at %s", err, f, k, location)
	}
}

// Each template seeds its own pipeline, and a tenant on one never sees the other's.
func TestTemplatesSeedTheirOwnPipeline(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	names := map[string]string{}
	for _, industry := range []string{IndustryFMCG, IndustryIndustrial} {
		in := goodSignup()
		in.Company, in.Industry, in.AdminEmail = "Firm "+industry, industry, "admin@"+industry+".test"
		got, err := h.prov.Provision(ctx, in)
		if err != nil {
			t.Fatalf("%s: %v", industry, err)
		}
		admin, err := h.org.Principal(identity.System(ctx, got.TenantID), got.AdminID)
		if err != nil {
			t.Fatal(err)
		}
		ps, err := h.pipeline.ListPipelines(identity.With(ctx, admin))
		if err != nil || len(ps) != 1 {
			t.Fatalf("%s: pipelines %v, %v", industry, ps, err)
		}
		names[industry] = ps[0].Name
	}
	if names[IndustryFMCG] != "Store listing" || names[IndustryIndustrial] != "Project sale" {
		t.Errorf("pipelines by template: %v", names)
	}
}

// testRep and testReps give the appraisal the reps as cmd's adapters do (without the domains'
// figures: the tenants tests check that the demo's report exists, not its scores).
func testRep(o *org.Service) func(ctx context.Context, id uuid.UUID) (appraisal.Rep, error) {
	return func(ctx context.Context, id uuid.UUID) (appraisal.Rep, error) {
		p, err := o.Principal(ctx, id)
		return appraisal.Rep{ID: p.UserID, RegionPath: p.RegionPath, IsRep: p.HasRole(identity.RoleRep)}, err
	}
}

func testReps(o *org.Service) func(ctx context.Context) ([]appraisal.RepInfo, error) {
	return func(ctx context.Context) ([]appraisal.RepInfo, error) {
		page, err := o.ListUsers(ctx, org.UserFilter{Role: identity.RoleRep, Status: org.StatusActive, Limit: org.MaxPageSize})
		if err != nil {
			return nil, err
		}
		out := make([]appraisal.RepInfo, len(page.Users))
		for i, u := range page.Users {
			out[i] = appraisal.RepInfo{ID: u.ID, Name: u.Name, RegionPath: u.RegionPath}
		}
		return out, nil
	}
}
