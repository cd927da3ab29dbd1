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
