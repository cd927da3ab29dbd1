package appraisal

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/platform/web"
	"github.com/repflow/repflow/platform/web/webtest"
)

// fixture is one tenant served over HTTP: admin (tenant_admin, hq) at the root; East with mgr
// and its rep; South with mgrSouth and repSouth. Sign-up's KPI template is seeded.
type fixture struct {
	srv    *web.Server
	store  *store.Store
	svc    *Service
	tenant uuid.UUID
	// team has rep and repSouth as its members (as the fake Reps tells).
	team uuid.UUID
	// regions are the root ("Acme"), East (mgr, rep) and South (mgrSouth, repSouth).
	regions map[string]uuid.UUID
	// clock is the service's (time.Now until a test sets it).
	clock func() time.Time
	users map[string]uuid.UUID
	// asked are the periods [from, to) the source was asked for (the sources may run side by
	// side: under mu).
	mu    sync.Mutex
	asked [][2]time.Time
	// audited are the actions recorded in the audit trail, as "action resource".
	audited []string
	// figures are what the fake source reports, by rep and by year (this one, and a year ago).
	figures map[uuid.UUID]Figures
	prior   map[uuid.UUID]Figures
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s := storetest.Open(t)
	w := access.NewWarden(s)
	o := org.NewService(s, w, nil)
	f := &fixture{store: s, tenant: identity.NewID(), team: identity.NewID(), clock: time.Now, users: map[string]uuid.UUID{}, regions: map[string]uuid.UUID{}, figures: map[uuid.UUID]Figures{}, prior: map[uuid.UUID]Figures{}}
	svc := NewService(s, w, Deps{Now: func() time.Time { return f.clock() }, Administrator: o.Administrator, Record: f.record, TimeZone: o.TimeZone, Rep: func(ctx context.Context, id uuid.UUID) (Rep, error) {
		p, err := o.Principal(ctx, id)
		if errors.Is(err, org.ErrUserInactive) {
			return Rep{}, fault.NotFoundf("rep")
		}
		return Rep{ID: p.UserID, RegionPath: p.RegionPath, IsRep: p.HasRole(identity.RoleRep)}, err
	}, Reps: func(ctx context.Context) ([]RepInfo, error) {
		page, err := o.ListUsers(ctx, org.UserFilter{Role: identity.RoleRep, Status: org.StatusActive, Limit: org.MaxPageSize})
		out := make([]RepInfo, len(page.Users))
		for i, u := range page.Users {
			out[i] = RepInfo{ID: u.ID, Name: u.Name, RegionPath: u.RegionPath}
			if u.ID == f.users["rep"] || u.ID == f.users["repSouth"] {
				out[i].TeamIDs = []uuid.UUID{f.team}
			}
		}
		return out, err
	}, RegionPath: func(ctx context.Context, id uuid.UUID) (string, error) {
		r, err := o.GetRegion(ctx, id)
		return r.Path, err
	}, TeamMembers: func(_ context.Context, team uuid.UUID) ([]uuid.UUID, error) {
		if team != f.team {
			return nil, fault.NotFoundf("team")
		}
		return []uuid.UUID{f.users["rep"], f.users["repSouth"], f.users["mgr"]}, nil
	}, Currencies: o.Currencies, Sources: []Source{func(_ context.Context, from, to time.Time, _ []uuid.UUID) (map[uuid.UUID]Figures, error) {
		f.mu.Lock()
		f.asked = append(f.asked, [2]time.Time{from, to})
		f.mu.Unlock()
		if from.Before(time.Now().AddDate(0, -6, 0)) {
			return f.prior, nil
		}
		return f.figures, nil
	}}})
	ctx := context.Background()
	now := time.Now().UTC()
	row := map[string]any{"id": f.tenant, "slug": "acme", "name": "Acme", "industry": "fmcg", "time_zone": "Asia/Shanghai",
		"currency": "CNY", "status": "active", "created_at": now, "updated_at": now}
	if err := s.Owner(ctx).Table("tenants").Create(row).Error; err != nil {
		t.Fatal(err)
	}
	sys := identity.System(ctx, f.tenant)
	root, admin, err := o.Bootstrap(sys, "Acme", org.NewUser{Email: "admin@acme.test", Name: "Admin"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.SeedDefaults(sys); err != nil {
		t.Fatal(err)
	}
	if err := svc.Provision(sys, "fmcg"); err != nil {
		t.Fatal(err)
	}
	f.users["admin"], f.regions["Acme"] = admin.ID, root.ID
	p, err := o.Principal(sys, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	actx := identity.With(ctx, p)
	for _, region := range []string{"East", "South"} {
		r, err := o.CreateRegion(actx, region, root.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.regions[region] = r.ID
		suffix := map[string]string{"East": "", "South": "South"}[region]
		m, err := o.CreateUser(actx, org.NewUser{Email: "mgr" + suffix + "@acme.test", Name: "mgr" + suffix, Roles: []string{identity.RoleManager}, RegionID: r.ID})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := o.CreateUser(actx, org.NewUser{Email: "rep" + suffix + "@acme.test", Name: "rep" + suffix, Roles: []string{identity.RoleRep},
			RegionID: r.ID, ManagerID: &m.ID})
		if err != nil {
			t.Fatal(err)
		}
		f.users["mgr"+suffix], f.users["rep"+suffix] = m.ID, rep.ID
	}
	team, err := o.CreateTeam(actx, org.NewTeam{Name: "Field", RegionID: root.ID}) // its members are the fake TeamMembers'
	if err != nil {
		t.Fatal(err)
	}
	f.team = team.ID
	f.svc = svc
	f.srv = web.New(web.Options{Authenticate: webtest.Authenticate(o.Principal), Log: slog.New(slog.DiscardHandler)})
	f.srv.Mount(NewHTTP(svc))
	return f
}

func (f *fixture) record(_ context.Context, action, resource string) error {
	f.audited = append(f.audited, action+" "+resource)
	return nil
}

func call[T any](t *testing.T, f *fixture, key, method, path string, body any, want int) T {
	t.Helper()
	status, raw := webtest.Call(t, f.srv, webtest.Caller{Tenant: f.tenant, User: f.users[key]}, method, path, body)
	if status != want {
		t.Fatalf("%s %s as %s: %d %s, want %d", method, path, key, status, raw, want)
	}
	return webtest.Decode[T](t, raw)
}

func refused(t *testing.T, f *fixture, key, method, path string, body any, status int, code, location string) {
	t.Helper()
	got, raw := webtest.Call(t, f.srv, webtest.Caller{Tenant: f.tenant, User: f.users[key]}, method, path, body)
	webtest.WantError(t, got, raw, status, code, location)
}

func TestTemplatesKeepEveryVersion(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// Sign-up seeded the FMCG template; everyone reads it.
	list := call[TemplateListDTO](t, f, "rep", http.MethodGet, "/api/v1/appraisal/templates", nil, http.StatusOK)
	if len(list.Templates) != 1 || list.Templates[0].Version != 1 || list.Templates[0].Template.Industry != "fmcg" {
		t.Fatalf("templates after sign-up: %+v", list.Templates)
	}
	seeded := list.Templates[0]
	path := "/api/v1/appraisal/templates/" + seeded.ID.String()

	// The admin shifts 5 points from coverage to orders: version 2; version 1 stays as it was.
	edited := seeded.Template
	edited.Metrics = append([]kpi.TemplateItem(nil), edited.Metrics...)
	edited.Metrics[0].Weight -= 5
	edited.Metrics[3].Weight += 5
	v2 := call[TemplateDTO](t, f, "admin", http.MethodPut, path, TemplateBody{Template: edited, BaseVersion: 1}, http.StatusOK)
	if v2.Version != 2 || v2.Template.Metrics[0].Weight != seeded.Template.Metrics[0].Weight-5 {
		t.Fatalf("edit: %+v", v2)
	}
	v1 := call[TemplateDTO](t, f, "mgr", http.MethodGet, path+"?version=1", nil, http.StatusOK)
	if v1.Version != 1 || v1.Latest != 2 || v1.Template.Metrics[0].Weight != seeded.Template.Metrics[0].Weight {
		t.Errorf("version 1 after the edit: %+v", v1)
	}
	// An edit from version 1 now is stale; weights off 100 are refused at their place; a rep
	// edits nothing. None of it makes a version.
	refused(t, f, "admin", http.MethodPut, path, TemplateBody{Template: edited, BaseVersion: 1}, http.StatusConflict, "template_changed", "")
	bad := edited
	bad.Metrics = append([]kpi.TemplateItem(nil), edited.Metrics...)
	bad.Metrics[1].Weight += 3
	refused(t, f, "admin", http.MethodPut, path, TemplateBody{Template: bad}, http.StatusBadRequest, "invalid_kpi_template", "body.metrics")
	refused(t, f, "rep", http.MethodPut, path, TemplateBody{Template: edited}, http.StatusForbidden, "forbidden", "")
	if got := call[TemplateDTO](t, f, "admin", http.MethodGet, path, nil, http.StatusOK); got.Version != 2 {
		t.Errorf("refused edits moved the template to version %d", got.Version)
	}
	// A clone of the shipped industrial template is a second template, at version 1.
	shipped := call[ShippedListDTO](t, f, "admin", http.MethodGet, "/api/v1/appraisal/shipped-templates", nil, http.StatusOK)
	clone := shipped.Templates[1]
	clone.Name = "Key accounts"
	if got := call[TemplateDTO](t, f, "admin", http.MethodPost, "/api/v1/appraisal/templates", TemplateBody{Template: clone}, http.StatusCreated); got.Version != 1 {
		t.Errorf("clone: %+v", got)
	}
	refused(t, f, "admin", http.MethodPost, "/api/v1/appraisal/templates", TemplateBody{Template: clone}, http.StatusConflict, "template_name_taken", "")
}

func TestTargetsAreSetWithinScopeAllOrNone(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rep, repSouth := f.users["rep"], f.users["repSouth"]
	set := func(key string, targets []NewTargetDTO) (int, []byte) {
		return webtest.Call(t, f.srv, webtest.Caller{Tenant: f.tenant, User: f.users[key]}, http.MethodPut, "/api/v1/appraisal/targets",
			SetTargetsDTO{Period: "2026-12", Targets: targets})
	}
	ok := []NewTargetDTO{{RepID: rep, Metric: "visits", Value: 120}, {RepID: rep, Metric: "coverage_rate", Value: 0.9}}
	if status, raw := set("mgr", ok); status != http.StatusOK {
		t.Fatalf("the manager sets the rep's targets: %d %s", status, raw)
	}
	cases := []struct {
		name, code, location string
		targets              []NewTargetDTO
	}{
		{"another region's rep", "invalid_reference", "body.targets[1].rep_id",
			[]NewTargetDTO{{RepID: rep, Metric: "visits", Value: 1}, {RepID: repSouth, Metric: "visits", Value: 1}}},
		{"a manager is no rep", "invalid_reference", "body.targets[0].rep_id", []NewTargetDTO{{RepID: f.users["mgr"], Metric: "visits", Value: 1}}},
		{"unknown metric", "invalid_input", "body.targets[1].metric",
			[]NewTargetDTO{{RepID: rep, Metric: "visits", Value: 1}, {RepID: rep, Metric: "vists", Value: 1}}},
		{"negative value", "invalid_input", "body.targets[0].value", []NewTargetDTO{{RepID: rep, Metric: "visits", Value: -1}}},
	}
	for _, tc := range cases {
		status, raw := set("mgr", tc.targets)
		webtest.WantError(t, status, raw, http.StatusBadRequest, tc.code, tc.location)
	}
	refused(t, f, "mgr", http.MethodPut, "/api/v1/appraisal/targets", SetTargetsDTO{Period: "2026-13", Targets: ok}, http.StatusBadRequest, "invalid_input", "body.period")
	refused(t, f, "rep", http.MethodPut, "/api/v1/appraisal/targets", SetTargetsDTO{Period: "2026-12", Targets: ok}, http.StatusBadRequest, "invalid_reference", "body.targets[0].rep_id")

	// The refused requests left the first one's targets as they were: 120 visits, 0.9 coverage.
	got := call[TargetListDTO](t, f, "rep", http.MethodGet, "/api/v1/appraisal/targets?period=2026-12", nil, http.StatusOK)
	if len(got.Targets) != 2 || got.Targets[0].Metric != "coverage_rate" || got.Targets[0].Value != 0.9 || got.Targets[1].Value != 120 {
		t.Fatalf("the rep's targets: %+v", got.Targets)
	}
	if south := call[TargetListDTO](t, f, "mgrSouth", http.MethodGet, "/api/v1/appraisal/targets?period=2026-12", nil, http.StatusOK); len(south.Targets) != 0 {
		t.Errorf("another region's manager sees %+v", south.Targets)
	}
	// Setting again replaces: one row per rep, month and metric.
	if status, raw := set("admin", []NewTargetDTO{{RepID: rep, Metric: "visits", Value: 150}}); status != http.StatusOK {
		t.Fatalf("replace: %d %s", status, raw)
	}
	got = call[TargetListDTO](t, f, "mgr", http.MethodGet, "/api/v1/appraisal/targets?period=2026-12&rep_id="+rep.String(), nil, http.StatusOK)
	if len(got.Targets) != 2 || got.Targets[1].Value != 150 || got.Targets[1].SetBy != f.users["admin"] {
		t.Errorf("after replacing the visits target: %+v", got.Targets)
	}
}

// "What if this rep sells 15,000?" Marginal brackets: 2 % up to 10,000, 5 % above:
// 10,000 × 0.02 + 5,000 × 0.05 = 200 + 250 = 450.00; growth of +25 % on 12,000 reaches the
// +20 % tier (× 1.1): 495.00. Nothing is saved: a second call answers the same.
func TestCommissionSimulation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	body := map[string]any{
		"plan": map[string]any{"currency": "CNY", "base": "revenue", "mode": "marginal",
			"brackets": []map[string]any{{"from": "0", "to": "10000", "rate": "0.02"}, {"from": "10000", "to": nil, "rate": "0.05"}},
			"growth":   []map[string]any{{"min_growth": "0.2", "multiplier": "1.1"}}, "gate": []map[string]any{}},
		"inputs": map[string]any{"base": "15000", "prior_year_base": "12000"},
	}
	for range 2 {
		got := call[map[string]any](t, f, "rep", http.MethodPost, "/api/v1/appraisal/commission/simulate", body, http.StatusOK)
		if got["raw"] != "450" || got["final"] != "495" || got["growth_multiplier"] != "1.1" {
			t.Fatalf("simulated %v", got)
		}
	}
	body["plan"].(map[string]any)["brackets"] = []map[string]any{{"from": "0", "to": "10000", "rate": "0.02"}, {"from": "9000", "to": nil, "rate": "0.05"}}
	refused(t, f, "rep", http.MethodPost, "/api/v1/appraisal/commission/simulate", body, http.StatusBadRequest, "invalid_commission_plan", "body.brackets[1].from")
}

// The report pays each rep by the plan in force, on the exact revenue. Marginal brackets: 2 % up
// to 10,000, 5 % above; +20 % year on year multiplies by 1.1; the gate pays half below a score
// of 50 and all from 50 (the scores here: nothing has an actual but visits, so the total is the
// visits line alone).
//   - rep: revenue 15,000.50, a year ago 12,000: growth 25 %, × 1.1.
//     10,000 × 0.02 + 5,000.50 × 0.05 = 200 + 250.025 = 450.025; × 1.1 = 495.0275.
//     visits 45 of 45: completion 100 %, score 100 (linear); every other line scores 0 for want
//     of an actual, so the total is visits' effective weight: 20 of the 75 with a target
//     (orders and revenue have none), 100 × 20/75 = 26.67: below 50, × 0.5 = 247.51375 ->
//     247.51 (half even).
//   - repSouth: revenue 8,000.25, no prior year: 8,000.25 × 0.02 = 160.005; score 0 × 0.5 =
//     80.0025 -> 80.00.
func TestReportPaysByThePlanInForce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rep, south := f.users["rep"], f.users["repSouth"]
	d := decimal.RequireFromString
	f.figures[rep] = Figures{Actuals: map[string]kpi.Actual{"visits": {Value: 45}}, Money: map[string]decimal.Decimal{"revenue": d("15000.50")}}
	f.figures[south] = Figures{Money: map[string]decimal.Decimal{"revenue": d("8000.25")}}
	f.prior[rep] = Figures{Money: map[string]decimal.Decimal{"revenue": d("12000")}}
	month := time.Now().Format("2006-01")
	call[TargetListDTO](t, f, "admin", http.MethodPut, "/api/v1/appraisal/targets",
		SetTargetsDTO{Period: month, Targets: []NewTargetDTO{{RepID: rep, Metric: "visits", Value: 45}, {RepID: south, Metric: "visits", Value: 45}}}, http.StatusOK)
	plan := map[string]any{"currency": "CNY", "base": "revenue", "mode": "marginal",
		"brackets": []map[string]any{{"from": "0", "to": "10000", "rate": "0.02"}, {"from": "10000", "to": nil, "rate": "0.05"}},
		"growth":   []map[string]any{{"min_growth": "0.2", "multiplier": "1.1"}},
		"gate":     []map[string]any{{"min_score": "0", "factor": "0.5"}, {"min_score": "50", "factor": "1"}}}
	refused(t, f, "admin", http.MethodPut, "/api/v1/appraisal/commission-plan", withField(plan, "currency", "USD"), http.StatusBadRequest, "invalid_input", "body.currency")
	refused(t, f, "admin", http.MethodPut, "/api/v1/appraisal/commission-plan", withField(plan, "base", "gross_margin"), http.StatusBadRequest, "invalid_input", "body.base")
	refused(t, f, "rep", http.MethodPut, "/api/v1/appraisal/commission-plan", plan, http.StatusForbidden, "forbidden", "")
	if got := call[CommissionPlanDTO](t, f, "admin", http.MethodPut, "/api/v1/appraisal/commission-plan", plan, http.StatusOK); got.Version != 1 {
		t.Fatalf("plan version %d", got.Version)
	}
	r := call[AppraisalReportDTO](t, f, "admin", http.MethodPost, "/api/v1/appraisal/reports", MakeReportDTO{Period: month}, http.StatusCreated)
	if r.CommissionPlanVersion != 1 || r.Currency != "CNY" || len(r.Reps) != 2 {
		t.Fatalf("report: plan %d, currency %q, %d reps", r.CommissionPlanVersion, r.Currency, len(r.Reps))
	}
	want := map[uuid.UUID]string{rep: "247.51", south: "80"}
	if top := r.Reps[0]; top.RepID != rep || math.Abs(top.Card.Total-100*20.0/75) > 0.01 || top.Card.ScoredWeight != 75 {
		t.Errorf("the best rep %s scored %.4f over weight %d, want rep at %.4f over 75", top.Name, top.Card.Total, top.Card.ScoredWeight, 100*20.0/75)
	}
	for _, line := range r.Reps {
		if line.Commission == nil || !line.Commission.Final.Equal(d(want[line.RepID])) {
			t.Errorf("%s: commission %+v, want %s", line.Name, line.Commission, want[line.RepID])
		}
	}
}

func withField(m map[string]any, k string, v any) map[string]any {
	out := map[string]any{}
	for key, val := range m {
		out[key] = val
	}
	out[k] = v
	return out
}

// A month's targets come from a spreadsheet saved as CSV: columns in any order, extra columns
// ignored, a byte-order mark tolerated; a bad line refuses the whole file, naming its line and
// column, and sets nothing.
func TestTargetsImportedFromCSV(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rep, repSouth := f.users["rep"].String(), f.users["repSouth"].String()
	put := func(key, file string) (int, []byte) {
		return webtest.Call(t, f.srv, webtest.Caller{Tenant: f.tenant, User: f.users[key]}, http.MethodPut,
			"/api/v1/appraisal/targets/import?period=2026-12", file)
	}
	good := "\uFEFFname,metric,rep_id,value\r\nLi Lei,visits," + rep + ",120\r\nLi Lei,coverage_rate," + rep + ",0.9\r\n"
	cases := []struct {
		name, file, code, location string
	}{
		{"another region's rep on line 3", "rep_id,metric,value\n" + rep + ",visits,1\n" + repSouth + ",visits,1\n", "invalid_reference", "body.lines[3].rep_id"},
		{"unknown metric", "rep_id,metric,value\n" + rep + ",vists,1\n", "invalid_input", "body.lines[2].metric"},
		{"a value in words", "rep_id,metric,value\n" + rep + ",visits,ninety\n", "invalid_input", "body.lines[2].value"},
		{"a percent sign", "rep_id,metric,value\n" + rep + ",coverage_rate,90%\n", "invalid_input", "body.lines[2].value"},
		{"not an id", "rep_id,metric,value\nLi Lei,visits,1\n", "invalid_input", "body.lines[2].rep_id"},
		{"no value column", "rep_id,metric\n" + rep + ",visits\n", "invalid_input", "body.lines[1]"},
		{"a short line", "rep_id,metric,value\n" + rep + ",visits\n", "invalid_input", "body.lines[2]"},
		{"a broken quote", "rep_id,metric,value\n\"" + rep + ",visits,1\n", "invalid_input", "body.lines[2]"},
		{"only the header", "rep_id,metric,value\n", "invalid_input", "body"},
		{"empty", "", "invalid_request", ""}, // refused before it reaches the import
	}
	for _, tc := range cases {
		status, raw := put("mgr", tc.file)
		webtest.WantError(t, status, raw, http.StatusBadRequest, tc.code, tc.location)
	}
	if got := call[TargetListDTO](t, f, "mgr", http.MethodGet, "/api/v1/appraisal/targets?period=2026-12", nil, http.StatusOK); len(got.Targets) != 0 {
		t.Fatalf("refused files set %+v", got.Targets)
	}
	status, raw := put("mgr", good)
	if status != http.StatusOK {
		t.Fatalf("import: %d %s", status, raw)
	}
	got := call[TargetListDTO](t, f, "rep", http.MethodGet, "/api/v1/appraisal/targets?period=2026-12", nil, http.StatusOK)
	if len(got.Targets) != 2 || got.Targets[0].Metric != "coverage_rate" || got.Targets[0].Value != 0.9 ||
		got.Targets[1].Metric != "visits" || got.Targets[1].Value != 120 || got.Targets[1].SetBy != f.users["mgr"] {
		t.Fatalf("the imported targets: %+v", got.Targets)
	}
	// A rep imports nobody's targets, not even their own.
	status, raw = put("rep", good)
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_reference", "body.lines[2].rep_id")
	status, raw = webtest.Call(t, f.srv, webtest.Caller{Tenant: f.tenant, User: f.users["mgr"]}, http.MethodPut,
		"/api/v1/appraisal/targets/import?period=2026-13", good)
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_input", "query.period")
}
