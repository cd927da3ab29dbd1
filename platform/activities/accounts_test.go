package activities

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web/webtest"
)

func names(refs []AccountRefDTO) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Name
	}
	return out
}

// Group → Holding East → Plant Jinan; linking Group under Plant Jinan (or under itself) would
// make an account its own ancestor.
func TestAccountHierarchyRefusesCycles(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	group := f.customer(t, "Sinopump Group", "rep.jinan.1", "Jinan")
	holding := f.customer(t, "Sinopump East", "rep.jinan.1", "Jinan")
	plant := f.customer(t, "Sinopump Plant Jinan", "rep.jinan.1", "Jinan")
	link := func(key string, child, parent uuid.UUID) (int, []byte) {
		return f.call(t, key, http.MethodPut, "/api/v1/accounts/"+child.String()+"/links", map[string]any{"parent_id": parent})
	}
	for _, l := range [][2]uuid.UUID{{holding, group}, {plant, holding}} {
		if status, raw := link("rep.jinan.1", l[0], l[1]); status != http.StatusOK {
			t.Fatalf("link: %d %s", status, raw)
		}
	}
	got := must[KeyAccountDTO](t, f, "rep.jinan.1", http.MethodGet, "/api/v1/accounts/"+plant.String(), nil, http.StatusOK)
	if d := cmp.Diff([]string{"Sinopump East", "Sinopump Group"}, names(got.Ancestors)); d != "" || got.Parent == nil || got.Parent.ID != holding {
		t.Errorf("plant's ancestors (-want +got):\n%s parent %+v", d, got.Parent)
	}
	top := must[KeyAccountDTO](t, f, "rep.jinan.1", http.MethodGet, "/api/v1/accounts/"+group.String(), nil, http.StatusOK)
	if d := cmp.Diff([]string{"Sinopump East"}, names(top.Children)); d != "" {
		t.Errorf("group's children (-want +got):\n%s", d)
	}

	status, raw := link("rep.jinan.1", group, plant)
	webtest.WantError(t, status, raw, http.StatusConflict, "account_cycle", "")
	msg := webtest.Decode[webtest.Error](t, raw).Error.Message
	if !strings.Contains(msg, "Sinopump Group") || !strings.Contains(msg, "Sinopump Plant Jinan") {
		t.Errorf("cycle message %q does not name both accounts", msg)
	}
	status, raw = link("rep.jinan.1", holding, holding)
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_input", "body.parent_id")
	// Re-parenting that keeps the tree a tree is fine: the plant moves straight under the group.
	if status, raw := link("rep.jinan.1", plant, group); status != http.StatusOK {
		t.Fatalf("re-parent: %d %s", status, raw)
	}
	// A rep cannot link an account they may not update, nor under one they cannot see.
	theirs := f.customer(t, "Valves Inc", "rep.jinan.2", "Jinan")
	status, raw = link("rep.jinan.1", theirs, group)
	webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
	status, raw = link("rep.jinan.1", plant, theirs)
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_reference", "body.parent_id")
	must[KeyAccountDTO](t, f, "rep.jinan.1", http.MethodDelete, "/api/v1/accounts/"+plant.String()+"/links", nil, http.StatusOK)
	if got := must[KeyAccountDTO](t, f, "rep.jinan.1", http.MethodGet, "/api/v1/accounts/"+plant.String(), nil, http.StatusOK); got.Parent != nil {
		t.Errorf("unlinked plant still has parent %+v", got.Parent)
	}
}

// The owner cannot mark their own account key (it would raise their own appraisal); their
// manager can, and marking twice keeps the first mark.
func TestKeyAccountMarking(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	plant := f.customer(t, "Sinopump Plant Jinan", "rep.jinan.1", "Jinan")
	path := "/api/v1/accounts/" + plant.String() + "/key"
	status, raw := f.call(t, "rep.jinan.1", http.MethodPut, path, nil)
	webtest.WantError(t, status, raw, http.StatusForbidden, "own_account", "")
	status, raw = f.call(t, "mgr.guangdong", http.MethodPut, path, nil)
	webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
	first := must[KeyAccountDTO](t, f, "mgr.shandong", http.MethodPut, path, nil, http.StatusOK)
	again := must[KeyAccountDTO](t, f, "admin", http.MethodPut, path, nil, http.StatusOK)
	if !first.Key || *again.KeyMarkedBy != f.users["mgr.shandong"].ID {
		t.Errorf("marked %+v, again %+v", first, again)
	}
	if got := must[KeyAccountDTO](t, f, "mgr.shandong", http.MethodDelete, path, nil, http.StatusOK); got.Key {
		t.Errorf("unmarked account still key")
	}
}

// The contact graph of an account: nodes and edges; reporting lines may not loop.
func TestContactGraph(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	plant := f.customer(t, "Sinopump Plant Jinan", "rep.jinan.1", "Jinan")
	other := f.customer(t, "Valves Inc", "rep.jinan.1", "Jinan")
	contact := func(customer uuid.UUID, name, role string) ContactDTO {
		return must[ContactDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/contacts",
			map[string]any{"customer_id": customer, "name": name, "role": role, "title": "engineer"}, http.StatusCreated)
	}
	gm, cto, eng := contact(plant, "Wang GM", "decision_maker"), contact(plant, "Zhao CTO", "technical"), contact(plant, "Sun Engineer", "user")
	outsider := contact(other, "Qian Buyer", "procurement")
	relate := func(from ContactDTO, to uuid.UUID, kind string, strength any) (int, []byte) {
		b := map[string]any{"to_contact_id": to, "kind": kind}
		if strength != nil {
			b["strength"] = strength
		}
		return f.call(t, "rep.jinan.1", http.MethodPost, "/api/v1/contacts/"+from.ID.String()+"/relationships", b)
	}
	for _, r := range []struct {
		from     ContactDTO
		to       ContactDTO
		kind     string
		strength any
	}{{eng, cto, "reports_to", nil}, {cto, gm, "reports_to", nil}, {eng, gm, "influences", 2}, {gm, eng, "influences", 4}} {
		if status, raw := relate(r.from, r.to.ID, r.kind, r.strength); status != http.StatusCreated {
			t.Fatalf("relate %s %s %s: %d %s", r.from.Name, r.kind, r.to.Name, status, raw)
		}
	}
	// Wang GM reporting to Sun Engineer would close Sun → Zhao → Wang → Sun.
	status, raw := relate(gm, eng.ID, "reports_to", nil)
	webtest.WantError(t, status, raw, http.StatusConflict, "reporting_cycle", "")
	if msg := webtest.Decode[webtest.Error](t, raw).Error.Message; !strings.Contains(msg, "Wang GM") || !strings.Contains(msg, "Sun Engineer") {
		t.Errorf("cycle message %q does not name both contacts", msg)
	}
	for _, c := range []struct {
		name, kind     string
		from           ContactDTO
		to             uuid.UUID
		strength       any
		status         int
		code, location string
	}{
		{"second manager", "reports_to", eng, gm.ID, nil, http.StatusConflict, "already_reports", ""},
		{"same edge twice", "influences", eng, gm.ID, nil, http.StatusConflict, "relationship_exists", ""},
		{"other account", "influences", eng, outsider.ID, nil, http.StatusBadRequest, "invalid_reference", "body.to_contact_id"},
		{"self", "influences", eng, eng.ID, nil, http.StatusBadRequest, "invalid_input", "body.to_contact_id"},
		{"strength 9", "influences", cto, eng.ID, 9, http.StatusUnprocessableEntity, "", "body.strength"},
	} {
		status, raw := relate(c.from, c.to, c.kind, c.strength)
		webtest.WantError(t, status, raw, c.status, c.code, c.location)
	}

	g := must[GraphDTO](t, f, "rep.jinan.1", http.MethodGet, "/api/v1/accounts/"+plant.String()+"/graph", nil, http.StatusOK)
	byID := map[uuid.UUID]string{}
	for _, c := range g.Contacts {
		byID[c.ID] = c.Name
	}
	var edges []string
	for _, r := range g.Relationships {
		e := byID[r.FromContactID] + " " + r.Kind + " " + byID[r.ToContactID]
		if r.Strength != nil {
			e += " " + string(rune('0'+*r.Strength))
		}
		edges = append(edges, e)
	}
	slices.Sort(edges)
	want := []string{"Sun Engineer influences Wang GM 2", "Sun Engineer reports_to Zhao CTO", "Wang GM influences Sun Engineer 4", "Zhao CTO reports_to Wang GM"}
	if d := cmp.Diff(want, edges); d != "" || len(g.Contacts) != 3 {
		t.Errorf("graph has %d nodes; edges (-want +got):\n%s", len(g.Contacts), d)
	}
	rels := must[RelationshipsDTO](t, f, "rep.jinan.1", http.MethodGet, "/api/v1/contacts/"+cto.ID.String()+"/relationships", nil, http.StatusOK)
	if len(rels.Relationships) != 2 {
		t.Errorf("Zhao CTO has %d relationships, want 2 (one each way)", len(rels.Relationships))
	}
	// Once Zhao CTO no longer reports to Wang GM, the loop is open: Wang GM may report to Sun Engineer.
	var line uuid.UUID
	for _, r := range rels.Relationships {
		if r.FromContactID == cto.ID {
			line = r.ID
		}
	}
	if status, raw := f.call(t, "rep.jinan.1", http.MethodDelete, "/api/v1/contacts/"+cto.ID.String()+"/relationships/"+line.String(), nil); status != http.StatusNoContent {
		t.Fatalf("remove line: %d %s", status, raw)
	}
	if status, raw := relate(gm, eng.ID, "reports_to", nil); status != http.StatusCreated {
		t.Errorf("after the line is gone: %d %s", status, raw)
	}
	// Another rep sees neither the graph nor the contacts.
	status, raw = f.call(t, "rep.jinan.2", http.MethodGet, "/api/v1/accounts/"+plant.String()+"/graph", nil)
	webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
	status, raw = f.call(t, "rep.jinan.2", http.MethodGet, "/api/v1/contacts/"+gm.ID.String(), nil)
	webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
}

func TestCyclePath(t *testing.T) {
	a, b, c, d := uuid.New(), uuid.New(), uuid.New(), uuid.New()
	parents := map[uuid.UUID]uuid.UUID{b: a, c: b} // c → b → a
	up := func(id uuid.UUID) (uuid.UUID, bool, error) { p, ok := parents[id]; return p, ok, nil }
	for _, tc := range []struct {
		name          string
		child, parent uuid.UUID
		want          []uuid.UUID
	}{
		{"a under c closes c → b → a", a, c, []uuid.UUID{c, b, a}},
		{"a under b closes b → a", a, b, []uuid.UUID{b, a}},
		{"d under c is safe", d, c, nil},
		{"c under a keeps a tree", c, a, nil},
		{"itself", d, d, []uuid.UUID{d}},
	} {
		got, err := cyclePath(tc.child, tc.parent, up)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
}
