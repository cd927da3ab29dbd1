package access

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
)

func defaultIndex(t testing.TB, tenant uuid.UUID, extra ...Policy) *Index {
	t.Helper()
	var ps []Policy
	for _, b := range defaults() {
		b.ID = uuid.NewSHA1(tenant, []byte(b.key))
		ps = append(ps, b.Policy)
	}
	ix, err := NewIndex(tenant, append(ps, extra...))
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestDecisions(t *testing.T) {
	tenant := identity.NewID()
	east, jinan, south := "/root/east/", "/root/east/jinan/", "/root/south/"
	manager := identity.Principal{TenantID: tenant, UserID: identity.NewID(), Roles: []string{identity.RoleManager}, RegionPath: east}
	rep := identity.Principal{TenantID: tenant, UserID: identity.NewID(), Roles: []string{identity.RoleRep}, RegionPath: jinan}
	otherRep := identity.NewID()
	ix := defaultIndex(t, tenant)
	ctx := context.Background()
	cases := []struct {
		name string
		p    identity.Principal
		a    Action
		r    Resource
		want bool
	}{
		{"rep reads own user", rep, Read, Resource{Kind: KindUser, OwnerID: rep.UserID, RegionPath: jinan}, true},
		{"rep reads another rep in the same city", rep, Read, Resource{Kind: KindUser, OwnerID: otherRep, RegionPath: jinan}, false},
		{"rep updates own user", rep, Update, Resource{Kind: KindUser, OwnerID: rep.UserID, RegionPath: jinan}, false},
		{"rep lists regions", rep, List, Resource{Kind: KindRegion, RegionPath: south}, true},
		{"rep reads policies", rep, Read, Resource{Kind: KindPolicy}, false},
		{"manager reads rep in subtree", manager, Read, Resource{Kind: KindUser, OwnerID: otherRep, RegionPath: jinan}, true},
		{"manager reads rep outside subtree", manager, Read, Resource{Kind: KindUser, OwnerID: otherRep, RegionPath: south}, false},
		{"manager creates team in subtree", manager, Create, Resource{Kind: KindTeam, RegionPath: jinan}, true},
		{"manager creates team outside subtree", manager, Create, Resource{Kind: KindTeam, RegionPath: south}, false},
		{"manager deletes user in subtree", manager, Delete, Resource{Kind: KindUser, OwnerID: otherRep, RegionPath: jinan}, false},
		{"region prefix is not a path prefix", manager, Read, Resource{Kind: KindUser, OwnerID: otherRep, RegionPath: "/root/eastern/"}, false},
	}
	for _, c := range cases {
		if got := ix.Allows(ctx, c.p, c.a, c.r); got != c.want {
			t.Errorf("%s: allowed = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestDenyBeatsAllowAndUserSubjects(t *testing.T) {
	tenant := identity.NewID()
	ds := identity.Principal{TenantID: tenant, UserID: identity.NewID(), Roles: []string{identity.RoleDataSpecialist}, RegionPath: "/r/"}
	deny := Policy{ID: identity.NewID(), Subjects: []string{"user:" + ds.UserID.String()}, Actions: []Action{Read},
		Kinds: []Kind{KindTeam}, Scope: ScopeTenant, Effect: Deny}
	ix := defaultIndex(t, tenant, deny)
	ctx := context.Background()
	if ix.Allows(ctx, ds, Read, Resource{Kind: KindTeam, RegionPath: "/r/"}) {
		t.Error("a user-level deny must beat the role's allow")
	}
	if !ix.Allows(ctx, ds, Read, Resource{Kind: KindRegion, RegionPath: "/r/"}) {
		t.Error("the deny on teams must not touch regions")
	}
	other := ds
	other.UserID = identity.NewID()
	if !ix.Allows(ctx, other, Read, Resource{Kind: KindTeam, RegionPath: "/r/"}) {
		t.Error("another data specialist keeps the role's allow")
	}
	disabled := deny
	disabled.Disabled = true
	if !defaultIndex(t, tenant, disabled).Allows(ctx, ds, Read, Resource{Kind: KindTeam}) {
		t.Error("a disabled policy must not apply")
	}
}

func TestPoliciesOfOneTenantNeverReachAnother(t *testing.T) {
	a, b := identity.NewID(), identity.NewID()
	ix := defaultIndex(t, a)
	admin := identity.Principal{TenantID: a, UserID: identity.NewID(), Roles: []string{identity.RoleTenantAdmin}}
	// The resource name carries the index's tenant: an index built for A matches A's resources only.
	if got := ix.Allows(context.Background(), admin, Read, Resource{Kind: KindUser}); !got {
		t.Fatal("admin of A must read A's users")
	}
	lp := defaults()[0].Policy.Ladon(a)
	c, err := compile(a, lp)
	if err != nil {
		t.Fatal(err)
	}
	for _, region := range []string{"/r/", "/odd:path/"} { // the fast path and the regex
		d := &decision{tenant: b, p: admin, a: Read, r: Resource{Kind: KindUser, RegionPath: region}, canonical: region == "/r/"}
		if c.matches(context.Background(), d) {
			t.Errorf("a policy of tenant A matches a resource of tenant B (region %q)", region)
		}
	}
	if !c.matches(context.Background(), &decision{tenant: a, p: admin, a: Read, r: Resource{Kind: KindUser, OwnerID: admin.UserID}, canonical: true}) {
		t.Error("the rep's own-row policy must match the owner's row in its own tenant")
	}
}
