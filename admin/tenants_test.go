package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
)

type tenantList struct {
	Tenants []struct {
		Slug   string `json:"slug"`
		Status string `json:"status"`
	} `json:"tenants"`
	Total      int64      `json:"total"`
	NextCursor *uuid.UUID `json:"next_cursor"`
}

func (l tenantList) slugs() []string {
	var out []string
	for _, t := range l.Tenants {
		out = append(out, t.Slug)
	}
	return out
}

func TestTenantSearchAndPaging(t *testing.T) {
	e := newEnv(t)
	token := e.login("ops@example.com", e.enrol("ops@example.com"))
	e.addTenant("acme-foods", "Acme Foods", "fmcg", StatusActive)
	e.addTenant("acme-tools", "Acme Tools", "industrial", StatusSuspended)
	e.addTenant("beta", "Beta Drinks", "fmcg", StatusActive)
	e.addTenant("gamma", "Gamma_Steel", "industrial", StatusActive)
	e.addTenant("delta", "Delta 100%", "fmcg", StatusActive)

	list := func(query string) tenantList {
		t.Helper()
		status, raw := e.call(http.MethodGet, Prefix+"/tenants?"+query, token, nil)
		if status != http.StatusOK {
			t.Fatalf("list %s: %d %s", query, status, raw)
		}
		return decode[tenantList](t, raw)
	}
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", []string{"delta", "gamma", "beta", "acme-tools", "acme-foods"}},
		{"q=ACME", []string{"acme-tools", "acme-foods"}},
		{"q=foods", []string{"acme-foods"}},
		{"q=acme-f", []string{"acme-foods"}},             // only the slug has it
		{"q=" + url.QueryEscape("_"), []string{"gamma"}}, // wildcards match themselves
		{"q=" + url.QueryEscape("%"), []string{"delta"}},
		{"status=suspended", []string{"acme-tools"}},
		{"industry=industrial", []string{"gamma", "acme-tools"}},
		{"industry=fmcg&status=active&q=a", []string{"delta", "beta", "acme-foods"}},
		{"q=nothing-like-it", nil},
	} {
		got := list(c.query)
		if diff := cmp.Diff(c.want, got.slugs()); diff != "" {
			t.Errorf("%q (-want +got):\n%s", c.query, diff)
		}
		if got.Total != int64(len(c.want)) || got.NextCursor != nil {
			t.Errorf("%q: total %d, next %v", c.query, got.Total, got.NextCursor)
		}
	}

	var seen []string
	query := "limit=2"
	for pages := 0; ; pages++ {
		page := list(query)
		if page.Total != 5 || len(page.Tenants) > 2 {
			t.Fatalf("page %d: %+v", pages, page)
		}
		seen = append(seen, page.slugs()...)
		if page.NextCursor == nil {
			break
		}
		query = "limit=2&cursor=" + page.NextCursor.String()
	}
	if diff := cmp.Diff([]string{"delta", "gamma", "beta", "acme-tools", "acme-foods"}, seen); diff != "" {
		t.Fatalf("pages (-want +got):\n%s", diff)
	}
	status, raw := e.call(http.MethodGet, Prefix+"/tenants?limit=500", token, nil)
	wantError(t, status, raw, http.StatusUnprocessableEntity, "invalid_input")
	if n := len(e.auditRows(actionSearchTenants)); n < 10 {
		t.Fatalf("%d searches audited", n)
	}
}

func TestTenantDetailShowsUsageAndBilling(t *testing.T) {
	e := newEnv(t)
	ctx := e.signedIn("ops@example.com")
	id := e.addTenant("acme", "Acme", "fmcg", StatusActive)
	other := e.addTenant("other", "Other", "fmcg", StatusActive)
	at := e.clock.now().Add(-time.Hour)
	e.fillTenant(id, at)
	e.fillTenant(other, at.Add(time.Minute)) // another tenant's rows never count

	got, err := e.svc.Tenant(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := Usage{ActiveUsers: 2, Seats: map[string]int64{"rep": 1, "manager": 1, "hq": 1}, Customers: 1, Visits: 2,
		APICallsToday: 5, APICalls30Days: 12, Connectors: map[string]int64{}, StorageBytes: 150, LastActivity: &at}
	if diff := cmp.Diff(want, got.Usage); diff != "" {
		t.Fatalf("usage (-want +got):\n%s", diff)
	}
	if got.Slug != "acme" {
		t.Fatalf("tenant = %+v", got.Tenant)
	}
	if _, err := e.svc.Tenant(ctx, identity.NewID()); !fault.Is(err, fault.NotFound) {
		t.Fatalf("unknown tenant: err = %v, want not found", err)
	}
	if n := len(e.auditRows(actionViewTenant)); n != 2 {
		t.Fatalf("%d views audited, want 2", n)
	}

	if got.Billing != nil {
		t.Fatalf("billing without a billing row: %v", got.Billing)
	}
	// The default lookup reads whatever columns billing's table has.
	key := ""
	for _, k := range billingKeys {
		if key == "" && e.st.Owner(context.Background()).Migrator().HasColumn(billingTable, k) {
			key = k
		}
	}
	mustExec(t, e, `INSERT INTO tenant_billing (`+key+`, stripe_customer_id, status, seats, created_at, updated_at)
		VALUES (?, 'cus_123', 'past_due', 25, ?, ?)`, id, at, at)
	if got, err = e.svc.Tenant(ctx, id); err != nil {
		t.Fatal(err)
	}
	b := got.Billing
	if b["status"] != "past_due" || fmt.Sprint(b["seats"]) != "25" || b["stripe_customer_id"] != "cus_123" || b[key] != nil {
		t.Fatalf("billing = %#v", b)
	}
	if other, _ := e.svc.Tenant(ctx, other); other.Billing != nil {
		t.Fatalf("a tenant without a billing row: %v", other.Billing)
	}

	// The hook replaces the table read.
	e.svc.billing = func(_ context.Context, tenant uuid.UUID) (map[string]any, error) {
		return map[string]any{"plan": "from the hook", "tenant": tenant.String()}, nil
	}
	status, raw := e.call(http.MethodGet, Prefix+"/tenants/"+id.String(), e.login("second@example.com", e.enrol("second@example.com")), nil)
	if status != http.StatusOK || !strings.Contains(string(raw), `"plan":"from the hook"`) || !strings.Contains(string(raw), `"storage_bytes":150`) {
		t.Fatalf("detail over HTTP: %d %s", status, raw)
	}
}

func mustExec(t *testing.T, e *env, sql string, args ...any) {
	t.Helper()
	if err := e.st.Owner(context.Background()).Exec(sql, args...).Error; err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// fillTenant gives a tenant, through the owner handle: two active users (a rep, and a manager
// who is also hq) and a disabled one, a customer, two visits sharing one photo, and an audit
// record at last.
func (e *env) fillTenant(id uuid.UUID, last time.Time) {
	t := e.t
	now := e.clock.now()
	region, rep, mgr, gone, cust := identity.NewID(), identity.NewID(), identity.NewID(), identity.NewID(), identity.NewID()
	mustExec(t, e, `INSERT INTO regions (tenant_id, id, name, path, created_at, updated_at) VALUES (?, ?, 'Root', ?, ?, ?)`,
		id, region, "/"+region.String()+"/", now, now)
	for _, u := range []struct {
		id     uuid.UUID
		status string
		roles  []string
	}{{rep, "active", []string{"rep"}}, {mgr, "active", []string{"manager", "hq"}}, {gone, "disabled", []string{"rep"}}} {
		mustExec(t, e, `INSERT INTO users (tenant_id, id, email, name, region_id, status, created_at, updated_at) VALUES (?, ?, ?, 'U', ?, ?, ?, ?)`,
			id, u.id, u.id.String()+"@example.com", region, u.status, now, now)
		for _, r := range u.roles {
			mustExec(t, e, `INSERT INTO user_roles (tenant_id, user_id, role) VALUES (?, ?, ?)`, id, u.id, r)
		}
	}
	// API calls today, within the last 30 days, and before them.
	for _, d := range []struct {
		daysAgo int
		calls   int
	}{{0, 5}, {10, 7}, {40, 100}} {
		mustExec(t, e, `INSERT INTO api_calls (tenant_id, day, calls) VALUES (?, ?, ?)`, id, now.AddDate(0, 0, -d.daysAgo).Format(time.DateOnly), d.calls)
	}
	mustExec(t, e, `INSERT INTO customers (tenant_id, id, name, grade, owner_id, region_id, lat, lon, fence_kind, fence_radius, created_at, updated_at)
		VALUES (?, ?, 'Shop', 'A', ?, ?, 31.2, 121.5, 'circle', 100, ?, ?)`, id, cust, rep, region, now, now)
	for i, photos := range [][]struct {
		sha  string
		size int64
	}{{{strings.Repeat("a", 64), 100}, {strings.Repeat("b", 64), 50}}, {{strings.Repeat("a", 64), 100}}} {
		visit := identity.NewID()
		mustExec(t, e, `INSERT INTO visits (tenant_id, id, rep_id, customer_id, region_id, source, status, started_at, ended_at,
			trusted, verdict, review_status, revision, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, 'checkin', 'closed', ?, ?, true, 'ok', 'none', 1, ?, ?)`,
			id, visit, rep, cust, region, now.Add(time.Duration(i)*time.Hour), now.Add(time.Duration(i)*time.Hour+time.Minute), now, now)
		for _, p := range photos {
			mustExec(t, e, `INSERT INTO visit_photos (tenant_id, visit_id, sha256, content_type, size, uploaded_by, created_at)
				VALUES (?, ?, ?, 'image/jpeg', ?, ?, ?)`, id, visit, p.sha, p.size, rep, now)
		}
	}
	mustExec(t, e, `INSERT INTO audit_records (tenant_id, seq, id, at, action, resource, outcome, status, ip, user_agent, request_id, digest, prev_hash, hash)
		VALUES (?, 1, ?, ?, 'customer.create', 'customer', 'ok', 201, '', '', '', '', '', '')`, id, identity.NewID(), last)
}

func TestSuspendAndResume(t *testing.T) {
	e := newEnv(t)
	token := e.login("ops@example.com", e.enrol("ops@example.com"))
	id := e.addTenant("acme", "Acme", "fmcg", StatusActive)
	path := Prefix + "/tenants/" + id.String()
	type reason struct {
		Reason string `json:"reason"`
	}

	status, raw := e.call(http.MethodPost, path+"/suspend", token, reason{"unpaid"})
	if wantError(t, status, raw, http.StatusBadRequest, "invalid_input").Error.Details[0].Location != "body.reason" {
		t.Fatalf("short reason: %s", raw)
	}
	status, raw = e.call(http.MethodPost, path+"/suspend", token, reason{"invoice 2025-02 unpaid after three reminders"})
	if status != http.StatusOK || decode[TenantDTO](t, raw).Status != StatusSuspended {
		t.Fatalf("suspend: %d %s", status, raw)
	}
	var stored string
	if err := e.svc.st.Owner(context.Background()).Table("tenants").Where("id = ?", id).Select("status").Scan(&stored).Error; err != nil || stored != StatusSuspended {
		t.Fatalf("the tenant's stored status: %q, %v", stored, err)
	}
	status, raw = e.call(http.MethodPost, path+"/suspend", token, reason{"suspending twice by mistake"})
	wantError(t, status, raw, http.StatusConflict, "wrong_status")

	e.clock.advance(time.Hour)
	status, raw = e.call(http.MethodPost, path+"/resume", token, reason{"invoice paid in full on 3 March"})
	if got := decode[TenantDTO](t, raw); status != http.StatusOK || got.Status != StatusActive || !got.UpdatedAt.Equal(e.clock.now()) {
		t.Fatalf("resume: %d %s", status, raw)
	}
	status, raw = e.call(http.MethodPost, Prefix+"/tenants/"+identity.NewID().String()+"/resume", token, reason{"no such tenant at all"})
	wantError(t, status, raw, http.StatusNotFound, "not_found")

	var done []string
	for _, action := range []string{actionSuspend, actionResume} {
		for _, r := range e.auditRows(action) {
			if r.Tenant != nil && *r.Tenant == id {
				done = append(done, r.Action+" "+r.Outcome+": "+r.Reason)
			}
		}
	}
	want := []string{
		"tenant.suspend refused: unpaid",
		"tenant.suspend ok: invoice 2025-02 unpaid after three reminders",
		"tenant.suspend refused: suspending twice by mistake",
		"tenant.resume ok: invoice paid in full on 3 March",
	}
	if diff := cmp.Diff(want, done); diff != "" {
		t.Fatalf("audit (-want +got):\n%s", diff)
	}
}
