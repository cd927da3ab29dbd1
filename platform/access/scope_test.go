package access

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
)

// Minimal rows of the org tables (migration 1), enough to place users in the region tree.
type scopeRegion struct {
	TenantID  uuid.UUID
	ID        uuid.UUID
	ParentID  *uuid.UUID
	Name      string
	Path      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (scopeRegion) TableName() string { return "regions" }

type scopeUser struct {
	TenantID  uuid.UUID
	ID        uuid.UUID
	Email     string
	Name      string
	RegionID  uuid.UUID
	Status    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (scopeUser) TableName() string { return "users" }

type scopeWorld struct {
	tenant                   uuid.UUID
	root, east, jinan, south scopeRegion
	users                    map[string]scopeUser
}

func newScopeWorld(t *testing.T, s *store.Store) scopeWorld {
	t.Helper()
	w := scopeWorld{tenant: identity.NewID(), users: map[string]scopeUser{}}
	region := func(name string, parent *scopeRegion) scopeRegion {
		r := scopeRegion{ID: identity.NewID(), Name: name}
		r.Path = "/" + r.ID.String() + "/"
		if parent != nil {
			r.ParentID = &parent.ID
			r.Path = parent.Path + r.ID.String() + "/"
		}
		return r
	}
	w.root = region("HQ", nil)
	w.east = region("East", &w.root)
	w.jinan = region("Jinan", &w.east)
	w.south = region("South", &w.root)
	for name, r := range map[string]scopeRegion{"admin": w.root, "manager.east": w.east, "rep.jinan": w.jinan, "rep.jinan.2": w.jinan, "rep.south": w.south} {
		w.users[name] = scopeUser{ID: identity.NewID(), Email: name + "@x.test", Name: name, RegionID: r.ID, Status: "active"}
	}
	ctx := identity.System(context.Background(), w.tenant)
	err := s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		for _, r := range []scopeRegion{w.root, w.east, w.jinan, w.south} {
			if err := db.Create(&r).Error; err != nil {
				return err
			}
		}
		for _, u := range w.users {
			if err := db.Create(&u).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := NewWarden(s).SeedDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w scopeWorld) principal(name string, r scopeRegion, roles ...string) identity.Principal {
	return identity.Principal{TenantID: w.tenant, UserID: w.users[name].ID, Roles: roles, RegionID: r.ID, RegionPath: r.Path}
}

func visibleUsers(t *testing.T, s *store.Store, wd *Warden, p identity.Principal) []string {
	t.Helper()
	var names []string
	err := s.Tx(identity.With(context.Background(), p), func(ctx context.Context, db *gorm.DB) error {
		scope, err := wd.Scope(ctx, List, KindUser, Columns{Owner: "users.id", RegionID: "users.region_id"})
		if err != nil {
			return err
		}
		return db.Model(&scopeUser{}).Scopes(scope).Order("name").Pluck("name", &names).Error
	})
	if err != nil {
		t.Fatalf("list users as %v: %v", p.Roles, err)
	}
	return names
}

func TestScopeFiltersListsLikeSingleReads(t *testing.T) {
	s := storetest.Open(t)
	w := newScopeWorld(t, s)
	wd := NewWarden(s)
	all := []string{"admin", "manager.east", "rep.jinan", "rep.jinan.2", "rep.south"}
	cases := []struct {
		name string
		p    identity.Principal
		want []string
	}{
		{"tenant admin", w.principal("admin", w.root, identity.RoleTenantAdmin), all},
		{"hq", w.principal("admin", w.root, identity.RoleHQ), all},
		{"manager of east", w.principal("manager.east", w.east, identity.RoleManager), []string{"manager.east", "rep.jinan", "rep.jinan.2"}},
		{"rep", w.principal("rep.jinan", w.jinan, identity.RoleRep), []string{"rep.jinan"}},
		{"rep who also manages jinan", w.principal("rep.jinan", w.jinan, identity.RoleRep, identity.RoleManager), []string{"rep.jinan", "rep.jinan.2"}},
	}
	for _, c := range cases {
		got := visibleUsers(t, s, wd, c.p)
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s sees (-want +got):\n%s", c.name, diff)
		}
		// Every listed row passes the single-row check, and every row the check passes is listed.
		for name, u := range w.users {
			region := map[uuid.UUID]string{w.root.ID: w.root.Path, w.east.ID: w.east.Path, w.jinan.ID: w.jinan.Path, w.south.ID: w.south.Path}[u.RegionID]
			err := wd.CheckRow(identity.With(context.Background(), c.p), Read, Resource{Kind: KindUser, ID: u.ID, OwnerID: u.ID, RegionPath: region}, "user")
			listed := false
			for _, g := range got {
				listed = listed || g == name
			}
			if (err == nil) != listed {
				t.Errorf("%s: %s listed=%v but single read err=%v", c.name, name, listed, err)
			}
		}
	}
}

func TestScopeWithCustomDenyOnOwnRows(t *testing.T) {
	s := storetest.Open(t)
	w := newScopeWorld(t, s)
	wd := NewWarden(s)
	admin := identity.With(context.Background(), w.principal("admin", w.root, identity.RoleTenantAdmin))
	// Managers may not see their own record in lists: rows of the subtree other than their own.
	if _, err := wd.SavePolicy(admin, Policy{Description: "no self", Subjects: []string{"role:manager"}, Actions: []Action{List},
		Kinds: []Kind{KindUser}, Scope: ScopeOwn, Effect: Deny}); err != nil {
		t.Fatal(err)
	}
	got := visibleUsers(t, s, wd, w.principal("manager.east", w.east, identity.RoleManager))
	if diff := cmp.Diff([]string{"rep.jinan", "rep.jinan.2"}, got); diff != "" {
		t.Errorf("manager sees (-want +got):\n%s", diff)
	}
	var err error
	_ = s.Tx(identity.With(context.Background(), w.principal("rep.jinan", w.jinan, identity.RoleDataSpecialist)), func(ctx context.Context, db *gorm.DB) error {
		_, err = wd.Scope(ctx, List, KindPolicy, Columns{})
		return nil
	})
	if err == nil {
		t.Error("a data specialist may list no policy: Scope must refuse")
	}
}
