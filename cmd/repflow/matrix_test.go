package main

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/google/uuid"
)

// Outcomes in the access matrix.
const (
	allowed   = 'A' // 2xx
	forbidden = 'F' // 403: the caller sees the row (or the kind) but may not do this
	notFound  = 'N' // 404: the row is outside what the caller may see
)

// matrixRoles are the users of a company, one per role, in the order of the matrix columns.
var matrixRoles = []string{"rep", "manager", "hq", "admin", "data"}

// kindOps makes, for one resource kind, a fresh target row (made by the admin) and the request of
// each action against it, so that every case starts from the same state.
type kindOps struct {
	kind    string
	newRow  func(h *harness, c *company) uuid.UUID
	request func(c *company, action string, id uuid.UUID, n int) (method, path string, body any)
}

func crud(base string, create, update func(c *company, n int) any) func(*company, string, uuid.UUID, int) (string, string, any) {
	return func(c *company, action string, id uuid.UUID, n int) (string, string, any) {
		item := fmt.Sprintf("%s/%s", base, id)
		switch action {
		case "list":
			return http.MethodGet, base, nil
		case "read":
			return http.MethodGet, item, nil
		case "create":
			return http.MethodPost, base, create(c, n)
		case "update":
			if base == "/api/v1/policies" {
				return http.MethodPut, item, update(c, n)
			}
			return http.MethodPatch, item, update(c, n)
		}
		return http.MethodDelete, item, nil
	}
}

func (h *harness) create(c *company, path string, body any) uuid.UUID {
	h.t.Helper()
	var doc map[string]any
	code := h.call(c.tokens["admin"], http.MethodPost, path, body, &doc)
	if code != http.StatusCreated && code != http.StatusOK {
		h.t.Fatalf("admin POST %s: %d %v", path, code, doc)
	}
	if s, ok := doc["id"].(string); ok {
		return uuid.MustParse(s)
	}
	for _, v := range doc { // a wrapped object: {"user": {"id": ...}}
		if obj, ok := v.(map[string]any); ok {
			if s, ok := obj["id"].(string); ok {
				return uuid.MustParse(s)
			}
		}
	}
	h.t.Fatalf("POST %s answered no id: %v", path, doc)
	return uuid.Nil
}

var userOps = kindOps{
	kind: "user",
	newRow: func(h *harness, c *company) uuid.UUID {
		return h.create(c, "/api/v1/users", newRepBody(c, uuid.NewString()))
	},
	request: crud("/api/v1/users",
		func(c *company, n int) any { return newRepBody(c, fmt.Sprint(n)) },
		func(c *company, n int) any { return map[string]any{"name": fmt.Sprintf("Renamed %d", n)} }),
}

func newRepBody(c *company, tag string) map[string]any {
	return map[string]any{"email": "matrix." + tag + "@" + c.tenant.String()[:8] + ".test", "name": "Matrix rep " + tag,
		"roles": []string{"rep"}, "region_id": c.regions["jinan"].ID, "manager_id": c.users["manager"].ID, "password": testPassword}
}

var regionOps = kindOps{
	kind: "region",
	newRow: func(h *harness, c *company) uuid.UUID {
		return h.create(c, "/api/v1/regions", map[string]any{"name": "Area " + uuid.NewString(), "parent_id": c.regions["jinan"].ID})
	},
	request: crud("/api/v1/regions",
		func(c *company, n int) any {
			return map[string]any{"name": fmt.Sprintf("New area %d", n), "parent_id": c.regions["jinan"].ID}
		},
		func(c *company, n int) any { return map[string]any{"name": fmt.Sprintf("Renamed area %d", n)} }),
}

var teamOps = kindOps{
	kind: "team",
	newRow: func(h *harness, c *company) uuid.UUID {
		return h.create(c, "/api/v1/teams", map[string]any{"name": "Team " + uuid.NewString(), "region_id": c.regions["jinan"].ID})
	},
	request: crud("/api/v1/teams",
		func(c *company, n int) any {
			return map[string]any{"name": fmt.Sprintf("New team %d", n), "region_id": c.regions["jinan"].ID}
		},
		func(c *company, n int) any { return map[string]any{"name": fmt.Sprintf("Renamed team %d", n)} }),
}

func policyBody(n int) map[string]any {
	return map[string]any{"description": fmt.Sprintf("matrix %d", n), "subjects": []string{"role:data_specialist"},
		"actions": []string{"read"}, "kinds": []string{"team"}, "scope": "tenant", "effect": "allow"}
}

var policyOps = kindOps{
	kind:    "policy",
	newRow:  func(h *harness, c *company) uuid.UUID { return h.create(c, "/api/v1/policies", policyBody(0)) },
	request: crud("/api/v1/policies", func(_ *company, n int) any { return policyBody(n) }, func(_ *company, n int) any { return policyBody(n) }),
}

// customerBody places a customer in Jinan, owned by the rep named by owner.
func customerBody(c *company, owner string, n int) map[string]any {
	return map[string]any{"name": fmt.Sprintf("Shop %d", n), "grade": "A", "owner_id": c.users[owner].ID,
		"region_id": c.regions["jinan"].ID, "location": map[string]any{"lat": 36.65, "lon": 117.12, "datum": "wgs84"},
		"fence": map[string]any{"kind": "circle", "radius_m": 80}}
}

// Customers targeted by the matrix belong to rep2: the rep column is a rep reaching for a
// colleague's customer; creating names the rep themself as owner.
var customerOps = kindOps{
	kind: "customer",
	newRow: func(h *harness, c *company) uuid.UUID {
		return h.create(c, "/api/v1/customers", customerBody(c, "rep2", 0))
	},
	request: crud("/api/v1/customers",
		func(c *company, n int) any { return customerBody(c, "rep", n) },
		func(c *company, n int) any { return map[string]any{"name": fmt.Sprintf("Renamed shop %d", n)} }),
}

// TestAccessMatrix drives every role against every resource kind with every action, through the
// API, and compares the outcome with the matrix the built-in policies promise.
func TestAccessMatrix(t *testing.T) {
	h := newHarness(t)
	c := h.company("Matrix Foods")
	// Columns: rep, manager, hq, tenant_admin, data_specialist. Targets live in the Jinan area,
	// inside the manager's region subtree; the rep does not own them.
	matrix := []struct {
		ops    kindOps
		action string
		want   string
	}{
		{userOps, "list", "AAAAA"}, {userOps, "read", "NAAAA"}, {userOps, "create", "FFFAF"}, {userOps, "update", "NFFAF"}, {userOps, "delete", "NFFAF"},
		{regionOps, "list", "AAAAA"}, {regionOps, "read", "AAAAA"}, {regionOps, "create", "FFFAF"}, {regionOps, "update", "FFFAF"}, {regionOps, "delete", "FFFAF"},
		{teamOps, "list", "AAAAA"}, {teamOps, "read", "AAAAA"}, {teamOps, "create", "FAFAF"}, {teamOps, "update", "FAFAF"}, {teamOps, "delete", "FFFAF"},
		{customerOps, "list", "AAAAA"}, {customerOps, "read", "NAAAA"}, {customerOps, "create", "AAFAA"}, {customerOps, "update", "NAFAA"}, {customerOps, "delete", "NFFAF"},
		{policyOps, "list", "FFFAF"}, {policyOps, "read", "NNNAN"}, {policyOps, "create", "FFFAF"}, {policyOps, "update", "FFFAF"}, {policyOps, "delete", "NNNAN"},
	}
	n := 0
	for _, m := range matrix {
		for i, role := range matrixRoles {
			n++
			target := m.ops.newRow(h, c)
			method, path, body := m.ops.request(c, m.action, target, n)
			code, text := h.raw(c.tokens[role], method, path, body)
			if got, want := outcome(code), rune(m.want[i]); got != want {
				t.Errorf("%s %s as %s: %s %s answered %d (%c), want %c; %s", m.action, m.ops.kind, role, method, path, code, got, want, text)
			}
		}
	}
	// The audit trail: read by tenant admins only, and append-only, so it has no create, update or
	// delete routes at all.
	for i, role := range matrixRoles {
		for _, r := range []struct{ method, path string }{{http.MethodGet, "/api/v1/audit"}, {http.MethodPost, "/api/v1/audit/verify"}} {
			code, text := h.raw(c.tokens[role], r.method, r.path, nil)
			if got, want := outcome(code), rune("FFFAF"[i]); got != want {
				t.Errorf("audit %s %s as %s: %d (%c), want %c; %s", r.method, r.path, role, code, got, want, text)
			}
		}
	}
}

// TestAccessAcrossTheRegionTree checks the cases that depend on where rows sit in the tree.
func TestAccessAcrossTheRegionTree(t *testing.T) {
	h := newHarness(t)
	c := h.company("Tree Foods")
	cases := []struct {
		who, method, path string
		want              int
	}{
		{"manager", http.MethodGet, "/api/v1/users/" + c.users["rep"].ID.String(), http.StatusOK},
		{"manager", http.MethodGet, "/api/v1/users/" + c.users["repSouth"].ID.String(), http.StatusNotFound},
		{"managerSouth", http.MethodGet, "/api/v1/users/" + c.users["rep"].ID.String(), http.StatusNotFound},
		{"rep", http.MethodGet, "/api/v1/users/" + c.users["rep"].ID.String(), http.StatusOK},
		{"rep", http.MethodGet, "/api/v1/users/" + c.users["rep2"].ID.String(), http.StatusNotFound},
		{"rep", http.MethodGet, "/api/v1/users/" + c.users["manager"].ID.String(), http.StatusNotFound},
		{"rep", http.MethodGet, "/api/v1/customers/" + c.customer.ID.String(), http.StatusOK},
		{"rep2", http.MethodGet, "/api/v1/customers/" + c.customer.ID.String(), http.StatusNotFound},
		{"managerSouth", http.MethodGet, "/api/v1/customers/" + c.customer.ID.String(), http.StatusNotFound},
		{"rep", http.MethodGet, "/api/v1/visits/" + c.visit.ID.String(), http.StatusOK},
		{"rep2", http.MethodGet, "/api/v1/visits/" + c.visit.ID.String(), http.StatusNotFound},
		{"manager", http.MethodGet, "/api/v1/visits/" + c.visit.ID.String(), http.StatusOK},
		{"managerSouth", http.MethodGet, "/api/v1/visits/" + c.visit.ID.String(), http.StatusNotFound},
		{"hq", http.MethodGet, "/api/v1/visits/" + c.visit.ID.String(), http.StatusOK},
		{"data", http.MethodGet, "/api/v1/visits/" + c.visit.ID.String(), http.StatusNotFound},
		{"rep2", http.MethodGet, "/api/v1/visits/" + c.visit.ID.String() + "/photos/" + c.photo, http.StatusNotFound},
		{"manager", http.MethodGet, "/api/v1/visits/" + c.visit.ID.String() + "/photos/" + c.photo, http.StatusOK},
		{"rep", http.MethodGet, "/api/v1/reviews", http.StatusForbidden},
		{"manager", http.MethodGet, "/api/v1/reviews", http.StatusOK},
		{"data", http.MethodGet, "/api/v1/visit-cadences", http.StatusOK},
	}
	for _, cs := range cases {
		if code, text := h.raw(c.tokens[cs.who], cs.method, cs.path, nil); code != cs.want {
			t.Errorf("%s %s as %s: %d, want %d; %s", cs.method, cs.path, cs.who, code, cs.want, text)
		}
	}
	review := "/api/v1/visits/" + c.visit.ID.String() + "/review"
	cadences := map[string]any{"every_days": map[string]int{"A": 7, "B": 14, "C": 30, "D": 60}}
	for _, cs := range []struct {
		who, method, path string
		body              any
		want              int
	}{
		{"rep", http.MethodPost, review, map[string]any{"decision": "accepted"}, http.StatusForbidden},
		{"rep2", http.MethodPost, review, map[string]any{"decision": "accepted"}, http.StatusNotFound},
		{"managerSouth", http.MethodPost, review, map[string]any{"decision": "accepted"}, http.StatusNotFound},
		{"rep", http.MethodPut, "/api/v1/visit-cadences", cadences, http.StatusForbidden},
		{"manager", http.MethodPut, "/api/v1/visit-cadences", cadences, http.StatusForbidden},
		{"admin", http.MethodPut, "/api/v1/visit-cadences", cadences, http.StatusOK},
	} {
		if code, text := h.raw(c.tokens[cs.who], cs.method, cs.path, cs.body); code != cs.want {
			t.Errorf("%s %s as %s: %d, want %d; %s", cs.method, cs.path, cs.who, code, cs.want, text)
		}
	}
	// A team outside the manager's subtree: visible (teams are a tenant-wide directory) but not theirs to change.
	south := h.create(c, "/api/v1/teams", map[string]any{"name": "South team", "region_id": c.regions["south"].ID})
	if code, text := h.raw(c.tokens["manager"], http.MethodPatch, "/api/v1/teams/"+south.String(), map[string]any{"name": "taken over"}); code != http.StatusForbidden {
		t.Errorf("manager renaming a team outside the subtree: %d, want 403; %s", code, text)
	}
	// Lists agree with single reads: each caller lists exactly the users they may read.
	listed := func(who string) map[uuid.UUID]bool {
		var page struct {
			Users []struct {
				ID uuid.UUID `json:"id"`
			} `json:"users"`
		}
		if code := h.call(c.tokens[who], http.MethodGet, "/api/v1/users?limit=200", nil, &page); code != http.StatusOK {
			t.Fatalf("list users as %s: %d", who, code)
		}
		out := map[uuid.UUID]bool{}
		for _, u := range page.Users {
			out[u.ID] = true
		}
		return out
	}
	for _, who := range []string{"rep", "manager", "managerSouth", "hq", "data", "admin"} {
		seen := listed(who)
		for name, u := range c.users {
			code := h.call(c.tokens[who], http.MethodGet, "/api/v1/users/"+u.ID.String(), nil, nil)
			if (code == http.StatusOK) != seen[u.ID] {
				t.Errorf("%s: user %s listed=%v but GET answered %d", who, name, seen[u.ID], code)
			}
		}
	}
	if got := listed("rep"); len(got) != 1 || !got[c.users["rep"].ID] {
		t.Errorf("a rep lists %d users; want only themself", len(got))
	}
}

func outcome(code int) rune {
	switch {
	case code >= 200 && code < 300:
		return allowed
	case code == http.StatusForbidden:
		return forbidden
	case code == http.StatusNotFound:
		return notFound
	}
	return '?'
}
