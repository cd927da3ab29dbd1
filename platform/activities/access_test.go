package activities

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web/webtest"
)

// One row of every kind at a Jinan account of rep.jinan.1; then who sees what.
func TestScopingAndTenantIsolation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f, other := w.tenant(t, "acme"), w.tenant(t, "beta")
	plant := f.customer(t, "Sinopump Plant", "rep.jinan.1", "Jinan")
	canton := f.customer(t, "Canton Valves", "rep.guangdong", "Guangdong")
	contact := must[ContactDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/contacts",
		map[string]any{"customer_id": plant, "name": "Wang", "role": "decision_maker"}, http.StatusCreated)
	call := logActivity(t, f, "rep.jinan.1", callBody(plant, "out", "answered", 30, at(18, 9, 0)))
	logActivity(t, f, "rep.guangdong", callBody(canton, "out", "answered", 30, at(18, 9, 0)))
	project := must[ProjectDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/projects",
		map[string]any{"customer_id": plant, "name": "Retrofit"}, http.StatusCreated)
	record := must[ServiceRecordDTO](t, f, "mgr.shandong", http.MethodPost, "/api/v1/service-records",
		map[string]any{"customer_id": plant, "kind": "repair", "summary": "replaced the seal on pump 3", "occurred_at": at(18, 15, 0),
			"contact_ids": []uuid.UUID{contact.ID}}, http.StatusCreated)
	if record.OwnerID != f.users["rep.jinan.1"].ID || record.AuthorID != f.users["mgr.shandong"].ID {
		t.Errorf("service record placed %+v: want the account's rep as owner, the manager as author", record)
	}
	rows := []string{
		"/api/v1/activities/" + call.ID.String(),
		"/api/v1/contacts/" + contact.ID.String(),
		"/api/v1/contacts/" + contact.ID.String() + "/relationships",
		"/api/v1/projects/" + project.ID.String(),
		"/api/v1/projects/" + project.ID.String() + "/milestones",
		"/api/v1/service-records/" + record.ID.String(),
		"/api/v1/accounts/" + plant.String(),
		"/api/v1/accounts/" + plant.String() + "/graph",
		"/api/v1/accounts/" + plant.String() + "/timeline",
	}
	for _, path := range rows {
		for _, who := range []struct {
			f   *tenantFixture
			key string
		}{{other, "admin"}, {f, "rep.jinan.2"}, {f, "mgr.guangdong"}} {
			status, raw := who.f.call(t, who.key, http.MethodGet, path, nil)
			webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
		}
		for _, key := range []string{"rep.jinan.1", "mgr.shandong", "analyst", "admin"} {
			if status, raw := f.call(t, key, http.MethodGet, path, nil); status != http.StatusOK {
				t.Errorf("%s GET %s: %d %s", key, path, status, raw)
			}
		}
	}
	// Writes by outsiders are refused as not found too, and change nothing.
	status, raw := other.call(t, "admin", http.MethodPatch, "/api/v1/activities/"+call.ID.String(), map[string]any{"notes": "taken"})
	webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
	status, raw = f.call(t, "rep.jinan.2", http.MethodPost, "/api/v1/projects/"+project.ID.String()+"/milestones",
		map[string]any{"name": "x", "planned_on": "2025-04-01"})
	webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
	// HQ reads but does not write sales work.
	status, raw = f.call(t, "analyst", http.MethodPatch, "/api/v1/contacts/"+contact.ID.String(), map[string]any{"title": "CEO"})
	webtest.WantError(t, status, raw, http.StatusForbidden, "forbidden", "")

	lists := func(f *tenantFixture, key string) []string {
		page := must[ActivityPageDTO](t, f, key, http.MethodGet, "/api/v1/activities", nil, http.StatusOK)
		var out []string
		for _, a := range page.Activities {
			out = append(out, a.CustomerID.String())
		}
		slices.Sort(out)
		return out
	}
	both := []string{plant.String(), canton.String()}
	slices.Sort(both)
	for _, c := range []struct {
		f    *tenantFixture
		key  string
		want []string
	}{
		{f, "rep.jinan.1", []string{plant.String()}},
		{f, "rep.jinan.2", nil},
		{f, "mgr.shandong", []string{plant.String()}},
		{f, "mgr.guangdong", []string{canton.String()}},
		{f, "analyst", both},
		{other, "admin", nil},
	} {
		if d := cmp.Diff(c.want, lists(c.f, c.key)); d != "" {
			t.Errorf("%s lists (-want +got):\n%s", c.key, d)
		}
	}
	for _, c := range []struct {
		key, path string
		want      int
	}{
		{"mgr.shandong", "/api/v1/contacts", 1}, {"rep.jinan.2", "/api/v1/contacts", 0}, {"mgr.guangdong", "/api/v1/projects", 0},
		{"mgr.shandong", "/api/v1/projects", 1}, {"rep.jinan.1", "/api/v1/service-records", 1}, {"mgr.guangdong", "/api/v1/service-records", 0},
	} {
		status, raw := f.call(t, c.key, http.MethodGet, c.path, nil)
		var n int
		switch c.path {
		case "/api/v1/contacts":
			n = len(webtest.Decode[ContactPageDTO](t, raw).Contacts)
		case "/api/v1/projects":
			n = len(webtest.Decode[ProjectPageDTO](t, raw).Projects)
		default:
			n = len(webtest.Decode[ServiceRecordPageDTO](t, raw).Records)
		}
		if status != http.StatusOK || n != c.want {
			t.Errorf("%s lists %s: %d rows (status %d), want %d", c.key, c.path, n, status, c.want)
		}
	}
}
