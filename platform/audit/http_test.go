package audit

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/repflow/repflow/platform/identity"
)

// listWorld is a tenant with five records by an admin and a rep, and a server they call.
type listWorld struct {
	*world
	app        *fiber.App
	admin, rep identity.Principal
	at         map[int64]time.Time
}

func newListWorld(t *testing.T) *listWorld {
	w := &listWorld{world: newWorld(t)}
	w.admin, w.rep = person(w.tenant, identity.RoleTenantAdmin), person(w.tenant, identity.RoleRep)
	w.app = w.server(map[string]identity.Principal{"admin": w.admin, "rep": w.rep})
	for _, e := range []struct {
		p identity.Principal
		e Entry
	}{
		{w.admin, Entry{Action: "POST /api/v1/users", Resource: "/api/v1/users", Status: 201}},
		{w.rep, Entry{Action: "auth.login", Resource: "session"}},
		{w.admin, Entry{Action: "PATCH /api/v1/users/{id}", Resource: "/api/v1/users/u1", Outcome: OutcomeRejected, Status: 403}},
		{w.rep, Entry{Action: "export.customers", Resource: "customers"}},
		{w.admin, Entry{Action: "POST /api/v1/users", Resource: "/api/v1/users", Status: 201}},
	} {
		if err := w.log.Record(as(e.p, "req-seed-0001"), e.e); err != nil {
			t.Fatal(err)
		}
		// Distinct times, so that from and to can fall between two records.
		time.Sleep(2 * time.Millisecond)
	}
	w.at = map[int64]time.Time{}
	for _, r := range w.records(w.tenant) {
		w.at[r.Seq] = r.At
	}
	return w
}

func (w *listWorld) list(t *testing.T, token string, q url.Values) (int, map[string]any) {
	t.Helper()
	return do(t, w.app, call{method: "GET", path: "/api/v1/audit?" + q.Encode(), token: token})
}

func seqsOf(t *testing.T, body map[string]any) []int64 {
	t.Helper()
	items, ok := body["items"].([]any)
	if !ok {
		t.Fatalf("no items in %v", body)
	}
	seqs := []int64{}
	for _, it := range items {
		seqs = append(seqs, int64(it.(map[string]any)["seq"].(float64)))
	}
	return seqs
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	w := newListWorld(t)
	rfc := func(seq int64) string { return w.at[seq].Format(time.RFC3339Nano) }
	cases := []struct {
		name  string
		query url.Values
		want  []int64
		next  string
	}{
		{"everything, newest first", url.Values{}, []int64{5, 4, 3, 2, 1}, ""},
		{"by actor", url.Values{"actor": {w.admin.UserID.String()}}, []int64{5, 3, 1}, ""},
		{"by action", url.Values{"action": {"POST /api/v1/users"}}, []int64{5, 1}, ""},
		{"by resource prefix", url.Values{"resource": {"/api/v1/users/"}}, []int64{3}, ""},
		{"by a shorter resource prefix", url.Values{"resource": {"/api/v1/users"}}, []int64{5, 3, 1}, ""},
		{"resource prefix is case-sensitive", url.Values{"resource": {"/API/"}}, []int64{}, ""},
		{"by outcome", url.Values{"outcome": {"rejected"}}, []int64{3}, ""},
		{"by actor and action", url.Values{"actor": {w.rep.UserID.String()}, "action": {"auth.login"}}, []int64{2}, ""},
		{"from inclusive, to exclusive", url.Values{"from": {rfc(2)}, "to": {rfc(4)}}, []int64{3, 2}, ""},
		{"from in another zone", url.Values{"from": {w.at[4].In(time.FixedZone("X", -5*3600)).Format(time.RFC3339Nano)}}, []int64{5, 4}, ""},
		{"before a cursor", url.Values{"before": {"3"}}, []int64{2, 1}, ""},
		{"a short page says where the next starts", url.Values{"limit": {"2"}}, []int64{5, 4}, "4"},
		{"an exact last page has no next", url.Values{"limit": {"2"}, "before": {"3"}}, []int64{2, 1}, ""},
	}
	for _, tc := range cases {
		status, body := w.list(t, "admin", tc.query)
		if status != http.StatusOK {
			t.Errorf("%s: status %d, body %v", tc.name, status, body)
			continue
		}
		if d := cmp.Diff(tc.want, seqsOf(t, body)); d != "" {
			t.Errorf("%s: seqs (-want +got):\n%s", tc.name, d)
		}
		if body["next"] != tc.next {
			t.Errorf("%s: next %q, want %q", tc.name, body["next"], tc.next)
		}
	}
}

func TestListPagesThroughEverything(t *testing.T) {
	t.Parallel()
	w := newListWorld(t)
	var got []int64
	q := url.Values{"limit": {"2"}}
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		status, body := w.list(t, "admin", q)
		if status != http.StatusOK {
			t.Fatalf("status %d, body %v", status, body)
		}
		got = append(got, seqsOf(t, body)...)
		next, _ := body["next"].(string)
		if next == "" {
			break
		}
		q.Set("before", next)
	}
	if d := cmp.Diff([]int64{5, 4, 3, 2, 1}, got); d != "" {
		t.Errorf("seqs (-want +got):\n%s", d)
	}
}

func TestListShowsEveryField(t *testing.T) {
	t.Parallel()
	w := newListWorld(t)
	_, body := w.list(t, "admin", url.Values{"limit": {"1"}, "before": {"2"}})
	r := w.records(w.tenant)[0]
	want := map[string]any{
		"seq": 1.0, "id": r.ID.String(), "at": r.At.UTC().Format(time.RFC3339Nano),
		"actor_id": w.admin.UserID.String(), "session_id": w.admin.SessionID.String(),
		"action": "POST /api/v1/users", "resource": "/api/v1/users", "outcome": "ok", "status": 201.0,
		"ip": "203.0.113.7", "user_agent": "audit-test/1.0", "request_id": "req-seed-0001",
		"digest": "", "prev_hash": "", "hash": r.Hash,
	}
	if d := cmp.Diff([]any{want}, body["items"]); d != "" {
		t.Errorf("items (-want +got):\n%s", d)
	}
}

func TestListRefusesBadFiltersNamingThem(t *testing.T) {
	t.Parallel()
	w := newListWorld(t)
	for _, tc := range []struct {
		query url.Values
		param string
	}{
		{url.Values{"actor": {"nobody"}}, "actor"},
		{url.Values{"outcome": {"maybe"}}, "outcome"},
		{url.Values{"from": {"yesterday"}}, "from"},
		{url.Values{"to": {"2025-13-01T00:00:00Z"}}, "to"},
		{url.Values{"from": {"2025-02-01T00:00:00Z"}, "to": {"2025-01-01T00:00:00Z"}}, "to"},
		{url.Values{"limit": {"0"}}, "limit"},
		{url.Values{"limit": {"201"}}, "limit"},
		{url.Values{"before": {"x"}}, "before"},
		{url.Values{"before": {"-3"}}, "before"},
	} {
		status, body := w.list(t, "admin", tc.query)
		e, _ := body["error"].(map[string]any)
		msg, _ := e["message"].(string)
		if status != http.StatusBadRequest || !strings.HasPrefix(msg, tc.param+" ") {
			t.Errorf("%s: status %d, body %v; want 400 with a message naming %s", tc.query.Encode(), status, body, tc.param)
		}
	}
	// A limit that is not a number is refused by huma's own parsing, which names it in the details.
	status, body := w.list(t, "admin", url.Values{"limit": {"many"}})
	if d := fmt.Sprint(body["error"]); status != http.StatusUnprocessableEntity || !strings.Contains(d, "query.limit") {
		t.Errorf("limit=many: status %d, body %v", status, body)
	}
}

func TestOnlyTenantAdminsReadOrVerifyTheTrail(t *testing.T) {
	t.Parallel()
	w := newListWorld(t)
	status, body := w.list(t, "rep", url.Values{})
	if status != http.StatusForbidden {
		t.Errorf("rep lists: status %d, body %v", status, body)
	}
	status, body = do(t, w.app, call{method: "POST", path: "/api/v1/audit/verify", token: "rep"})
	if status != http.StatusForbidden {
		t.Errorf("rep verifies: status %d, body %v", status, body)
	}
	// The refused verify is itself on the record.
	last := w.records(w.tenant)[5]
	if last.Action != "POST /api/v1/audit/verify" || last.Outcome != OutcomeRejected || last.Status != http.StatusForbidden || *last.ActorID != w.rep.UserID {
		t.Errorf("refused verify recorded as %+v", last)
	}
}

func TestVerifyOverHTTP(t *testing.T) {
	t.Parallel()
	w := newListWorld(t)
	status, body := do(t, w.app, call{method: "POST", path: "/api/v1/audit/verify", token: "admin"})
	delete(body, "$schema")
	if d := cmp.Diff(map[string]any{"ok": true, "checked": 5.0}, body); status != http.StatusOK || d != "" {
		t.Errorf("status %d, body (-want +got):\n%s", status, d)
	}
	// The verify request is recorded in the same chain, after the records it checked.
	if got := w.records(w.tenant); len(got) != 6 || got[5].Action != "POST /api/v1/audit/verify" || got[5].Outcome != OutcomeOK {
		t.Fatalf("records after verify: %+v", got)
	}

	w.exec("UPDATE audit_records SET resource = ? WHERE tenant_id = ? AND seq = 2", "elsewhere", w.tenant)
	status, body = do(t, w.app, call{method: "POST", path: "/api/v1/audit/verify", token: "admin"})
	delete(body, "$schema")
	want := map[string]any{"ok": false, "checked": 1.0, "first_bad_seq": 2.0,
		"problem": "record 2 was changed after it was written: its contents no longer match its hash"}
	if d := cmp.Diff(want, body); status != http.StatusOK || d != "" {
		t.Errorf("after tampering: status %d, body (-want +got):\n%s", status, d)
	}
}
