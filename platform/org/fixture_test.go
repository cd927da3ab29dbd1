package org

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
)

// testPasswords stands in for the auth package: it refuses short passwords the way auth does
// (a fault without details) and remembers what it stored.
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

func (p *testPasswords) get(id uuid.UUID) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.set[id]
}

type world struct {
	s   *store.Store
	w   *access.Warden
	svc *Service
	pw  *testPasswords
}

func newWorld(t *testing.T) *world {
	s := storetest.Open(t)
	w := access.NewWarden(s)
	pw := &testPasswords{set: map[uuid.UUID]string{}}
	return &world{s: s, w: w, svc: NewService(s, w, pw), pw: pw}
}

// tenantFixture is a small organisation:
//
//	<slug> (root)          admin (tenant_admin, hq), analyst (hq), data (data_specialist)
//	  East China
//	    Shandong           mgr.shandong (manager)
//	      Jinan            rep.jinan.1, rep.jinan.2
//	      Qingdao          rep.qingdao
//	  South China
//	    Guangdong          mgr.guangdong (manager), rep.guangdong
//
// with the team "Shandong Sales" (lead mgr.shandong; members mgr.shandong, rep.jinan.1).
type tenantFixture struct {
	id      uuid.UUID
	slug    string
	w       *world
	regions map[string]Region
	users   map[string]User
	team    Team
}

func (w *world) tenant(t *testing.T, slug string) *tenantFixture {
	t.Helper()
	ctx := context.Background()
	f := &tenantFixture{id: identity.NewID(), slug: slug, w: w, regions: map[string]Region{}, users: map[string]User{}}
	now := time.Now().UTC()
	row := map[string]any{"id": f.id, "slug": slug, "name": slug + " Ltd", "industry": "fmcg", "time_zone": "Asia/Shanghai",
		"currency": "CNY", "status": "active", "created_at": now, "updated_at": now}
	if err := w.s.Owner(ctx).Table("tenants").Create(row).Error; err != nil {
		t.Fatalf("insert tenant: %v", err)
	}
	sys := identity.System(ctx, f.id)
	root, admin, err := w.svc.Bootstrap(sys, slug+" Ltd", NewUser{Email: "admin@" + slug + ".test", Name: "Admin " + slug, Password: "admin-password-1"})
	if err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	if err := w.w.SeedDefaults(sys); err != nil {
		t.Fatalf("seed policies: %v", err)
	}
	f.regions["root"], f.users["admin"] = root, admin
	admin2 := f.as(t, "admin")
	region := func(name, parent string) {
		r, err := w.svc.CreateRegion(admin2, name, f.regions[parent].ID)
		if err != nil {
			t.Fatalf("create region %s: %v", name, err)
		}
		f.regions[name] = r
	}
	region("East China", "root")
	region("Shandong", "East China")
	region("Jinan", "Shandong")
	region("Qingdao", "Shandong")
	region("South China", "root")
	region("Guangdong", "South China")
	f.user(t, "analyst", "root", "", identity.RoleHQ)
	f.user(t, "data", "root", "", identity.RoleDataSpecialist)
	f.user(t, "mgr.shandong", "Shandong", "", identity.RoleManager)
	f.user(t, "rep.jinan.1", "Jinan", "mgr.shandong", identity.RoleRep)
	f.user(t, "rep.jinan.2", "Jinan", "mgr.shandong", identity.RoleRep)
	f.user(t, "rep.qingdao", "Qingdao", "mgr.shandong", identity.RoleRep)
	f.user(t, "mgr.guangdong", "Guangdong", "", identity.RoleManager)
	f.user(t, "rep.guangdong", "Guangdong", "mgr.guangdong", identity.RoleRep)
	lead := f.users["mgr.shandong"].ID
	team, err := w.svc.CreateTeam(admin2, NewTeam{Name: "Shandong Sales", RegionID: f.regions["Shandong"].ID, LeadID: &lead})
	if err != nil {
		t.Fatalf("create team: %v", err)
	}
	for _, m := range []string{"mgr.shandong", "rep.jinan.1"} {
		if team, err = w.svc.AddTeamMember(admin2, team.ID, f.users[m].ID); err != nil {
			t.Fatalf("add member: %v", err)
		}
	}
	f.team = team
	return f
}

// user creates a user keyed by key (their e-mail's local part) as the tenant admin.
func (f *tenantFixture) user(t *testing.T, key, region, manager string, roles ...string) User {
	t.Helper()
	in := NewUser{Email: f.email(key), Name: strings.ToUpper(key[:1]) + key[1:], Roles: roles, RegionID: f.regions[region].ID}
	if manager != "" {
		id := f.users[manager].ID
		in.ManagerID = &id
	}
	u, err := f.w.svc.CreateUser(f.as(t, "admin"), in)
	if err != nil {
		t.Fatalf("create user %s: %v", key, err)
	}
	f.users[key] = u
	return u
}

func (f *tenantFixture) email(key string) string { return key + "@" + f.slug + ".test" }

// as returns a context acting as the fixture's user key, with the principal loaded from the
// database the way authentication loads it.
func (f *tenantFixture) as(t *testing.T, key string) context.Context {
	t.Helper()
	ctx := context.Background()
	p, err := f.w.svc.Principal(identity.System(ctx, f.id), f.users[key].ID)
	if err != nil {
		t.Fatalf("principal of %s: %v", key, err)
	}
	return identity.With(ctx, p)
}

// wantFault fails unless err is a fault of kind k with code (code "" matches any).
func wantFault(t *testing.T, err error, k fault.Kind, code string) *fault.Error {
	t.Helper()
	f, ok := fault.As(err)
	if !ok {
		t.Fatalf("error = %v, want a fault of kind %d code %q", err, k, code)
	}
	if f.Kind != k || (code != "" && f.Code != code) {
		t.Fatalf("fault = kind %d code %q (%s), want kind %d code %q", f.Kind, f.Code, f.Message, k, code)
	}
	return f
}

func ptr[T any](v T) *T { return &v }
