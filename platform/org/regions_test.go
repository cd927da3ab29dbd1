package org

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
)

func TestRegionTreeListsInPathOrder(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	rs, err := w.svc.ListRegions(f.as(t, "rep.jinan.1"))
	if err != nil {
		t.Fatal(err)
	}
	type node struct {
		Name  string
		Depth int
	}
	var got []node
	for i, r := range rs {
		got = append(got, node{r.Name, r.Depth})
		if i > 0 && r.ParentID == nil {
			t.Errorf("%s has no parent", r.Name)
		}
	}
	// Siblings come in creation order: ids are time-ordered.
	want := []node{{"acme Ltd", 0}, {"East China", 1}, {"Shandong", 2}, {"Jinan", 3}, {"Qingdao", 3}, {"South China", 1}, {"Guangdong", 2}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("tree (-want +got):\n%s", d)
	}
}

func TestMoveRegionRepathsSubtree(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	admin := f.as(t, "admin")
	east, shandong, jinan := f.regions["East China"], f.regions["Shandong"], f.regions["Jinan"]

	_, err := w.svc.UpdateRegion(admin, east.ID, RegionChanges{ParentID: &jinan.ID})
	wantFault(t, err, fault.Invalid, "region_cycle")
	_, err = w.svc.UpdateRegion(admin, east.ID, RegionChanges{ParentID: &east.ID})
	wantFault(t, err, fault.Invalid, "region_cycle")
	_, err = w.svc.UpdateRegion(admin, f.regions["root"].ID, RegionChanges{ParentID: &east.ID})
	wantFault(t, err, fault.Invalid, "root_region")
	// Shandong's reps report to a manager inside Shandong: the subtree moves with its manager.
	moved, err := w.svc.UpdateRegion(admin, shandong.ID, RegionChanges{ParentID: ptr(f.regions["South China"].ID), Name: ptr("Shandong Province")})
	if err != nil {
		t.Fatal(err)
	}
	wantPath := f.regions["South China"].Path + shandong.ID.String() + "/"
	if moved.Path != wantPath || moved.Name != "Shandong Province" || *moved.ParentID != f.regions["South China"].ID || moved.Depth != 2 {
		t.Errorf("moved = %+v, want path %s", moved, wantPath)
	}
	j, err := w.svc.GetRegion(admin, jinan.ID)
	if err != nil {
		t.Fatal(err)
	}
	if j.Path != wantPath+jinan.ID.String()+"/" {
		t.Errorf("Jinan path = %s, want it under %s", j.Path, wantPath)
	}
	// Users follow their regions: the manager's subtree and the reps' paths changed together.
	p, err := w.svc.Principal(identity.System(admin, f.id), f.users["rep.jinan.1"].ID)
	if err != nil || p.RegionPath != j.Path {
		t.Errorf("rep principal path = %q (%v), want %q", p.RegionPath, err, j.Path)
	}
	// A manager above the moved region would lose their rep: that move is refused.
	anhui, err := w.svc.CreateRegion(admin, "Anhui", east.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.regions["Anhui"] = anhui
	mgrEast := f.user(t, "mgr.east", "East China", "", identity.RoleManager)
	rep := f.user(t, "rep.anhui", "Anhui", "mgr.east", identity.RoleRep)
	_, err = w.svc.UpdateRegion(admin, anhui.ID, RegionChanges{ParentID: ptr(f.regions["Guangdong"].ID)})
	fe := wantFault(t, err, fault.Conflict, "breaks_reporting")
	if len(fe.Details) != 1 || fe.Details[0].Value != rep.ID.String() {
		t.Errorf("details = %+v, want the rep of %s", fe.Details, mgrEast.Name)
	}
	if a, _ := w.svc.GetRegion(admin, anhui.ID); a.Path != anhui.Path {
		t.Errorf("the refused move changed Anhui's path from %s to %s", anhui.Path, a.Path)
	}
}

func TestRegionNamesAndDeletion(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	admin := f.as(t, "admin")
	_, err := w.svc.CreateRegion(admin, "Jinan", f.regions["Shandong"].ID)
	wantFault(t, err, fault.Conflict, "region_name_taken")
	_, err = w.svc.UpdateRegion(admin, f.regions["Qingdao"].ID, RegionChanges{Name: ptr("Jinan")})
	wantFault(t, err, fault.Conflict, "region_name_taken")

	cases := []struct{ name, region string }{
		{"with subregions", "Shandong"},
		{"with users", "Jinan"},
		{"the root", "root"},
	}
	for _, c := range cases {
		err := w.svc.DeleteRegion(admin, f.regions[c.region].ID)
		wantFault(t, err, fault.Conflict, "")
		if _, err := w.svc.GetRegion(admin, f.regions[c.region].ID); err != nil {
			t.Errorf("%s: region gone after a refused delete: %v", c.name, err)
		}
	}
	// A team, or a disabled user, keeps a region in use too.
	empty, err := w.svc.CreateRegion(admin, "Weifang", f.regions["Shandong"].ID)
	if err != nil {
		t.Fatal(err)
	}
	team, err := w.svc.CreateTeam(admin, NewTeam{Name: "Weifang Sales", RegionID: empty.ID})
	if err != nil {
		t.Fatal(err)
	}
	wantFault(t, w.svc.DeleteRegion(admin, empty.ID), fault.Conflict, "region_in_use")
	if err := w.svc.DeleteTeam(admin, team.ID); err != nil {
		t.Fatal(err)
	}
	f.regions["Weifang"] = empty
	gone := f.user(t, "gone", "Weifang", "", identity.RoleHQ)
	if err := w.svc.DeactivateUser(admin, gone.ID); err != nil {
		t.Fatal(err)
	}
	wantFault(t, w.svc.DeleteRegion(admin, empty.ID), fault.Conflict, "region_in_use")
	if _, err := w.svc.UpdateUser(admin, gone.ID, UserChanges{RegionID: ptr(f.regions["Shandong"].ID)}); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.DeleteRegion(admin, empty.ID); err != nil {
		t.Fatalf("delete the empty region: %v", err)
	}
	_, err = w.svc.GetRegion(admin, empty.ID)
	wantFault(t, err, fault.NotFound, "")
	// Managers and reps only read the tree.
	_, err = w.svc.CreateRegion(f.as(t, "mgr.shandong"), "Zibo", f.regions["Shandong"].ID)
	wantFault(t, err, fault.Forbidden, "")
	wantFault(t, w.svc.DeleteRegion(f.as(t, "rep.jinan.1"), f.regions["Qingdao"].ID), fault.Forbidden, "")
}

// A region whose customers (another domain's rows) still point at it is refused as in use, not
// failed as a server fault, and stays.
func TestDeleteRegionWithCustomers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	admin := f.as(t, "admin")
	weifang, err := w.svc.CreateRegion(admin, "Weifang", f.regions["Shandong"].ID)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	customer := map[string]any{"tenant_id": f.id, "id": identity.NewID(), "name": "Weifang Mart", "grade": "A",
		"owner_id": f.users["rep.jinan.1"].ID, "region_id": weifang.ID, "lat": 36.7, "lon": 119.1,
		"fence_kind": "circle", "fence_radius": 100.0, "created_at": now, "updated_at": now}
	if err := w.s.Owner(context.Background()).Table("customers").Create(customer).Error; err != nil {
		t.Fatalf("insert customer: %v", err)
	}
	wantFault(t, w.svc.DeleteRegion(admin, weifang.ID), fault.Conflict, "region_in_use")
	if _, err := w.svc.GetRegion(admin, weifang.ID); err != nil {
		t.Errorf("region gone after a refused delete: %v", err)
	}
}

func TestTeams(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	mgr := f.as(t, "mgr.shandong")
	// Managers form teams in their subtree, not elsewhere.
	team, err := w.svc.CreateTeam(mgr, NewTeam{Name: "Jinan Key Accounts", RegionID: f.regions["Jinan"].ID})
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.CreateTeam(mgr, NewTeam{Name: "Canton", RegionID: f.regions["Guangdong"].ID})
	wantFault(t, err, fault.Forbidden, "")
	_, err = w.svc.CreateTeam(mgr, NewTeam{Name: "Shandong Sales", RegionID: f.regions["Jinan"].ID})
	wantFault(t, err, fault.Conflict, "team_name_taken")
	// Members: idempotent add, only users the manager can see, not disabled ones.
	for range 2 {
		if team, err = w.svc.AddTeamMember(mgr, team.ID, f.users["rep.jinan.2"].ID); err != nil {
			t.Fatal(err)
		}
	}
	if d := cmp.Diff(teamIDs(f, "rep.jinan.2"), team.MemberIDs); d != "" {
		t.Errorf("members (-want +got):\n%s", d)
	}
	_, err = w.svc.AddTeamMember(mgr, team.ID, f.users["rep.guangdong"].ID)
	wantFault(t, err, fault.NotFound, "")
	if err := w.svc.DeactivateUser(f.as(t, "admin"), f.users["rep.qingdao"].ID); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.AddTeamMember(mgr, team.ID, f.users["rep.qingdao"].ID)
	wantFault(t, err, fault.Conflict, "user_disabled")
	// Changes: lead set and cleared; a move out of the subtree is refused.
	lead := f.users["rep.jinan.2"].ID
	team, err = w.svc.UpdateTeam(mgr, team.ID, TeamChanges{Name: ptr("Jinan KA"), SetLead: true, LeadID: &lead})
	if err != nil || team.Name != "Jinan KA" || *team.LeadID != lead {
		t.Fatalf("update team: %+v, %v", team, err)
	}
	if team, err = w.svc.UpdateTeam(mgr, team.ID, TeamChanges{SetLead: true}); err != nil || team.LeadID != nil {
		t.Fatalf("clear lead: %+v, %v", team, err)
	}
	_, err = w.svc.UpdateTeam(mgr, team.ID, TeamChanges{RegionID: ptr(f.regions["Guangdong"].ID)})
	wantFault(t, err, fault.Forbidden, "")
	if err := w.svc.RemoveTeamMember(mgr, team.ID, f.users["rep.jinan.2"].ID); err != nil {
		t.Fatal(err)
	}
	if team, _ = w.svc.GetTeam(mgr, team.ID); len(team.MemberIDs) != 0 {
		t.Errorf("members after removal = %v", team.MemberIDs)
	}
	// A rep reads teams but changes none; the manager cannot dissolve one (no delete policy).
	ts, err := w.svc.ListTeams(f.as(t, "rep.guangdong"))
	if err != nil || len(ts) != 2 {
		t.Errorf("rep lists %d teams (%v), want 2", len(ts), err)
	}
	_, err = w.svc.UpdateTeam(f.as(t, "rep.jinan.1"), team.ID, TeamChanges{Name: ptr("Mine")})
	wantFault(t, err, fault.Forbidden, "")
	wantFault(t, w.svc.DeleteTeam(mgr, team.ID), fault.Forbidden, "")
	if err := w.svc.DeleteTeam(f.as(t, "admin"), team.ID); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.GetTeam(mgr, team.ID)
	wantFault(t, err, fault.NotFound, "")
}

func teamIDs(f *tenantFixture, keys ...string) []uuid.UUID {
	out := make([]uuid.UUID, len(keys))
	for i, k := range keys {
		out[i] = f.users[k].ID
	}
	return out
}
