package pipeline

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/web"
	"github.com/repflow/repflow/platform/web/webtest"
)

// world is the pipeline served over HTTP with a running job queue, on a fresh database. skew
// moves the service's clock (never the queue's): a clock a day behind makes a one-day idle
// timer fire in seconds.
type world struct {
	s      *store.Store
	org    *org.Service
	visits *visits.Service
	svc    *Service
	srv    *web.Server
}

func newWorld(t *testing.T, skew time.Duration) *world {
	t.Helper()
	s := storetest.Open(t)
	w := access.NewWarden(s)
	o := org.NewService(s, w, nil)
	v := visits.NewService(s, w, visits.Options{})
	q, err := jobs.New(s, jobs.Options{PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	svc := NewService(s, w, q, Deps{
		PlaceCustomer: func(ctx context.Context, id uuid.UUID) (CustomerPlace, error) {
			p, err := v.PlaceCustomer(ctx, id)
			return CustomerPlace{OwnerID: p.OwnerID, RegionPath: p.RegionPath}, err
		},
		ManagerOf: o.ManagerOf, Currencies: o.Currencies,
		Now: func() time.Time { return time.Now().Add(skew) }})
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
	})
	srv := web.New(web.Options{Authenticate: webtest.Authenticate(o.Principal), Log: slog.New(slog.DiscardHandler)})
	srv.Mount(NewHTTP(svc))
	return &world{s: s, org: o, visits: v, svc: svc, srv: srv}
}

// tenant is a small company:
//
//	root         admin (tenant_admin, hq)
//	  East       mgr (manager)
//	    Jinan    rep, rep2 (managed by mgr); customer shop, owned by rep
//	  South      mgrSouth (manager)
type tenant struct {
	id    uuid.UUID
	users map[string]org.User
	shop  uuid.UUID
}

func (w *world) tenant(t *testing.T, slug string) *tenant {
	t.Helper()
	ctx := context.Background()
	f := &tenant{id: identity.NewID(), users: map[string]org.User{}}
	now := time.Now().UTC()
	row := map[string]any{"id": f.id, "slug": slug, "name": slug, "industry": "fmcg", "time_zone": "Asia/Shanghai",
		"currency": "CNY", "status": "active", "created_at": now, "updated_at": now}
	if err := w.s.Owner(ctx).Table("tenants").Create(row).Error; err != nil {
		t.Fatal(err)
	}
	sys := identity.System(ctx, f.id)
	root, admin, err := w.org.Bootstrap(sys, slug, org.NewUser{Email: "admin@" + slug + ".test", Name: "Admin"})
	if err != nil {
		t.Fatal(err)
	}
	if err := access.NewWarden(w.s).SeedDefaults(sys); err != nil {
		t.Fatal(err)
	}
	f.users["admin"] = admin
	actx := w.as(t, f, "admin")
	region := func(name string, parent uuid.UUID) uuid.UUID {
		r, err := w.org.CreateRegion(actx, name, parent)
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	east := region("East", root.ID)
	jinan := region("Jinan", east)
	south := region("South", root.ID)
	user := func(key string, role string, region uuid.UUID, manager string) {
		in := org.NewUser{Email: key + "@" + slug + ".test", Name: key, Roles: []string{role}, RegionID: region}
		if manager != "" {
			id := f.users[manager].ID
			in.ManagerID = &id
		}
		if f.users[key], err = w.org.CreateUser(actx, in); err != nil {
			t.Fatal(err)
		}
	}
	user("mgr", identity.RoleManager, east, "")
	user("rep", identity.RoleRep, jinan, "mgr")
	user("rep2", identity.RoleRep, jinan, "mgr")
	user("mgrSouth", identity.RoleManager, south, "")
	shop, err := w.visits.CreateCustomer(actx, visits.NewCustomer{Name: "Corner shop", Grade: visits.GradeA, OwnerID: f.users["rep"].ID,
		RegionID: jinan, Location: visits.Position{Point: geo.Point{Lat: 36.65, Lon: 117.12}, Datum: visits.WGS84},
		Fence: visits.FenceInput{Kind: visits.FenceCircle, RadiusM: 80}})
	if err != nil {
		t.Fatal(err)
	}
	f.shop = shop.ID
	return f
}

func (w *world) as(t *testing.T, f *tenant, key string) context.Context {
	t.Helper()
	p, err := w.org.Principal(identity.System(context.Background(), f.id), f.users[key].ID)
	if err != nil {
		t.Fatal(err)
	}
	return identity.With(context.Background(), p)
}

// call sends a request as user key of f and decodes a 2xx answer into T.
func call[T any](t *testing.T, w *world, f *tenant, key, method, path string, body any, want int) T {
	t.Helper()
	status, raw := webtest.Call(t, w.srv, webtest.Caller{Tenant: f.id, User: f.users[key].ID}, method, path, body)
	if status != want {
		t.Fatalf("%s %s as %s: %d %s, want %d", method, path, key, status, raw, want)
	}
	var zero T
	if len(raw) == 0 || status == http.StatusNoContent {
		return zero
	}
	return webtest.Decode[T](t, raw)
}

// refused sends a request that must fail with status and code, at location when not empty.
func refused(t *testing.T, w *world, f *tenant, key, method, path string, body any, status int, code, location string) {
	t.Helper()
	got, raw := webtest.Call(t, w.srv, webtest.Caller{Tenant: f.id, User: f.users[key].ID}, method, path, body)
	webtest.WantError(t, got, raw, status, code, location)
}

// eventually polls cond for up to within.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// testPipeline is a small pipeline with quick timers: qualify (a required task for the owner,
// an optional one for the manager) -> proposal (a required task; when it is done the workflow
// moves on to negotiate) -> express (entering it moves on to negotiate at once) -> negotiate
// (entering it reminds the manager) -> won | lost. Overdue tasks remind the owner and, a second
// later, escalate to the manager; opportunities idle for a day remind the owner.
func testPipeline() map[string]any {
	return map[string]any{
		"name": "Quick",
		"stages": []map[string]any{
			{"key": "qualify", "name": "Qualify", "probability": 10, "sla_days": 7, "outcome": "open", "checklist": []map[string]any{
				{"title": "Call the buyer", "assignee": "owner", "due_after_days": 2, "required": true},
				{"title": "Approve the discount", "assignee": "manager", "due_after_days": 3, "required": false}}},
			{"key": "proposal", "name": "Proposal", "probability": 40, "sla_days": 14, "outcome": "open", "checklist": []map[string]any{
				{"title": "Send the proposal", "assignee": "owner", "due_after_days": 5, "required": true}}},
			{"key": "express", "name": "Express", "probability": 50, "sla_days": 0, "outcome": "open", "checklist": []map[string]any{}},
			{"key": "negotiate", "name": "Negotiate", "probability": 70, "sla_days": 14, "outcome": "open", "checklist": []map[string]any{}},
			{"key": "won", "name": "Won", "probability": 100, "sla_days": 0, "outcome": "won", "checklist": []map[string]any{}},
			{"key": "lost", "name": "Lost", "probability": 0, "sla_days": 0, "outcome": "lost", "checklist": []map[string]any{}},
		},
		"rules": []map[string]any{
			{"name": "qualify tasks", "when": map[string]any{"event": "stage_entered", "stage": "qualify"}, "then": []map[string]any{{"do": "create_tasks"}}},
			{"name": "proposal tasks", "when": map[string]any{"event": "stage_entered", "stage": "proposal"}, "then": []map[string]any{{"do": "create_tasks"}}},
			{"name": "proposal sent", "when": map[string]any{"event": "tasks_completed", "stage": "proposal"},
				"then": []map[string]any{{"do": "remind", "to": "manager"}, {"do": "move_to_stage", "stage": "negotiate"}}},
			{"name": "express lane", "when": map[string]any{"event": "stage_entered", "stage": "express"},
				"then": []map[string]any{{"do": "move_to_stage", "stage": "negotiate"}}},
			{"name": "negotiation starts", "when": map[string]any{"event": "stage_entered", "stage": "negotiate"},
				"then": []map[string]any{{"do": "remind", "to": "manager"}}},
			{"name": "late", "when": map[string]any{"event": "task_overdue"},
				"then": []map[string]any{{"do": "remind", "to": "owner"}, {"do": "escalate", "after_seconds": 1}}},
			{"name": "idle", "when": map[string]any{"event": "opportunity_idle", "idle_days": 1}, "then": []map[string]any{{"do": "remind", "to": "owner"}}},
		},
	}
}

// opened creates the test pipeline (as admin) and opens an opportunity at the shop (as rep).
func (w *world) opened(t *testing.T, f *tenant) (PipelineDTO, OpportunityDTO) {
	t.Helper()
	p := call[PipelineDTO](t, w, f, "admin", http.MethodPost, "/api/v1/pipelines", testPipeline(), http.StatusCreated)
	o := call[OpportunityDTO](t, w, f, "rep", http.MethodPost, "/api/v1/opportunities", map[string]any{
		"pipeline_id": p.ID, "customer_id": f.shop, "name": "Listing at the corner shop", "amount": "12500.50",
		"currency": "CNY", "expected_close": "2027-02-28"}, http.StatusCreated)
	return p, o
}

func (w *world) tasks(t *testing.T, f *tenant, key string, o uuid.UUID) []TaskDTO {
	t.Helper()
	return call[TaskPageDTO](t, w, f, key, http.MethodGet, "/api/v1/tasks?opportunity_id="+o.String(), nil, http.StatusOK).Tasks
}

func (w *world) reminders(t *testing.T, f *tenant, key string) []ReminderDTO {
	t.Helper()
	return call[ReminderPageDTO](t, w, f, key, http.MethodGet, "/api/v1/reminders", nil, http.StatusOK).Reminders
}
