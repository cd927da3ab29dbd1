package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

type lastRecord struct {
	Count  int64
	Action string
	Status int
}

func (h *harness) lastAudit(tenant uuid.UUID) lastRecord {
	h.t.Helper()
	db := h.app.store.Owner(context.Background())
	var r lastRecord
	if err := db.Table("audit_records").Where("tenant_id = ?", tenant).Count(&r.Count).Error; err != nil {
		h.t.Fatal(err)
	}
	db.Table("audit_records").Select("action", "status").Where("tenant_id = ?", tenant).Order("seq DESC").Limit(1).Row().Scan(&r.Action, &r.Status)
	return r
}

// TestEveryMutatingRouteIsAudited walks the route table: every request to an operation that can
// change something leaves exactly one audit record naming that operation, whether it succeeded or
// was refused. Public operations (no caller yet) are recorded by their service under a verb.
func TestEveryMutatingRouteIsAudited(t *testing.T) {
	h := newHarness(t)
	c := h.company("Audit Foods")
	gen := &bodyGen{api: h.srv.API, tags: "audit", ids: c.ownID}
	for i := 0; i < 3; i++ { // spares: routes run in order, and deleting one must leave others to use
		h.create(c, "/api/v1/teams", map[string]any{"name": "Spare " + uuid.NewString(), "region_id": c.regions["jinan"].ID})
		h.create(c, "/api/v1/customers", map[string]any{"name": "Spare shop", "grade": "B", "owner_id": c.users["rep"].ID,
			"region_id": c.regions["jinan"].ID, "location": map[string]any{"lat": 36.66, "lon": 117.01, "datum": "wgs84"},
			"fence": map[string]any{"kind": "circle", "radius_m": 60}})
		if code := h.call(c.tokens["admin"], http.MethodPost, "/api/v1/invitations", map[string]any{"people": []map[string]any{{
			"email": "spare-" + uuid.NewString()[:8] + "@audit.test", "name": "Spare analyst", "roles": []string{"hq"},
			"region_id": c.users["admin"].RegionID}}}, nil); code != http.StatusCreated {
			t.Fatalf("a spare invitation: %d", code)
		}
	}
	// What public operations record, for a request that names a known account.
	public := map[string]struct {
		body   any
		action string
	}{
		"POST /api/v1/auth/login":          {map[string]string{"email": c.users["hq"].Email, "password": testPassword, "client": "web"}, "auth.login"},
		"POST /api/v1/auth/password-reset": {map[string]string{"email": c.users["hq"].Email}, "auth.password_reset.request"},
	}
	checked := 0
	for _, r := range routes(h.srv.API) {
		if r.method == http.MethodGet {
			continue
		}
		before := h.lastAudit(c.tenant)
		var code int
		var want string
		if web.IsPublic(r.op) {
			p, ok := public[r.String()]
			if !ok {
				// A reset confirmation names no account until its token is checked; its
				// recording is covered by the auth package's tests.
				if r.String() == "POST /api/v1/auth/password-reset/confirm" {
					continue
				}
				// A sign-up and its verification are recorded in the new tenant's trail, not
				// in any existing one's: TestSignUpVerifyAndSignIn checks them.
				if r.path == "/api/v1/signup" || r.path == "/api/v1/signup/verify" {
					continue
				}
				// Stripe's webhook names no tenant until its signature is checked, and acts on
				// billing's global tables; tenants/billing's tests cover it.
				if r.path == "/api/v1/billing/webhook" {
					continue
				}
				// An invitation names its tenant only in its token: TestInvitationAcceptedOnce
				// checks its record.
				if r.path == "/api/v1/invitations/accept" {
					continue
				}
				t.Errorf("%s is public and mutating: say here what it records", r)
				continue
			}
			code, _ = h.raw("", r.method, r.path, p.body)
			want = p.action
		} else {
			// A fresh token per request: some operations end the caller's session.
			token := h.login(c.users["admin"].Email)
			before = h.lastAudit(c.tenant) // the login itself is recorded
			ids := map[string]string{}
			for _, p := range r.params() {
				ids[p] = c.pathValue(h, token, r, p)
			}
			code, _ = h.raw(token, r.method, r.fill(ids), gen.body(r.op))
			want = r.String()
		}
		after := h.lastAudit(c.tenant)
		if after.Count != before.Count+1 || after.Action != want {
			t.Errorf("%s (answered %d): audit went from %d to %d records, newest %q; want one more, %q", r, code, before.Count, after.Count, after.Action, want)
		}
		if !web.IsPublic(r.op) && after.Status != code {
			t.Errorf("%s: audit records status %d, the caller got %d", r, after.Status, code)
		}
		checked++
	}
	if checked < 15 {
		t.Fatalf("only %d mutating routes were checked; the walker is broken", checked)
	}
}

// TestTamperingBreaksTheChain edits one stored record behind the API's back and expects the
// verification to name it.
func TestTamperingBreaksTheChain(t *testing.T) {
	h := newHarness(t)
	c := h.company("Chain Foods")
	admin := c.tokens["admin"]
	for i := 0; i < 3; i++ {
		h.call(admin, http.MethodPost, "/api/v1/regions", map[string]any{"name": "Area " + uuid.NewString(), "parent_id": c.regions["east"].ID}, nil)
	}
	var report struct {
		OK          bool   `json:"ok"`
		Checked     int64  `json:"checked"`
		FirstBadSeq int64  `json:"first_bad_seq"`
		Problem     string `json:"problem"`
	}
	if code := h.call(admin, http.MethodPost, "/api/v1/audit/verify", nil, &report); code != http.StatusOK || !report.OK || report.Checked < 3 {
		t.Fatalf("verify before tampering: %d %+v", code, report)
	}
	err := h.app.store.Owner(context.Background()).Exec(
		"UPDATE audit_records SET resource = '/api/v1/regions/forged' WHERE tenant_id = ? AND seq = 2", c.tenant).Error
	if err != nil {
		t.Fatal(err)
	}
	if code := h.call(admin, http.MethodPost, "/api/v1/audit/verify", nil, &report); code != http.StatusOK {
		t.Fatalf("verify after tampering: %d", code)
	}
	if report.OK || report.FirstBadSeq != 2 || !strings.Contains(report.Problem, "2") {
		t.Errorf("verify after tampering with record 2: %+v; want it named", report)
	}
}
