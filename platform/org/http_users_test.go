package org

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web/webtest"
)

func TestHTTPUserLifecycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	srv := newServer(w)
	status, raw := call(t, srv, f, "admin", http.MethodPost, "/api/v1/users", map[string]any{
		"email": "New.Analyst@acme.test", "name": "New Analyst", "roles": []string{"hq"}, "region_id": f.regions["root"].ID,
		"manager_id": f.users["mgr.shandong"].ID, "password": "long-enough-pw"})
	webtest.WantError(t, status, raw, http.StatusBadRequest, "manager_outside_region", "body.manager_id")
	status, raw = call(t, srv, f, "admin", http.MethodPost, "/api/v1/users", map[string]any{
		"email": "New.Analyst@acme.test", "name": "New Analyst", "roles": []string{"hq"}, "region_id": f.regions["East China"].ID,
		"password": "long-enough-pw"})
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, raw)
	}
	u := webtest.Decode[UserDTO](t, raw)
	if u.Email != "new.analyst@acme.test" || u.Status != "active" || u.ManagerID != nil {
		t.Errorf("created %+v", u)
	}
	status, raw = call(t, srv, f, "admin", http.MethodPost, "/api/v1/users", map[string]any{
		"email": "new.analyst@acme.test", "name": "Twin", "roles": []string{"hq"}, "region_id": f.regions["root"].ID})
	webtest.WantError(t, status, raw, http.StatusConflict, "email_taken", "body.email")

	path := "/api/v1/users/" + u.ID.String()
	status, raw = call(t, srv, f, "admin", http.MethodPatch, path, map[string]any{"manager_id": f.users["mgr.guangdong"].ID})
	webtest.WantError(t, status, raw, http.StatusBadRequest, "manager_outside_region", "body.manager_id")
	status, raw = call(t, srv, f, "admin", http.MethodPatch, path, map[string]any{
		"name": "Renamed", "roles": []string{"manager", "hq"}, "manager_id": f.users["admin"].ID})
	webtest.WantError(t, status, raw, http.StatusBadRequest, "not_a_manager", "body.manager_id")
	mgrEast := f.user(t, "mgr.east", "East China", "", identity.RoleManager)
	status, raw = call(t, srv, f, "admin", http.MethodPatch, path, map[string]any{"name": "Renamed", "manager_id": mgrEast.ID})
	if got := webtest.Decode[UserDTO](t, raw); status != http.StatusOK || got.Name != "Renamed" || got.ManagerID == nil || *got.ManagerID != mgrEast.ID {
		t.Fatalf("patch: %d %s", status, raw)
	}
	// null clears the manager; an absent field leaves it alone.
	status, raw = call(t, srv, f, "admin", http.MethodPatch, path, `{"manager_id": null}`)
	if got := webtest.Decode[UserDTO](t, raw); status != http.StatusOK || got.ManagerID != nil || got.Name != "Renamed" {
		t.Fatalf("clear manager: %d %s", status, raw)
	}
	status, raw = call(t, srv, f, "admin", http.MethodDelete, path, nil)
	if status != http.StatusNoContent {
		t.Fatalf("deactivate: %d %s", status, raw)
	}
	status, raw = call(t, srv, f, "admin", http.MethodGet, path, nil)
	if got := webtest.Decode[UserDTO](t, raw); status != http.StatusOK || got.Status != "disabled" {
		t.Fatalf("after deactivate: %d %s", status, raw)
	}
	status, raw = call(t, srv, f, "admin", http.MethodDelete, "/api/v1/users/"+f.users["admin"].ID.String(), nil)
	webtest.WantError(t, status, raw, http.StatusConflict, "last_admin", "")
}

func TestHTTPUserPagesAndFilters(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	srv := newServer(w)
	var seen []uuid.UUID
	next := ""
	for pages := 0; ; pages++ {
		status, raw := call(t, srv, f, "admin", http.MethodGet, "/api/v1/users?limit=3"+next, nil)
		if status != http.StatusOK || pages > 5 {
			t.Fatalf("page %d: %d %s", pages, status, raw)
		}
		page := webtest.Decode[struct {
			Users      []UserDTO  `json:"users"`
			NextCursor *uuid.UUID `json:"next_cursor"`
		}](t, raw)
		for _, u := range page.Users {
			seen = append(seen, u.ID)
		}
		if page.NextCursor == nil {
			break
		}
		next = "&cursor=" + page.NextCursor.String()
	}
	var want []uuid.UUID
	for _, u := range f.users {
		want = append(want, u.ID)
	}
	slices.SortFunc(want, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	if d := cmp.Diff(want, seen); d != "" {
		t.Errorf("paged ids (-want +got):\n%s", d)
	}

	if err := w.svc.DeactivateUser(f.as(t, "admin"), f.users["rep.qingdao"].ID); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		query string
		want  []string
	}{
		{"role=manager", []string{"mgr.guangdong", "mgr.shandong"}},
		{"region_id=" + f.regions["Shandong"].ID.String(), []string{"mgr.shandong", "rep.jinan.1", "rep.jinan.2", "rep.qingdao"}},
		{"region_id=" + f.regions["Shandong"].ID.String() + "&status=active", []string{"mgr.shandong", "rep.jinan.1", "rep.jinan.2"}},
		{"status=disabled", []string{"rep.qingdao"}},
		{"q=JINAN", []string{"rep.jinan.1", "rep.jinan.2"}},
		{"q=Mgr.G", []string{"mgr.guangdong"}},
		{"q=%25", nil},
		{"role=rep&region_id=" + f.regions["South China"].ID.String(), []string{"rep.guangdong"}},
	}
	for _, c := range cases {
		status, raw := call(t, srv, f, "admin", http.MethodGet, "/api/v1/users?"+c.query, nil)
		if status != http.StatusOK {
			t.Fatalf("%s: %d %s", c.query, status, raw)
		}
		var got []string
		for _, u := range webtest.Decode[struct {
			Users []UserDTO `json:"users"`
		}](t, raw).Users {
			got = append(got, emailKey(u.Email, "acme"))
		}
		slices.Sort(got)
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", c.query, d)
		}
	}
}
