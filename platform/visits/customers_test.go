package visits

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
)

type world struct {
	s   *store.Store
	w   *access.Warden
	org *org.Service
	svc *Service
}

func newWorld(t *testing.T) *world {
	s := storetest.Open(t)
	w := access.NewWarden(s)
	return &world{s: s, w: w, org: org.NewService(s, w, nil), svc: NewService(s, w, Options{})}
}

// tenantFixture is a small organisation:
//
//	root                 admin (tenant_admin), analyst (hq)
//	  Shandong           mgr.shandong (manager)
//	    Jinan            rep.jinan.1, rep.jinan.2
//	    Qingdao          rep.qingdao
//	  Guangdong          mgr.guangdong (manager), rep.guangdong
//
// with the customer policies the built-in defaults are to get (see the report to the lead).
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
	now := time.Now().UTC()
	row := map[string]any{"id": f.id, "slug": slug, "name": slug + " Ltd", "industry": "fmcg", "time_zone": "Asia/Shanghai",
		"currency": "CNY", "status": "active", "created_at": now, "updated_at": now}
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
	asAdmin := f.as(t, "admin")
	for _, r := range [][2]string{{"Shandong", "root"}, {"Jinan", "Shandong"}, {"Qingdao", "Shandong"}, {"Guangdong", "root"}} {
		region, err := w.org.CreateRegion(asAdmin, r[0], f.regions[r[1]].ID)
		if err != nil {
			t.Fatalf("create region %s: %v", r[0], err)
		}
		f.regions[r[0]] = region
	}
	f.user(t, "analyst", "root", "", identity.RoleHQ)
	f.user(t, "mgr.shandong", "Shandong", "", identity.RoleManager)
	f.user(t, "rep.jinan.1", "Jinan", "mgr.shandong", identity.RoleRep)
	f.user(t, "rep.jinan.2", "Jinan", "mgr.shandong", identity.RoleRep)
	f.user(t, "rep.qingdao", "Qingdao", "mgr.shandong", identity.RoleRep)
	f.user(t, "mgr.guangdong", "Guangdong", "", identity.RoleManager)
	f.user(t, "rep.guangdong", "Guangdong", "mgr.guangdong", identity.RoleRep)
	return f
}

func (f *tenantFixture) user(t testing.TB, key, region, manager string, roles ...string) {
	t.Helper()
	in := org.NewUser{Email: key + "@" + f.slug + ".test", Name: key, Roles: roles, RegionID: f.regions[region].ID}
	if manager != "" {
		id := f.users[manager].ID
		in.ManagerID = &id
	}
	u, err := f.w.org.CreateUser(f.as(t, "admin"), in)
	if err != nil {
		t.Fatalf("create user %s: %v", key, err)
	}
	f.users[key] = u
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

func countCustomers(t *testing.T, w *world, f *tenantFixture) int64 {
	t.Helper()
	var n int64
	err := w.s.Tx(identity.System(context.Background(), f.id), func(ctx context.Context, db *gorm.DB) error {
		return db.Model(&customerRow{}).Count(&n).Error
	})
	if err != nil {
		t.Fatalf("count customers: %v", err)
	}
	return n
}
