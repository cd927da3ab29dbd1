package admin

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

type grantBody struct {
	Reason  string `json:"reason"`
	Minutes int    `json:"minutes"`
}

const supportReason = "ticket 4711: the March orders report shows no totals"

func TestSupportGrantValidation(t *testing.T) {
	e := newEnv(t)
	ctx := e.signedIn("ops@example.com")
	id := e.addTenant("acme", "Acme", "fmcg", StatusActive)
	for _, c := range []struct {
		name    string
		reason  string
		minutes int
		field   string
	}{
		{"short reason", "debugging", 30, "body.reason"},
		{"blank reason", "              ", 30, "body.reason"},
		{"no minutes", supportReason, 0, "body.minutes"},
		{"too long", supportReason, 241, "body.minutes"},
	} {
		_, err := e.svc.GrantSupport(ctx, id, c.reason, c.minutes)
		f, ok := fault.As(err)
		if !ok || f.Kind != fault.Invalid || f.Details[0].Location != c.field {
			t.Errorf("%s: err = %v, want invalid %s", c.name, err, c.field)
		}
	}
	if _, err := e.svc.GrantSupport(ctx, identity.NewID(), supportReason, 30); !fault.Is(err, fault.NotFound) {
		t.Errorf("unknown tenant: err = %v, want not found", err)
	}
	if _, err := e.svc.GrantSupport(context.Background(), id, supportReason, 30); !fault.Is(err, fault.Unauthorized) {
		t.Errorf("no operator: err = %v, want unauthorized", err)
	}
	if n := len(e.auditRows(actionGrantSupport)); n != 5 {
		t.Errorf("%d refused grants audited, want 5", n)
	}

	// Over HTTP the same rules answer, naming the field.
	token := e.login("second@example.com", e.enrol("second@example.com"))
	path := Prefix + "/tenants/" + id.String() + "/support-access"
	for _, c := range []struct {
		body  grantBody
		field string
	}{{grantBody{"debugging", 30}, "body.reason"}, {grantBody{supportReason, 0}, "body.minutes"}, {grantBody{supportReason, 241}, "body.minutes"}} {
		status, raw := e.call(http.MethodPost, path, token, c.body)
		if got := wantError(t, status, raw, http.StatusBadRequest, "invalid_input"); got.Error.Details[0].Location != c.field {
			t.Errorf("%+v: %s", c.body, raw)
		}
	}
	if n := len(e.auditRows(actionGrantSupport)); n != 8 {
		t.Errorf("%d refused grants audited, want 8", n)
	}
	var n int64
	e.st.Owner(context.Background()).Model(&grantRow{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d grants written by refused requests", n)
	}
}

func TestSupportGrantLifecycle(t *testing.T) {
	e := newEnv(t)
	token := e.login("ops@example.com", e.enrol("ops@example.com"))
	id := e.addTenant("acme", "Acme", "fmcg", StatusActive)
	other := e.addTenant("other", "Other", "fmcg", StatusActive)
	path := Prefix + "/tenants/" + id.String() + "/support-access"

	status, raw := e.call(http.MethodPost, path, token, grantBody{supportReason, 30})
	g := decode[grantDTO](t, raw)
	if status != http.StatusCreated || !g.Active || g.OperatorEmail != "ops@example.com" || g.TenantID != id ||
		!g.ExpiresAt.Equal(e.clock.now().Add(30*time.Minute)) {
		t.Fatalf("grant: %d %s", status, raw)
	}
	if audited := e.auditRows(actionGrantSupport); len(audited) != 1 || audited[0].Reason != supportReason || *audited[0].Tenant != id {
		t.Fatalf("grant audit = %+v", audited)
	}

	// The tenant sees the grant as its own row; another tenant does not.
	e.wantTenantGrants(id, 1)
	e.wantTenantGrants(other, 0)

	ctx := context.Background()
	if _, err := e.svc.ActiveGrant(ctx, id, g.ID); err != nil {
		t.Fatalf("active grant: %v", err)
	}
	if _, err := e.svc.ActiveGrant(ctx, other, g.ID); !fault.Is(err, fault.NotFound) {
		t.Fatalf("grant under another tenant: err = %v, want not found", err)
	}
	e.clock.advance(30 * time.Minute)
	if _, err := e.svc.ActiveGrant(ctx, id, g.ID); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("expired grant: err = %v, want forbidden", err)
	}

	// Revoked before its end: closed at once, and listed as revoked.
	_, raw = e.call(http.MethodPost, path, token, grantBody{supportReason, 240})
	second := decode[grantDTO](t, raw)
	if status, raw := e.call(http.MethodDelete, path+"/"+second.ID.String(), token, nil); status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", status, raw)
	}
	if _, err := e.svc.ActiveGrant(ctx, id, second.ID); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("revoked grant: err = %v, want forbidden", err)
	}
	status, raw = e.call(http.MethodDelete, path+"/"+identity.NewID().String(), token, nil)
	wantError(t, status, raw, http.StatusNotFound, "not_found")

	status, raw = e.call(http.MethodGet, path, token, nil)
	list := decode[struct {
		Grants []grantDTO `json:"grants"`
	}](t, raw).Grants
	if status != http.StatusOK || len(list) != 2 || list[0].ID != second.ID || list[0].RevokedAt == nil || list[0].Active || list[1].Active {
		t.Fatalf("grants: %d %s", status, raw)
	}
	if n := len(e.auditRows(actionListGrants)); n != 1 {
		t.Fatalf("%d grant listings audited, want 1", n)
	}
	if n := len(e.auditRows(actionRevokeGrant)); n != 2 {
		t.Fatalf("%d revocations audited, want 2 (one refused)", n)
	}
}

// wantTenantGrants reads support_grants as the tenant itself would: in a tenant transaction.
func (e *env) wantTenantGrants(tenant uuid.UUID, want int) {
	e.t.Helper()
	var rows []grantRow
	err := e.st.Tx(identity.System(context.Background(), tenant), func(ctx context.Context, db *gorm.DB) error {
		return db.Find(&rows).Error
	})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(rows) != want {
		e.t.Fatalf("tenant %s sees %d grants, want %d", tenant, len(rows), want)
	}
}

// TestTenantMayRevokeButNotGrant checks the database's wall: the role tenant work runs as may
// read its grants and set revoked_at, but never create or extend a grant.
func TestTenantMayRevokeButNotGrant(t *testing.T) {
	e := newEnv(t)
	if e.st.Dialect() != store.Postgres {
		t.Skip("privileges of the app role: PostgreSQL only")
	}
	ctx := e.signedIn("ops@example.com")
	id := e.addTenant("acme", "Acme", "fmcg", StatusActive)
	g, err := e.svc.GrantSupport(ctx, id, supportReason, 10)
	if err != nil {
		t.Fatal(err)
	}
	asTenant := identity.System(context.Background(), id)
	for name, stmt := range map[string]string{
		"insert": `INSERT INTO support_grants (tenant_id, id, operator_id, operator_email, reason, starts_at, expires_at)
			VALUES ('` + id.String() + `', '` + identity.NewID().String() + `', '` + identity.NewID().String() + `', 'me@tenant', 'let myself in', now(), now() + interval '1 hour')`,
		"extend": `UPDATE support_grants SET expires_at = expires_at + interval '1 day'`,
		"delete": `DELETE FROM support_grants`,
	} {
		err := e.st.Tx(asTenant, func(ctx context.Context, db *gorm.DB) error { return db.Exec(stmt).Error })
		if err == nil {
			t.Errorf("the tenant's role may %s support grants", name)
		}
	}
	err = e.st.Tx(asTenant, func(ctx context.Context, db *gorm.DB) error {
		return db.Model(&grantRow{}).Where("id = ?", g.ID).Update("revoked_at", e.clock.now()).Error
	})
	if err != nil {
		t.Fatalf("the tenant revokes its grant: %v", err)
	}
	if _, err := e.svc.ActiveGrant(context.Background(), id, g.ID); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("grant revoked by the tenant: err = %v, want forbidden", err)
	}
}
