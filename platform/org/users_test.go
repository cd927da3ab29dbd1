package org

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
)

func TestBootstrapMakesAdminPrincipal(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	admin := f.users["admin"]
	p, err := w.svc.Principal(identity.System(context.Background(), f.id), admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	root := f.regions["root"]
	want := identity.Principal{TenantID: f.id, UserID: admin.ID, Roles: []string{identity.RoleHQ, identity.RoleTenantAdmin},
		RegionID: root.ID, RegionPath: "/" + root.ID.String() + "/"}
	if d := cmp.Diff(want, p); d != "" {
		t.Errorf("principal (-want +got):\n%s", d)
	}
	if got := w.pw.get(admin.ID); got != "admin-password-1" {
		t.Errorf("admin password stored = %q", got)
	}
	// A second bootstrap of the same tenant is refused, and so is one by a signed-in user.
	_, _, err = w.svc.Bootstrap(identity.System(context.Background(), f.id), "Again", NewUser{Email: "x@acme.test", Name: "X"})
	wantFault(t, err, fault.Conflict, "already_provisioned")
	_, _, err = w.svc.Bootstrap(f.as(t, "admin"), "Again", NewUser{Email: "y@acme.test", Name: "Y"})
	wantFault(t, err, fault.Forbidden, "")
}

func TestPrincipalRefusesDisabledAndMissingUsers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	sys := identity.System(context.Background(), f.id)
	if err := w.svc.DeactivateUser(f.as(t, "admin"), f.users["rep.qingdao"].ID); err != nil {
		t.Fatal(err)
	}
	for name, id := range map[string]uuid.UUID{"disabled": f.users["rep.qingdao"].ID, "missing": identity.NewID()} {
		if _, err := w.svc.Principal(sys, id); !fault.Is(err, fault.Unauthorized) {
			t.Errorf("%s user: err = %v, want ErrUserInactive", name, err)
		}
	}
}

func TestCreateUserRules(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	admin := f.as(t, "admin")
	jinan, guangdong := f.regions["Jinan"].ID, f.regions["Guangdong"].ID
	mgrGuangdong, rep := f.users["mgr.guangdong"].ID, f.users["rep.jinan.1"].ID
	cases := []struct {
		name     string
		in       NewUser
		kind     fault.Kind
		code     string
		location string
	}{
		{"rep without manager", NewUser{Email: "a@acme.test", Name: "A", Roles: []string{"rep"}, RegionID: jinan},
			fault.Invalid, "manager_required", "body.manager_id"},
		{"manager outside the rep's subtree", NewUser{Email: "a@acme.test", Name: "A", Roles: []string{"rep"}, RegionID: jinan, ManagerID: &mgrGuangdong},
			fault.Invalid, "manager_outside_region", "body.manager_id"},
		{"manager without the manager role", NewUser{Email: "a@acme.test", Name: "A", Roles: []string{"rep"}, RegionID: jinan, ManagerID: &rep},
			fault.Invalid, "not_a_manager", "body.manager_id"},
		{"unknown manager", NewUser{Email: "a@acme.test", Name: "A", Roles: []string{"rep"}, RegionID: jinan, ManagerID: ptr(identity.NewID())},
			fault.Invalid, "invalid_reference", "body.manager_id"},
		{"unknown region", NewUser{Email: "a@acme.test", Name: "A", Roles: []string{"hq"}, RegionID: identity.NewID()},
			fault.Invalid, "invalid_reference", "body.region_id"},
		{"no roles", NewUser{Email: "a@acme.test", Name: "A", RegionID: jinan}, fault.Invalid, "invalid_input", "body.roles"},
		{"unknown role", NewUser{Email: "a@acme.test", Name: "A", Roles: []string{"boss"}, RegionID: jinan}, fault.Invalid, "invalid_input", "body.roles"},
		{"bad e-mail", NewUser{Email: "Someone <a@acme.test>", Name: "A", Roles: []string{"hq"}, RegionID: jinan}, fault.Invalid, "invalid_input", "body.email"},
		{"blank name", NewUser{Email: "a@acme.test", Name: "  ", Roles: []string{"hq"}, RegionID: jinan}, fault.Invalid, "invalid_input", "body.name"},
		{"weak password", NewUser{Email: "a@acme.test", Name: "A", Roles: []string{"hq"}, RegionID: jinan, Password: "short"},
			fault.Invalid, "weak_password", "body.password"},
		{"e-mail of another user", NewUser{Email: " REP.JINAN.1@acme.test ", Name: "A", Roles: []string{"hq"}, RegionID: jinan},
			fault.Conflict, "email_taken", "body.email"},
	}
	before := countUsers(t, w, f)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := w.svc.CreateUser(admin, c.in)
			fe := wantFault(t, err, c.kind, c.code)
			if len(fe.Details) == 0 || fe.Details[0].Location != c.location {
				t.Errorf("details = %+v, want location %s", fe.Details, c.location)
			}
		})
	}
	if after := countUsers(t, w, f); after != before {
		t.Errorf("refused creates changed the user count from %d to %d", before, after)
	}
	u, err := w.svc.CreateUser(admin, NewUser{Email: "  New.Rep@ACME.test", Name: " New Rep ", Phone: "+86 138 0000 1111",
		Roles: []string{"rep"}, RegionID: guangdong, ManagerID: &mgrGuangdong, Password: "long-enough-pw"})
	if err != nil {
		t.Fatal(err)
	}
	want := User{ID: u.ID, Email: "new.rep@acme.test", Name: "New Rep", Phone: "+86 138 0000 1111", Roles: []string{"rep"},
		RegionID: guangdong, RegionPath: f.regions["Guangdong"].Path, ManagerID: &mgrGuangdong, Status: StatusActive,
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
	got, err := w.svc.GetUser(admin, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("stored user (-want +got):\n%s", d)
	}
	if w.pw.get(u.ID) != "long-enough-pw" {
		t.Error("the password was not stored")
	}
}

func TestEmailIsUniqueAcrossTenants(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b := w.tenant(t, "alpha"), w.tenant(t, "beta")
	before := countUsers(t, w, b)
	_, err := w.svc.CreateUser(b.as(t, "admin"), NewUser{Email: "REP.JINAN.1@alpha.test", Name: "Copycat", Roles: []string{"hq"},
		RegionID: b.regions["root"].ID, Password: "long-enough-pw"})
	wantFault(t, err, fault.Conflict, "email_taken")
	if after := countUsers(t, w, b); after != before {
		t.Errorf("tenant beta has %d users after the refused create, want %d", after, before)
	}
	// The refused create's password never reached the store either: the transaction rolled back
	// before, and the first tenant keeps its user.
	if _, err := w.svc.GetUser(a.as(t, "admin"), a.users["rep.jinan.1"].ID); err != nil {
		t.Errorf("alpha's user: %v", err)
	}
}

func TestLastTenantAdminStays(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	admin := f.as(t, "admin")
	id := f.users["admin"].ID
	_, err := w.svc.UpdateUser(admin, id, UserChanges{Roles: []string{identity.RoleHQ}})
	wantFault(t, err, fault.Conflict, "last_admin")
	_, err = w.svc.UpdateUser(admin, id, UserChanges{Status: ptr(StatusDisabled)})
	wantFault(t, err, fault.Conflict, "last_admin")
	wantFault(t, w.svc.DeactivateUser(admin, id), fault.Conflict, "last_admin")

	// With a second admin, the first may step down.
	if _, err := w.svc.UpdateUser(admin, f.users["analyst"].ID, UserChanges{Roles: []string{identity.RoleHQ, identity.RoleTenantAdmin}}); err != nil {
		t.Fatal(err)
	}
	u, err := w.svc.UpdateUser(admin, id, UserChanges{Roles: []string{identity.RoleHQ}})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(u.Roles, identity.RoleTenantAdmin) {
		t.Errorf("roles = %v after stepping down", u.Roles)
	}
	// Now the analyst is the last one.
	wantFault(t, w.svc.DeactivateUser(f.as(t, "analyst"), f.users["analyst"].ID), fault.Conflict, "last_admin")
}

func TestReportingLineRules(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	admin := f.as(t, "admin")
	rep, mgr := f.users["rep.jinan.1"], f.users["mgr.shandong"]

	_, err := w.svc.UpdateUser(admin, mgr.ID, UserChanges{SetManager: true, ManagerID: &mgr.ID})
	wantFault(t, err, fault.Invalid, "own_manager")
	_, err = w.svc.UpdateUser(admin, rep.ID, UserChanges{SetManager: true})
	wantFault(t, err, fault.Invalid, "manager_required")
	_, err = w.svc.UpdateUser(admin, rep.ID, UserChanges{RegionID: ptr(f.regions["Guangdong"].ID)})
	wantFault(t, err, fault.Invalid, "manager_outside_region")
	// The manager cannot leave their reps behind: not by losing the role, moving away or leaving.
	_, err = w.svc.UpdateUser(admin, mgr.ID, UserChanges{Roles: []string{identity.RoleHQ}})
	wantFault(t, err, fault.Conflict, "has_reports")
	_, err = w.svc.UpdateUser(admin, mgr.ID, UserChanges{RegionID: ptr(f.regions["Jinan"].ID)})
	wantFault(t, err, fault.Conflict, "has_reports")
	wantFault(t, w.svc.DeactivateUser(admin, mgr.ID), fault.Conflict, "has_reports")
	// Moving a rep together with a new manager is fine, and so is moving within the subtree.
	gd := f.users["mgr.guangdong"].ID
	u, err := w.svc.UpdateUser(admin, rep.ID, UserChanges{RegionID: ptr(f.regions["Guangdong"].ID), SetManager: true, ManagerID: &gd})
	if err != nil {
		t.Fatal(err)
	}
	if u.RegionPath != f.regions["Guangdong"].Path || *u.ManagerID != gd {
		t.Errorf("moved rep = %+v", u)
	}
	if _, err := w.svc.UpdateUser(admin, f.users["rep.qingdao"].ID, UserChanges{RegionID: ptr(f.regions["Jinan"].ID)}); err != nil {
		t.Errorf("move inside the manager's subtree: %v", err)
	}
	// A manager may report to a manager higher up; clearing a non-rep's manager is allowed.
	hq := f.user(t, "mgr.east", "East China", "", identity.RoleManager)
	if _, err := w.svc.UpdateUser(admin, mgr.ID, UserChanges{SetManager: true, ManagerID: &hq.ID}); err != nil {
		t.Fatal(err)
	}
	u, err = w.svc.UpdateUser(admin, mgr.ID, UserChanges{SetManager: true, ManagerID: nil})
	if err != nil || u.ManagerID != nil {
		t.Fatalf("clear manager: %+v, %v", u, err)
	}
}

// A custom policy lets managers create and change users of their subtree; the organisation's
// rules still keep them from handing out privileges or moving people (or themselves) out of reach.
func TestManagerWithUserPolicy(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	_, err := w.w.SavePolicy(f.as(t, "admin"), access.Policy{Description: "managers run their people",
		Subjects: []string{"role:" + identity.RoleManager}, Actions: []access.Action{access.Create, access.Update},
		Kinds: []access.Kind{access.KindUser}, Scope: access.ScopeRegion, Effect: access.Allow})
	if err != nil {
		t.Fatal(err)
	}
	mgr := f.as(t, "mgr.shandong")
	mid := f.users["mgr.shandong"].ID
	jinan := f.regions["Jinan"].ID
	u, err := w.svc.CreateUser(mgr, NewUser{Email: "fresh@acme.test", Name: "Fresh", Roles: []string{"rep"}, RegionID: jinan, ManagerID: &mid})
	if err != nil {
		t.Fatalf("manager creates a rep in the subtree: %v", err)
	}
	_, err = w.svc.CreateUser(mgr, NewUser{Email: "boss@acme.test", Name: "Boss", Roles: []string{"rep", "hq"}, RegionID: jinan, ManagerID: &mid})
	wantFault(t, err, fault.Forbidden, "role_grant")
	_, err = w.svc.CreateUser(mgr, NewUser{Email: "far@acme.test", Name: "Far", Roles: []string{"hq"}, RegionID: f.regions["Guangdong"].ID})
	wantFault(t, err, fault.Forbidden, "")
	_, err = w.svc.UpdateUser(mgr, u.ID, UserChanges{Roles: []string{"rep", "manager"}})
	wantFault(t, err, fault.Forbidden, "role_grant")
	_, err = w.svc.UpdateUser(mgr, u.ID, UserChanges{RegionID: ptr(f.regions["Guangdong"].ID)})
	wantFault(t, err, fault.Forbidden, "")
	_, err = w.svc.UpdateUser(mgr, mid, UserChanges{RegionID: ptr(f.regions["root"].ID)})
	wantFault(t, err, fault.Forbidden, "forbidden")
	_, err = w.svc.UpdateUser(mgr, mid, UserChanges{Roles: []string{"manager", "rep"}})
	wantFault(t, err, fault.Forbidden, "self_change")
	wantFault(t, w.svc.DeactivateUser(mgr, mid), fault.Forbidden, "")
	// Outside the subtree the user does not even exist for the manager.
	_, err = w.svc.UpdateUser(mgr, f.users["rep.guangdong"].ID, UserChanges{Name: ptr("Renamed")})
	wantFault(t, err, fault.NotFound, "")
	if got, err := w.svc.UpdateUser(mgr, u.ID, UserChanges{Name: ptr("Fresh Name")}); err != nil || got.Name != "Fresh Name" {
		t.Errorf("rename in subtree: %+v, %v", got, err)
	}
}

func TestScopedUserReads(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	names := func(ctx context.Context) []string {
		t.Helper()
		page, err := w.svc.ListUsers(ctx, UserFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, u := range page.Users {
			out = append(out, u.Email)
		}
		slices.Sort(out)
		return out
	}
	want := []string{f.email("mgr.shandong"), f.email("rep.jinan.1"), f.email("rep.jinan.2"), f.email("rep.qingdao")}
	if d := cmp.Diff(want, names(f.as(t, "mgr.shandong"))); d != "" {
		t.Errorf("manager's list (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{f.email("rep.jinan.1")}, names(f.as(t, "rep.jinan.1"))); d != "" {
		t.Errorf("rep's list (-want +got):\n%s", d)
	}
	if got := names(f.as(t, "analyst")); len(got) != len(f.users) {
		t.Errorf("hq lists %d users, want all %d", len(got), len(f.users))
	}
	_, err := w.svc.GetUser(f.as(t, "mgr.shandong"), f.users["rep.guangdong"].ID)
	wantFault(t, err, fault.NotFound, "not_found")
	_, err = w.svc.GetUser(f.as(t, "rep.jinan.1"), f.users["rep.jinan.2"].ID)
	wantFault(t, err, fault.NotFound, "not_found")
	_, err = w.svc.UpdateUser(f.as(t, "rep.jinan.1"), f.users["rep.jinan.1"].ID, UserChanges{Name: ptr("Me")})
	wantFault(t, err, fault.Forbidden, "")
}

func TestTenantsDoNotSeeEachOther(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b := w.tenant(t, "alpha"), w.tenant(t, "beta")
	bAdmin := b.as(t, "admin")
	_, err := w.svc.GetUser(bAdmin, a.users["rep.jinan.1"].ID)
	wantFault(t, err, fault.NotFound, "")
	_, err = w.svc.UpdateUser(bAdmin, a.users["rep.jinan.1"].ID, UserChanges{Name: ptr("Stolen")})
	wantFault(t, err, fault.NotFound, "")
	wantFault(t, w.svc.DeactivateUser(bAdmin, a.users["rep.jinan.1"].ID), fault.NotFound, "")
	_, err = w.svc.GetRegion(bAdmin, a.regions["Jinan"].ID)
	wantFault(t, err, fault.NotFound, "")
	_, err = w.svc.CreateRegion(bAdmin, "Inside A", a.regions["Jinan"].ID)
	wantFault(t, err, fault.Invalid, "invalid_reference")
	_, err = w.svc.AddTeamMember(bAdmin, b.team.ID, a.users["rep.jinan.2"].ID)
	wantFault(t, err, fault.NotFound, "")
	_, err = w.svc.GetTeam(bAdmin, a.team.ID)
	wantFault(t, err, fault.NotFound, "")
	page, err := w.svc.ListUsers(bAdmin, UserFilter{Limit: MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range page.Users {
		if _, ok := b.users[emailKey(u.Email, "beta")]; !ok {
			t.Errorf("beta lists foreign user %s", u.Email)
		}
	}
	rs, err := w.svc.ListRegions(bAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != len(b.regions) {
		t.Errorf("beta lists %d regions, want its %d", len(rs), len(b.regions))
	}
	if got, err := w.svc.GetUser(a.as(t, "admin"), a.users["rep.jinan.1"].ID); err != nil || got.Name != a.users["rep.jinan.1"].Name || got.Status != StatusActive {
		t.Errorf("alpha's user after beta's attempts: %+v, %v", got, err)
	}
}

func emailKey(email, slug string) string { return email[:len(email)-len("@"+slug+".test")] }

func countUsers(t *testing.T, w *world, f *tenantFixture) int {
	t.Helper()
	page, err := w.svc.ListUsers(f.as(t, "admin"), UserFilter{Limit: MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Users)
}
