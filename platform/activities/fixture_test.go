package activities

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/web"
	"github.com/repflow/repflow/platform/web/webtest"
)

// visitsCustomers is the adapter cmd/repflow wires: the visits service's GetCustomer checks the
// caller's right to read the customer and joins the caller's transaction.
type visitsCustomers struct{ v *visits.Service }

func (c visitsCustomers) Customer(ctx context.Context, id uuid.UUID) (CustomerRef, error) {
	cu, err := c.v.GetCustomer(ctx, id)
	if err != nil {
		return CustomerRef{}, err
	}
	return CustomerRef{ID: cu.ID, Name: cu.Name, OwnerID: cu.OwnerID, RegionID: cu.RegionID}, nil
}

func (c visitsCustomers) Owners(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]uuid.UUID, error) {
	return c.v.Owners(ctx, ids)
}

// now is the fixed clock of the tests: Thursday 20 March 2025, 10:00 in Shanghai.
var now = time.Date(2025, 3, 20, 2, 0, 0, 0, time.UTC)

type world struct {
	s      *store.Store
	w      *access.Warden
	org    *org.Service
	visits *visits.Service
	svc    *Service
	srv    *web.Server
}

func newWorld(t testing.TB) *world {
	s := storetest.Open(t)
	w := access.NewWarden(s)
	o := org.NewService(s, w, nil)
	v := visits.NewService(s, w, visits.Options{TimeZone: o.TimeZone})
	svc := NewService(s, w, visitsCustomers{v}, Options{TimeZone: o.TimeZone, Now: func() time.Time { return now }})
	wd := &world{s: s, w: w, org: o, visits: v, svc: svc}
	wd.srv = web.New(web.Options{Authenticate: webtest.Authenticate(o.Principal)})
	wd.srv.Mount(NewHTTP(svc))
	return wd
}

// tenantFixture is the organisation of the visits tests:
//
//	root                 admin (tenant_admin), analyst (hq)
//	  Shandong           mgr.shandong (manager)
//	    Jinan            rep.jinan.1, rep.jinan.2
//	    Qingdao          rep.qingdao
//	  Guangdong          mgr.guangdong (manager), rep.guangdong
type tenantFixture struct {
	id      uuid.UUID
	slug    string
	w       *world
	regions map[string]org.Region
	users   map[string]org.User
}

func (w *world) tenant(t testing.TB, slug string) *tenantFixture {
	t.Helper()
	ctx := context.Background()
	f := &tenantFixture{id: identity.NewID(), slug: slug, w: w, regions: map[string]org.Region{}, users: map[string]org.User{}}
	at := time.Now().UTC()
	row := map[string]any{"id": f.id, "slug": slug, "name": slug + " Ltd", "industry": "industrial", "time_zone": "Asia/Shanghai",
		"currency": "CNY", "status": "active", "created_at": at, "updated_at": at}
	if err := w.s.Owner(ctx).Table("tenants").Create(row).Error; err != nil {
		t.Fatalf("insert tenant: %v", err)
	}
	sys := identity.System(ctx, f.id)
	root, admin, err := w.org.Bootstrap(sys, slug+" Ltd", org.NewUser{Email: "admin@" + slug + ".test", Name: "Admin"})
	if err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	if err := w.w.SeedDefaults(sys); err != nil {
		t.Fatalf("seed policies: %v", err)
	}
	f.regions["root"], f.users["admin"] = root, admin
	for _, r := range [][2]string{{"Shandong", "root"}, {"Jinan", "Shandong"}, {"Qingdao", "Shandong"}, {"Guangdong", "root"}} {
		region, err := w.org.CreateRegion(f.as(t, "admin"), r[0], f.regions[r[1]].ID)
		if err != nil {
			t.Fatalf("create region %s: %v", r[0], err)
		}
		f.regions[r[0]] = region
	}
	for _, u := range []struct{ key, region, manager, role string }{
		{"analyst", "root", "", identity.RoleHQ},
		{"mgr.shandong", "Shandong", "", identity.RoleManager},
		{"rep.jinan.1", "Jinan", "mgr.shandong", identity.RoleRep},
		{"rep.jinan.2", "Jinan", "mgr.shandong", identity.RoleRep},
		{"rep.qingdao", "Qingdao", "mgr.shandong", identity.RoleRep},
		{"mgr.guangdong", "Guangdong", "", identity.RoleManager},
		{"rep.guangdong", "Guangdong", "mgr.guangdong", identity.RoleRep},
	} {
		in := org.NewUser{Email: u.key + "@" + slug + ".test", Name: u.key, Roles: []string{u.role}, RegionID: f.regions[u.region].ID}
		if u.manager != "" {
			id := f.users[u.manager].ID
			in.ManagerID = &id
		}
		created, err := w.org.CreateUser(f.as(t, "admin"), in)
		if err != nil {
			t.Fatalf("create user %s: %v", u.key, err)
		}
		f.users[u.key] = created
	}
	return f
}

// as returns a context acting as user key, with the principal loaded the way authentication does.
func (f *tenantFixture) as(t testing.TB, key string) context.Context {
	t.Helper()
	ctx := context.Background()
	p, err := f.w.org.Principal(identity.System(ctx, f.id), f.users[key].ID)
	if err != nil {
		t.Fatalf("principal of %s: %v", key, err)
	}
	return identity.With(ctx, p)
}

// customer adds a customer owned by rep owner in the owner's region.
func (f *tenantFixture) customer(t testing.TB, name, owner, region string) uuid.UUID {
	t.Helper()
	c, err := f.w.visits.CreateCustomer(f.as(t, "admin"), visits.NewCustomer{Name: name, Grade: visits.GradeA,
		OwnerID: f.users[owner].ID, RegionID: f.regions[region].ID,
		Location: visits.Position{Point: geo.Point{Lat: 36.65, Lon: 117.12}, Datum: visits.WGS84},
		Fence:    visits.FenceInput{Kind: visits.FenceCircle, RadiusM: 100}})
	if err != nil {
		t.Fatalf("create customer %s: %v", name, err)
	}
	return c.ID
}

// call sends a request as user key of tenant f.
func (f *tenantFixture) call(t testing.TB, key, method, path string, body any) (int, []byte) {
	t.Helper()
	return webtest.Call(t, f.w.srv, webtest.Caller{Tenant: f.id, User: f.users[key].ID}, method, path, body)
}

// must sends a request that must answer want, and decodes the answer.
func must[T any](t testing.TB, f *tenantFixture, key, method, path string, body any, want int) T {
	t.Helper()
	status, raw := f.call(t, key, method, path, body)
	if status != want {
		t.Fatalf("%s %s as %s: %d %s, want %d", method, path, key, status, raw, want)
	}
	return webtest.Decode[T](t, raw)
}

// shanghai is the tenants' time zone.
var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// at is a moment of March 2025 in Shanghai.
func at(day, hour, minute int) time.Time {
	return time.Date(2025, 3, day, hour, minute, 0, 0, shanghai)
}

func callBody(customer uuid.UUID, direction, outcome string, seconds int, when time.Time) map[string]any {
	return map[string]any{"id": identity.NewID(), "kind": "call", "customer_id": customer, "occurred_at": when,
		"direction": direction, "outcome": outcome, "duration_s": seconds}
}

func messageBody(customer uuid.UUID, direction, channel string, when time.Time) map[string]any {
	return map[string]any{"id": identity.NewID(), "kind": "message", "customer_id": customer, "occurred_at": when,
		"direction": direction, "channel": channel}
}

// logActivity posts body as user key and expects it stored.
func logActivity(t testing.TB, f *tenantFixture, key string, body map[string]any) ActivityDTO {
	t.Helper()
	return must[ActivityDTO](t, f, key, http.MethodPost, "/api/v1/activities", body, http.StatusCreated)
}
