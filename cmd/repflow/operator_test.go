package main

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/repflow/repflow/tenants"
)

// The operator enrolled on the command line signs in to the console with a code from the
// authenticator app, finds a tenant and suspends it: its people are refused at once, with the
// reason, until the operator resumes it.
func TestOperatorSuspendsAndResumesATenant(t *testing.T) {
	h := newHarness(t)
	c := h.company("Console Co")
	otpauth, err := h.app.operators.CreateOperator(context.Background(), "ops@repflow.test", "Ops", "a long operator passphrase")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(otpauth)
	if err != nil {
		t.Fatal(err)
	}
	code, err := totp.GenerateCode(u.Query().Get("secret"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var session struct{ Token string }
	if status := h.call("", http.MethodPost, "/admin/api/v1/login", map[string]string{"email": "ops@repflow.test", "password": "a long operator passphrase", "code": code}, &session); status != http.StatusOK || session.Token == "" {
		t.Fatalf("operator login: %d", status)
	}
	// A tenant user's token is no operator's.
	if status := h.call(c.tokens["admin"], http.MethodGet, "/admin/api/v1/tenants", nil, nil); status != http.StatusUnauthorized {
		t.Errorf("a tenant admin lists the tenants: %d", status)
	}
	var page struct {
		Tenants []struct {
			ID   string
			Name string
		}
	}
	if status := h.call(session.Token, http.MethodGet, "/admin/api/v1/tenants?q=Console", nil, &page); status != http.StatusOK || len(page.Tenants) != 1 || page.Tenants[0].ID != c.tenant.String() {
		t.Fatalf("search tenants: %d %+v", status, page.Tenants)
	}
	path := "/admin/api/v1/tenants/" + c.tenant.String()
	reason := map[string]string{"reason": "unpaid invoices since March, agreed with the customer"}
	if status, body := h.raw(session.Token, http.MethodPost, path+"/suspend", reason); status != http.StatusOK {
		t.Fatalf("suspend: %d %s", status, body)
	}
	if status, body := h.raw(c.tokens["rep"], http.MethodGet, "/api/v1/customers", nil); status != http.StatusForbidden || !strings.Contains(body, "tenant_suspended") {
		t.Errorf("the suspended tenant's rep: %d %s", status, body)
	}
	if status, body := h.raw(session.Token, http.MethodPost, path+"/resume", reason); status != http.StatusOK {
		t.Fatalf("resume: %d %s", status, body)
	}
	if status := h.call(c.tokens["rep"], http.MethodGet, "/api/v1/customers", nil, nil); status != http.StatusOK {
		t.Errorf("after resuming, the rep: %d", status)
	}
}

// `repflow operator add` takes the password from standard input, never from a flag, and prints
// the authenticator's address.
func TestOperatorAddCommand(t *testing.T) {
	cfg, err := parseConfig("operator", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir, cfg.LogLevel = t.TempDir(), "error"
	t.Setenv("REPFLOW_OPERATOR_PASSWORD", "")
	var out bytes.Buffer
	if err := addOperator(context.Background(), cfg, "ops@repflow.test", "Ops", strings.NewReader("a long operator passphrase\n"), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "otpauth://totp/") || !strings.Contains(out.String(), "secret=") {
		t.Errorf("the command printed %q", out.String())
	}
	if err := addOperator(context.Background(), cfg, "ops2@repflow.test", "Ops", strings.NewReader(""), &out); err == nil {
		t.Error("an operator with no password was added")
	}
}

// Support access: the operator grants themself read-only access for a reason, opens a session
// with it, reads the tenant like HQ and changes nothing; each read lands in the tenant's audit
// trail, the tenant's admin sees the grant and ends it, and the session dies with it.
func TestSupportSessionReadsOnlyAndEnds(t *testing.T) {
	h := newHarness(t)
	c := h.company("Support Co")
	otpauth, err := h.app.operators.CreateOperator(context.Background(), "help@repflow.test", "Help", "a long operator passphrase")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(otpauth)
	code, _ := totp.GenerateCode(u.Query().Get("secret"), time.Now())
	var session struct{ Token string }
	h.call("", http.MethodPost, "/admin/api/v1/login", map[string]string{"email": "help@repflow.test", "password": "a long operator passphrase", "code": code}, &session)
	var grant struct{ ID string }
	base := "/admin/api/v1/tenants/" + c.tenant.String() + "/support-access"
	if status := h.call(session.Token, http.MethodPost, base, map[string]any{"reason": "the rep's check-ins are all flagged since Monday", "minutes": 30}, &grant); status != http.StatusCreated {
		t.Fatalf("grant: %d", status)
	}
	var support struct{ Token string }
	if status := h.call(session.Token, http.MethodPost, base+"/"+grant.ID+"/session", nil, &support); status != http.StatusCreated || !strings.HasPrefix(support.Token, "rfs_") {
		t.Fatalf("open the support session: %d %q", status, support.Token)
	}
	var actions []string
	h.app.store.Owner(context.Background()).Table("audit_records").Where("tenant_id = ? AND action LIKE 'support.%'", c.tenant).Order("seq").Pluck("action", &actions)
	if strings.Join(actions, " ") != "support.grant support.session" {
		t.Errorf("the tenant's own audit trail of the support access: %v", actions)
	}
	before := h.lastAudit(c.tenant).Count
	var customers struct{ Customers []struct{ ID string } }
	if status := h.call(support.Token, http.MethodGet, "/api/v1/customers", nil, &customers); status != http.StatusOK || len(customers.Customers) == 0 {
		t.Errorf("the support session reads customers: %d, %d of them", status, len(customers.Customers))
	}
	if after := h.lastAudit(c.tenant); after.Count != before+1 {
		t.Errorf("the support read left %d audit records, want 1", after.Count-before)
	}
	if status, body := h.raw(support.Token, http.MethodPost, "/api/v1/regions", map[string]any{"name": "Support region", "parent_id": c.regions["east"].ID}); status != http.StatusForbidden || !strings.Contains(body, "support_read_only") {
		t.Errorf("the support session writes: %d %s", status, body)
	}
	var grants tenants.SupportGrantListDTO
	if status := h.call(c.tokens["admin"], http.MethodGet, "/api/v1/support-grants", nil, &grants); status != http.StatusOK {
		t.Fatalf("the tenant admin lists support access: %d", status)
	}
	var seen *tenants.SupportGrantDTO
	for i, g := range grants.Grants {
		if g.ID.String() == grant.ID {
			seen = &grants.Grants[i]
		}
	}
	if seen == nil || !seen.Active || seen.OperatorEmail != "help@repflow.test" || !strings.Contains(seen.Reason, "flagged") {
		t.Fatalf("the tenant admin sees %+v", seen)
	}
	if status := h.call(c.tokens["rep"], http.MethodGet, "/api/v1/support-grants", nil, nil); status != http.StatusForbidden {
		t.Errorf("a rep lists support access: %d", status)
	}
	if status := h.call(c.tokens["admin"], http.MethodDelete, "/api/v1/support-grants/"+grant.ID, nil, nil); status != http.StatusNoContent {
		t.Fatalf("the tenant admin ends it: %d", status)
	}
	if status := h.call(support.Token, http.MethodGet, "/api/v1/customers", nil, nil); status != http.StatusUnauthorized {
		t.Errorf("the support session after the grant ended: %d", status)
	}
}
