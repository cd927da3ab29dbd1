package admin

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
)

// addConnector inserts a tenant's connector the way platform/sync keeps one, through the owner
// handle, with a configuration holding a password the operator must never see.
func (e *env) addConnector(tenant uuid.UUID, name, state, message string, checked time.Time) uuid.UUID {
	e.t.Helper()
	id := identity.NewID()
	mustExec(e.t, e, `INSERT INTO connectors (tenant_id, id, kind, name, config, secrets, enabled, state, message, checked_at, restarts,
		last_sync_error, created_at, updated_at) VALUES (?, ?, 'tryton', ?, ?, ?, ?, ?, ?, ?, 2, '', ?, ?)`,
		tenant, id, name, `{"url":"http://erp.test"}`, `{"password":"s3cret-of-`+name+`"}`, state != "disabled", state, message, checked, checked, checked)
	return id
}

func TestConnectorHealthAcrossTenants(t *testing.T) {
	e := newEnv(t)
	token := e.login("ops@example.com", e.enrol("ops@example.com"))
	acme := e.addTenant("acme", "Acme", "fmcg", StatusActive)
	beta := e.addTenant("beta", "Beta", "industrial", StatusActive)
	now := e.clock.now()
	e.addConnector(acme, "ERP", "healthy", "", now.Add(-time.Minute))
	e.addConnector(acme, "Old CRM", "disabled", "", now.Add(-time.Hour))
	failing := e.addConnector(beta, "ERP", "failing", "Tryton refused the user name or password", now.Add(-2*time.Minute))
	crashed := e.addConnector(beta, "Backup ERP", "crashed", "the process exited", now.Add(-time.Minute))

	type listed struct {
		ByState    map[string]int64 `json:"by_state"`
		Connectors []struct {
			TenantSlug string    `json:"tenant_slug"`
			ID         uuid.UUID `json:"id"`
			State      string    `json:"state"`
			Message    string    `json:"message"`
			Restarts   int       `json:"restarts"`
		} `json:"connectors"`
	}
	status, raw := e.call(http.MethodGet, Prefix+"/connectors", token, nil)
	if status != http.StatusOK {
		t.Fatalf("list: %d %s", status, raw)
	}
	all := decode[listed](t, raw)
	if diff := cmp.Diff(map[string]int64{"healthy": 1, "disabled": 1, "failing": 1, "crashed": 1}, all.ByState); diff != "" {
		t.Fatalf("by state (-want +got):\n%s", diff)
	}
	var order []uuid.UUID
	for _, c := range all.Connectors {
		order = append(order, c.ID)
	}
	if len(order) != 4 || order[0] != crashed || order[1] != failing {
		t.Fatalf("order = %v, want the crashed %s then the failing %s first", order, crashed, failing)
	}
	if all.Connectors[1].TenantSlug != "beta" || all.Connectors[1].Message != "Tryton refused the user name or password" || all.Connectors[1].Restarts != 2 {
		t.Fatalf("failing connector = %+v", all.Connectors[1])
	}
	// The configuration (the tenant's credentials) is not part of the answer at all.
	if bytes.Contains(raw, []byte("s3cret")) || bytes.Contains(raw, []byte("erp.test")) {
		t.Fatalf("the answer shows a connector's configuration: %s", raw)
	}

	status, raw = e.call(http.MethodGet, Prefix+"/connectors?state=failing", token, nil)
	if status != http.StatusOK {
		t.Fatalf("list failing: %d %s", status, raw)
	}
	if got := decode[listed](t, raw).Connectors; len(got) != 1 || got[0].ID != failing {
		t.Fatalf("failing = %+v", got)
	}
	status, raw = e.call(http.MethodGet, Prefix+"/connectors?state=sideways", token, nil)
	wantError(t, status, raw, http.StatusUnprocessableEntity, "invalid_input")
	if status, _ = e.call(http.MethodGet, Prefix+"/connectors", "", nil); status != http.StatusUnauthorized {
		t.Fatalf("without a session: %d, want 401", status)
	}

	// Each look is audited, with what was asked for.
	rows := e.auditRows(actionConnectorHealth)
	if len(rows) != 2 || rows[1].Detail != `state="failing" kind=""` {
		t.Fatalf("audit rows = %+v", rows)
	}

	// A tenant's usage counts its connectors by state.
	ctx := e.signedIn("ops2@example.com")
	d, err := e.svc.Tenant(ctx, beta)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int64{"failing": 1, "crashed": 1}, d.Usage.Connectors); diff != "" {
		t.Fatalf("beta's connectors (-want +got):\n%s", diff)
	}
}

// The detail answer carries the tenant's own fields beside its billing and usage (an embedded
// struct huma skipped while its type was unexported).
func TestTenantDetailOverHTTPNamesTheTenant(t *testing.T) {
	e := newEnv(t)
	token := e.login("ops@example.com", e.enrol("ops@example.com"))
	id := e.addTenant("acme", "Acme Foods", "fmcg", StatusActive)
	status, raw := e.call(http.MethodGet, Prefix+"/tenants/"+id.String(), token, nil)
	if status != http.StatusOK {
		t.Fatalf("detail: %d %s", status, raw)
	}
	got := decode[struct {
		ID     uuid.UUID      `json:"id"`
		Slug   string         `json:"slug"`
		Name   string         `json:"name"`
		Status string         `json:"status"`
		Usage  map[string]any `json:"usage"`
	}](t, raw)
	if got.ID != id || got.Slug != "acme" || got.Name != "Acme Foods" || got.Status != StatusActive || got.Usage == nil {
		t.Fatalf("detail = %s", raw)
	}
}
