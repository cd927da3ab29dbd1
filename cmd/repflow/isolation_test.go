package main

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
)

// TestForeignIDsAreNotFoundOnEveryRoute walks the whole route table: for every operation that
// takes an id, tenant B's admin (who may do anything in B) uses tenant A's ids with a body B's
// schema accepts, and must get 404, exactly as for a missing id, while A's rows stay unchanged.
func TestForeignIDsAreNotFoundOnEveryRoute(t *testing.T) {
	h := newHarness(t)
	a, b := h.company("Alpha Foods"), h.company("Beta Foods")

	type attempt struct {
		r    route
		path string
		body any
	}
	var attempts []attempt
	gen := &bodyGen{api: h.srv.API, tags: "beta", ids: func(field string) uuid.UUID { return b.ownID(field) }}
	for _, r := range routes(h.srv.API) {
		params := r.params()
		if len(params) == 0 {
			continue
		}
		ids := map[string]string{}
		for _, p := range params {
			ids[p] = a.pathValue(h, a.tokens["admin"], r, p)
		}
		attempts = append(attempts, attempt{r, r.fill(ids), gen.body(r.op)})
	}
	if len(attempts) < 10 {
		t.Fatalf("the route table yielded only %d routes with ids; the walker is broken", len(attempts))
	}

	before := h.snapshot(a.tenant)
	for _, at := range attempts {
		code, text := h.raw(b.tokens["admin"], at.r.method, at.path, at.body)
		if code != http.StatusNotFound {
			t.Errorf("%s with tenant A's ids as tenant B: status %d, want 404; body sent %v; answer %s", at.r, code, at.body, text)
		}
	}
	if diff := cmp.Diff(before, h.snapshot(a.tenant)); diff != "" {
		t.Errorf("tenant B's requests changed tenant A's rows (-before +after):\n%s", diff)
	}
}

// pathValue is a value of path parameter p of r that exists in c: a photo's hash, or the id of
// some row of the collection the parameter names.
func (c *company) pathValue(h *harness, token string, r route, p string) string {
	if p == "sha256" {
		return c.photo
	}
	switch r.collectionOf(p) {
	case "/api/v1/reminders": // reminders are their recipient's alone
		return c.reminder.String()
	case "/api/v1/accounts": // an account is a customer seen as a key account
		return c.customer.ID.String()
	case "/api/v1/milestones":
		return c.milestone.String()
	case "/api/v1/relationships":
		return c.relationship.String()
	}
	return h.someID(token, r.collectionOf(p)).String()
}

// someID returns the id of some row in the collection at path, as the token's owner lists it.
func (h *harness) someID(token, path string) uuid.UUID {
	h.t.Helper()
	var doc any
	if code := h.call(token, http.MethodGet, path, nil, &doc); code != http.StatusOK {
		h.t.Fatalf("GET %s: status %d", path, code)
	}
	if id, ok := firstID(doc); ok {
		return id
	}
	h.t.Fatalf("GET %s lists no row with an id", path)
	return uuid.Nil
}

// firstID finds the first "id" of an object inside a list anywhere in a JSON document.
func firstID(doc any) (uuid.UUID, bool) {
	switch v := doc.(type) {
	case []any:
		for _, item := range v {
			if obj, ok := item.(map[string]any); ok {
				if s, ok := obj["id"].(string); ok {
					if id, err := uuid.Parse(s); err == nil {
						return id, true
					}
				}
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if id, ok := firstID(v[k]); ok {
				return id, true
			}
		}
	}
	return uuid.Nil, false
}

// ownID gives a body's uuid field an id that exists in this company.
func (c *company) ownID(field string) uuid.UUID {
	switch field {
	case "region_id", "parent_id":
		return c.regions["east"].ID
	case "manager_id", "lead_id", "user_id":
		return c.users["manager"].ID
	}
	return uuid.New()
}

// snapshot reads every row of every tenant table that belongs to tenant t, through the owner
// handle, in a stable order.
func (h *harness) snapshot(t uuid.UUID) map[string][]string {
	h.t.Helper()
	db := h.app.store.Owner(context.Background())
	tables, err := db.Migrator().GetTables()
	if err != nil {
		h.t.Fatal(err)
	}
	out := map[string][]string{}
	for _, table := range tables {
		// The columns as the database reports them for a query: gorm's SQLite migrator parses
		// CREATE TABLE text instead, and some tables' CHECK clauses are beyond it.
		probe, err := db.Table(table).Limit(0).Rows()
		if err != nil {
			h.t.Fatal(err)
		}
		cols, err := probe.Columns()
		_ = probe.Close()
		if err != nil {
			h.t.Fatal(err)
		}
		if !slices.Contains(cols, "tenant_id") {
			continue
		}
		var rows []map[string]any
		if err := db.Table(table).Where("tenant_id = ?", t).Find(&rows).Error; err != nil {
			h.t.Fatal(err)
		}
		for _, r := range rows {
			b, _ := json.Marshal(r)
			out[table] = append(out[table], string(b))
		}
		sort.Strings(out[table])
	}
	if len(out["users"]) == 0 {
		h.t.Fatal("snapshot found no users of the tenant")
	}
	return out
}
