package org

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web"
	"github.com/repflow/repflow/platform/web/webtest"
)

func newServer(w *world) *web.Server {
	srv := web.New(web.Options{Authenticate: webtest.Authenticate(w.svc.Principal)})
	srv.Mount(NewHTTP(w.svc))
	return srv
}

// call sends a request as user key of tenant f (key "" for anonymous).
func call(t *testing.T, srv *web.Server, f *tenantFixture, key, method, path string, body any) (int, []byte) {
	t.Helper()
	if key == "" {
		return webtest.Call(t, srv, webtest.Caller{}, method, path, body)
	}
	return webtest.Call(t, srv, webtest.Caller{Tenant: f.id, User: f.users[key].ID}, method, path, body)
}

func TestHTTPMe(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	srv := newServer(w)
	status, raw := call(t, srv, f, "rep.jinan.1", http.MethodGet, "/api/v1/me", nil)
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, raw)
	}
	got := webtest.Decode[MeDTO](t, raw)
	rep, jinan, mgr := f.users["rep.jinan.1"], f.regions["Jinan"], f.users["mgr.shandong"]
	want := MeDTO{
		User: MeUserDTO{ID: rep.ID, Email: rep.Email, Name: rep.Name, Phone: "", Roles: []string{"rep"},
			Region: RegionRefDTO{ID: jinan.ID, Name: "Jinan", Path: jinan.Path}},
		Tenant:  TenantDTO{ID: f.id, Name: "acme Ltd", Slug: "acme", Industry: "fmcg", TimeZone: "Asia/Shanghai", Currency: "CNY"},
		Manager: &PersonDTO{ID: mgr.ID, Name: mgr.Name, Email: mgr.Email},
		Teams:   []TeamRefDTO{{ID: f.team.ID, Name: "Shandong Sales"}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("me (-want +got):\n%s", d)
	}
	status, raw = call(t, srv, f, "", http.MethodGet, "/api/v1/me", nil)
	webtest.WantError(t, status, raw, http.StatusUnauthorized, "unauthenticated", "")
}

func TestHTTPBadInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	srv := newServer(w)
	root := f.regions["root"].ID.String()
	cases := []struct {
		name, method, path string
		body               any
		status             int
		location           string
	}{
		{"malformed id", http.MethodGet, "/api/v1/users/not-a-uuid", nil, 422, "path.id"},
		{"malformed region id", http.MethodDelete, "/api/v1/regions/1234", nil, 422, "path.id"},
		{"malformed member id", http.MethodPut, "/api/v1/teams/" + f.team.ID.String() + "/members/x", nil, 422, "path.user_id"},
		{"malformed cursor", http.MethodGet, "/api/v1/users?cursor=abc", nil, 422, "query.cursor"},
		{"limit too large", http.MethodGet, "/api/v1/users?limit=500", nil, 422, "query.limit"},
		{"unknown role filter", http.MethodGet, "/api/v1/users?role=boss", nil, 422, "query.role"},
		{"malformed JSON", http.MethodPost, "/api/v1/regions", `{"name": "X",`, 400, ""},
		{"unknown field", http.MethodPost, "/api/v1/regions", map[string]any{"name": "X", "parent_id": root, "tenant_id": root}, 422, ""},
		{"wrong type", http.MethodPost, "/api/v1/regions", map[string]any{"name": 5, "parent_id": root}, 422, "body.name"},
		{"malformed body id", http.MethodPost, "/api/v1/users", map[string]any{"email": "a@acme.test", "name": "A", "roles": []string{"hq"}, "region_id": "nope"}, 422, "body.region_id"},
		{"missing roles", http.MethodPost, "/api/v1/users", map[string]any{"email": "a@acme.test", "name": "A", "region_id": root}, 422, ""},
		{"unknown region", http.MethodPost, "/api/v1/users", map[string]any{"email": "a@acme.test", "name": "A", "roles": []string{"hq"}, "region_id": identity.NewID()}, 400, "body.region_id"},
		{"rep without manager", http.MethodPost, "/api/v1/users", map[string]any{"email": "a@acme.test", "name": "A", "roles": []string{"rep"}, "region_id": root}, 400, "body.manager_id"},
		{"bad status", http.MethodPatch, "/api/v1/users/" + f.users["rep.jinan.1"].ID.String(), map[string]any{"status": "gone"}, 422, "body.status"},
	}
	before := countUsers(t, w, f)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, raw := call(t, srv, f, "admin", c.method, c.path, c.body)
			webtest.WantError(t, status, raw, c.status, "", c.location)
		})
	}
	if after := countUsers(t, w, f); after != before {
		t.Errorf("bad requests changed the user count from %d to %d", before, after)
	}
}

func TestHTTPScoping(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	srv := newServer(w)
	listed := func(key string) []string {
		status, raw := call(t, srv, f, key, http.MethodGet, "/api/v1/users", nil)
		if status != http.StatusOK {
			t.Fatalf("%s lists: %d %s", key, status, raw)
		}
		var out []string
		for _, u := range webtest.Decode[struct {
			Users []UserDTO `json:"users"`
		}](t, raw).Users {
			out = append(out, emailKey(u.Email, "acme"))
		}
		slices.Sort(out)
		return out
	}
	if d := cmp.Diff([]string{"mgr.guangdong", "rep.guangdong"}, listed("mgr.guangdong")); d != "" {
		t.Errorf("manager lists (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"rep.jinan.2"}, listed("rep.jinan.2")); d != "" {
		t.Errorf("rep lists (-want +got):\n%s", d)
	}
	for _, c := range []struct{ who, target string }{{"mgr.guangdong", "rep.jinan.1"}, {"rep.jinan.2", "rep.jinan.1"}, {"rep.jinan.2", "mgr.shandong"}} {
		status, raw := call(t, srv, f, c.who, http.MethodGet, "/api/v1/users/"+f.users[c.target].ID.String(), nil)
		webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
	}
	status, raw := call(t, srv, f, "rep.jinan.2", http.MethodGet, "/api/v1/users/"+f.users["rep.jinan.2"].ID.String(), nil)
	if status != http.StatusOK {
		t.Errorf("rep reads own user: %d %s", status, raw)
	}
	status, raw = call(t, srv, f, "rep.jinan.2", http.MethodPost, "/api/v1/regions", map[string]any{"name": "Mine", "parent_id": f.regions["Jinan"].ID})
	webtest.WantError(t, status, raw, http.StatusForbidden, "forbidden", "")
}

// Every id route of the organisation, called by tenant B's admin with tenant A's ids, answers 404
// and changes nothing.
func TestHTTPForeignIDsAreNotFound(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b := w.tenant(t, "alpha"), w.tenant(t, "beta")
	srv := newServer(w)
	user, region, team := a.users["rep.jinan.1"].ID.String(), a.regions["Qingdao"].ID.String(), a.team.ID.String()
	ownUser := b.users["rep.jinan.2"].ID.String()
	snapshot := func() string {
		var out []string
		for _, p := range []string{"/api/v1/users/" + user, "/api/v1/regions/" + region, "/api/v1/teams/" + team} {
			_, raw := call(t, srv, a, "admin", http.MethodGet, p, nil)
			out = append(out, string(raw))
		}
		return strings.Join(out, "\n")
	}
	before := snapshot()
	cases := []struct {
		method, path string
		body         any
	}{
		{http.MethodGet, "/api/v1/users/" + user, nil},
		{http.MethodPatch, "/api/v1/users/" + user, map[string]any{"name": "Taken"}},
		{http.MethodDelete, "/api/v1/users/" + user, nil},
		{http.MethodGet, "/api/v1/regions/" + region, nil},
		{http.MethodPatch, "/api/v1/regions/" + region, map[string]any{"name": "Taken"}},
		{http.MethodDelete, "/api/v1/regions/" + region, nil},
		{http.MethodGet, "/api/v1/teams/" + team, nil},
		{http.MethodPatch, "/api/v1/teams/" + team, map[string]any{"name": "Taken"}},
		{http.MethodDelete, "/api/v1/teams/" + team, nil},
		{http.MethodPut, "/api/v1/teams/" + team + "/members/" + ownUser, nil},
		{http.MethodDelete, "/api/v1/teams/" + team + "/members/" + user, nil},
		{http.MethodPut, "/api/v1/teams/" + b.team.ID.String() + "/members/" + user, nil},
		{http.MethodDelete, "/api/v1/teams/" + b.team.ID.String() + "/members/" + user, nil},
	}
	for _, c := range cases {
		status, raw := call(t, srv, b, "admin", c.method, c.path, c.body)
		if status != http.StatusNotFound {
			t.Errorf("%s %s: %d %s, want 404", c.method, c.path, status, raw)
		}
	}
	if after := snapshot(); after != before {
		t.Errorf("tenant A's rows changed:\nbefore %s\nafter  %s", before, after)
	}
}

func TestHTTPRegionsAndTeams(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	srv := newServer(w)
	status, raw := call(t, srv, f, "rep.jinan.1", http.MethodGet, "/api/v1/regions", nil)
	regions := webtest.Decode[struct {
		Regions []RegionDTO `json:"regions"`
	}](t, raw).Regions
	if status != http.StatusOK || len(regions) != len(f.regions) || regions[0].ParentID != nil || regions[0].Depth != 0 {
		t.Fatalf("regions: %d %s", status, raw)
	}
	status, raw = call(t, srv, f, "admin", http.MethodPost, "/api/v1/regions", map[string]any{"name": "Zibo", "parent_id": f.regions["Shandong"].ID})
	zibo := webtest.Decode[RegionDTO](t, raw)
	if status != http.StatusCreated || zibo.Path != f.regions["Shandong"].Path+zibo.ID.String()+"/" || zibo.Depth != 3 {
		t.Fatalf("create region: %d %s", status, raw)
	}
	status, raw = call(t, srv, f, "admin", http.MethodPatch, "/api/v1/regions/"+f.regions["Shandong"].ID.String(), map[string]any{"parent_id": zibo.ID})
	webtest.WantError(t, status, raw, http.StatusBadRequest, "region_cycle", "body.parent_id")
	status, raw = call(t, srv, f, "admin", http.MethodDelete, "/api/v1/regions/"+f.regions["Jinan"].ID.String(), nil)
	webtest.WantError(t, status, raw, http.StatusConflict, "region_in_use", "")
	if status, raw = call(t, srv, f, "admin", http.MethodDelete, "/api/v1/regions/"+zibo.ID.String(), nil); status != http.StatusNoContent {
		t.Fatalf("delete empty region: %d %s", status, raw)
	}

	status, raw = call(t, srv, f, "mgr.shandong", http.MethodPost, "/api/v1/teams", map[string]any{"name": "Qingdao Crew", "region_id": f.regions["Qingdao"].ID})
	crew := webtest.Decode[TeamDTO](t, raw)
	if status != http.StatusCreated || len(crew.MemberIDs) != 0 || crew.LeadID != nil {
		t.Fatalf("create team: %d %s", status, raw)
	}
	member := "/api/v1/teams/" + crew.ID.String() + "/members/" + f.users["rep.qingdao"].ID.String()
	status, raw = call(t, srv, f, "mgr.shandong", http.MethodPut, member, nil)
	if got := webtest.Decode[TeamDTO](t, raw); status != http.StatusOK || len(got.MemberIDs) != 1 || got.MemberIDs[0] != f.users["rep.qingdao"].ID {
		t.Fatalf("add member: %d %s", status, raw)
	}
	status, raw = call(t, srv, f, "mgr.shandong", http.MethodPatch, "/api/v1/teams/"+crew.ID.String(), map[string]any{"lead_id": f.users["rep.qingdao"].ID})
	if got := webtest.Decode[TeamDTO](t, raw); status != http.StatusOK || got.LeadID == nil {
		t.Fatalf("set lead: %d %s", status, raw)
	}
	status, raw = call(t, srv, f, "mgr.shandong", http.MethodGet, "/api/v1/teams", nil)
	if teams := webtest.Decode[struct {
		Teams []TeamDTO `json:"teams"`
	}](t, raw).Teams; status != http.StatusOK || len(teams) != 2 || teams[0].Name != "Qingdao Crew" {
		t.Fatalf("list teams: %d %s", status, raw)
	}
	if status, raw = call(t, srv, f, "mgr.shandong", http.MethodDelete, member, nil); status != http.StatusNoContent {
		t.Fatalf("remove member: %d %s", status, raw)
	}
	status, raw = call(t, srv, f, "mgr.shandong", http.MethodDelete, "/api/v1/teams/"+crew.ID.String(), nil)
	webtest.WantError(t, status, raw, http.StatusForbidden, "forbidden", "")
}
