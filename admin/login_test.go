package admin

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/repflow/repflow/platform/fault"
)

func TestEnrolmentAndLogin(t *testing.T) {
	e := newEnv(t)
	url, err := e.svc.CreateOperator(context.Background(), " Olga@Example.com ", "Olga", password)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "otpauth://totp/") || !strings.Contains(url, "issuer=repflow") || !strings.Contains(url, "secret=") {
		t.Fatalf("otpauth URL = %q", url)
	}
	if _, err := e.svc.CreateOperator(context.Background(), "olga@example.com", "Olga again", password); !fault.Is(err, fault.Conflict) {
		t.Fatalf("second enrolment of the address: err = %v, want a conflict", err)
	}
	if _, err := e.svc.CreateOperator(context.Background(), "short@example.com", "Short", "tooshort"); !fault.Is(err, fault.Invalid) {
		t.Fatalf("short password: err = %v, want invalid", err)
	}

	secret := e.enrol("ops@example.com")
	status, raw := e.call(http.MethodPost, Prefix+"/login", "", loginBody{"OPS@example.com", password, e.code(secret)})
	if status != http.StatusOK {
		t.Fatalf("login: %d %s", status, raw)
	}
	got := decode[struct {
		Token     string    `json:"token"`
		ExpiresAt time.Time `json:"expires_at"`
		Operator  struct {
			Email string `json:"email"`
		} `json:"operator"`
	}](t, raw)
	if !strings.HasPrefix(got.Token, tokenPrefix) || got.Operator.Email != "ops@example.com" ||
		!got.ExpiresAt.Equal(e.clock.now().Add(12*time.Hour)) {
		t.Fatalf("login answer = %+v", got)
	}
	if status, raw := e.call(http.MethodGet, Prefix+"/tenants", got.Token, nil); status != http.StatusOK {
		t.Fatalf("tenants with the new token: %d %s", status, raw)
	}
	// The token is kept only as its hash.
	var n int64
	e.st.Owner(context.Background()).Model(&sessionRow{}).Where("token_hash = ?", []byte(got.Token)).Count(&n)
	if n != 0 {
		t.Fatal("the token is stored in the clear")
	}
	if ok := e.auditRows(actionLogin); len(ok) != 1 || ok[0].Outcome != outcomeOK || ok[0].OperatorID == nil {
		t.Fatalf("login audit = %+v", ok)
	}
}

func TestLoginRefusals(t *testing.T) {
	e := newEnv(t)
	secret := e.enrol("ops@example.com")
	ctx := context.Background()
	wrongCode := "000000"
	if e.code(secret) == wrongCode {
		wrongCode = "111111"
	}
	for _, c := range []struct {
		name, email, password, code, why string
	}{
		{"wrong password", "ops@example.com", "not the password", e.code(secret), "wrong password"},
		{"wrong code", "ops@example.com", password, wrongCode, "wrong authenticator code"},
		{"missing code", "ops@example.com", password, "", "no authenticator code"},
		{"unknown address", "nobody@example.com", password, e.code(secret), "unknown address"},
	} {
		if _, err := e.svc.Login(ctx, c.email, c.password, c.code); !fault.Is(err, fault.Unauthorized) {
			t.Errorf("%s: err = %v, want unauthorized", c.name, err)
		}
	}
	var whys []string
	for _, r := range e.auditRows(actionLogin) {
		if r.Outcome == outcomeFailed {
			whys = append(whys, r.Detail)
		}
	}
	if got := strings.Join(whys, ","); got != "wrong password,wrong authenticator code,no authenticator code,unknown address" {
		t.Fatalf("failed logins audited as %q", got)
	}
	// Over HTTP the code is part of the schema: a request without one is refused before any check.
	status, raw := e.call(http.MethodPost, Prefix+"/login", "", loginBody{Email: "ops@example.com", Password: password})
	wantError(t, status, raw, http.StatusUnprocessableEntity, "invalid_input")
	status, raw = e.call(http.MethodPost, Prefix+"/login", "", loginBody{"ops@example.com", password, wrongCode})
	wantError(t, status, raw, http.StatusUnauthorized, "invalid_credentials")
}

func TestUsedCodeIsNotAcceptedAgain(t *testing.T) {
	e := newEnv(t)
	secret := e.enrol("ops@example.com")
	ctx := context.Background()
	first := e.code(secret)
	if _, err := e.svc.Login(ctx, "ops@example.com", password, first); err != nil {
		t.Fatalf("first use: %v", err)
	}
	if _, err := e.svc.Login(ctx, "ops@example.com", password, first); !fault.Is(err, fault.Unauthorized) {
		t.Fatalf("replay in the same step: err = %v, want unauthorized", err)
	}
	// One step later the old code is still inside the skew window, and still refused.
	e.clock.advance(30 * time.Second)
	if _, err := e.svc.Login(ctx, "ops@example.com", password, first); !fault.Is(err, fault.Unauthorized) {
		t.Fatalf("replay in the next step: err = %v, want unauthorized", err)
	}
	next := e.code(secret)
	if _, err := e.svc.Login(ctx, "ops@example.com", password, next); err != nil {
		t.Fatalf("the next step's code: %v", err)
	}
	replays := 0
	for _, r := range e.auditRows(actionLogin) {
		if r.Detail == "authenticator code used before" {
			replays++
		}
	}
	if replays != 2 {
		t.Fatalf("%d replays audited, want 2", replays)
	}
}

func TestFailedLoginsAreThrottled(t *testing.T) {
	e := newEnv(t)
	secret := e.enrol("ops@example.com")
	for i := 0; i < addressFailures; i++ {
		status, raw := e.call(http.MethodPost, Prefix+"/login", "", loginBody{"ops@example.com", "guess number " + string(rune('a'+i)), e.code(secret)})
		wantError(t, status, raw, http.StatusUnauthorized, "invalid_credentials")
		e.clock.advance(time.Second)
	}
	// Locked now: even the right password and code are turned away.
	status, raw := e.call(http.MethodPost, Prefix+"/login", "", loginBody{"ops@example.com", password, e.code(secret)})
	wantError(t, status, raw, http.StatusTooManyRequests, "too_many_attempts")
	if refused := e.auditRows(actionLogin); refused[len(refused)-1].Outcome != outcomeRefused {
		t.Fatalf("the locked attempt is audited as %q", refused[len(refused)-1].Outcome)
	}
	e.clock.advance(throttleWindow)
	e.login("ops@example.com", secret)
}

func TestSessionExpiresAndLogoutEndsIt(t *testing.T) {
	e := newEnv(t)
	secret := e.enrol("ops@example.com")
	token := e.login("ops@example.com", secret)
	e.clock.advance(SessionLifetime - time.Second)
	if status, raw := e.call(http.MethodGet, Prefix+"/tenants", token, nil); status != http.StatusOK {
		t.Fatalf("a second before expiry: %d %s", status, raw)
	}
	e.clock.advance(time.Second)
	status, raw := e.call(http.MethodGet, Prefix+"/tenants", token, nil)
	wantError(t, status, raw, http.StatusUnauthorized, "session_ended")

	token = e.login("ops@example.com", secret)
	if status, raw := e.call(http.MethodPost, Prefix+"/logout", token, nil); status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", status, raw)
	}
	status, raw = e.call(http.MethodGet, Prefix+"/tenants", token, nil)
	wantError(t, status, raw, http.StatusUnauthorized, "session_ended")
	if n := len(e.auditRows(actionLogout)); n != 1 {
		t.Fatalf("%d logouts audited, want 1", n)
	}
}

func TestDisabledOperatorIsLockedOut(t *testing.T) {
	e := newEnv(t)
	secret := e.enrol("ops@example.com")
	token := e.login("ops@example.com", secret)
	if err := e.svc.DisableOperator(context.Background(), "ops@example.com"); err != nil {
		t.Fatal(err)
	}
	status, raw := e.call(http.MethodGet, Prefix+"/tenants", token, nil)
	wantError(t, status, raw, http.StatusUnauthorized, "session_ended")
	e.clock.advance(30 * time.Second)
	status, raw = e.call(http.MethodPost, Prefix+"/login", "", loginBody{"ops@example.com", password, e.code(secret)})
	wantError(t, status, raw, http.StatusForbidden, "operator_disabled")
}

func TestEveryOperationButLoginNeedsAnOperatorSession(t *testing.T) {
	e := newEnv(t)
	id := e.addTenant("acme", "Acme", "fmcg", StatusActive)
	paths := []struct{ method, path string }{
		{http.MethodPost, "/logout"},
		{http.MethodGet, "/tenants"},
		{http.MethodGet, "/tenants/" + id.String()},
		{http.MethodPost, "/tenants/" + id.String() + "/suspend"},
		{http.MethodPost, "/tenants/" + id.String() + "/resume"},
		{http.MethodPost, "/tenants/" + id.String() + "/support-access"},
		{http.MethodGet, "/tenants/" + id.String() + "/support-access"},
		{http.MethodDelete, "/tenants/" + id.String() + "/support-access/" + id.String()},
	}
	for _, token := range []string{"", "rfo_not-a-token", "rft_a-tenant-token"} {
		for _, p := range paths {
			status, raw := e.call(p.method, Prefix+p.path, token, nil)
			if status != http.StatusUnauthorized {
				t.Errorf("%s %s with %q: %d %s, want 401", p.method, p.path, token, status, raw)
			}
		}
	}
	// The operator API has its own document; the tenants' one does not describe it.
	if status, raw := e.call(http.MethodGet, "/admin/api/openapi.json", "", nil); status != http.StatusOK || !strings.Contains(string(raw), Prefix+"/tenants") {
		t.Fatalf("operator OpenAPI: %d", status)
	}
	if _, raw := e.call(http.MethodGet, "/api/openapi.json", "", nil); strings.Contains(string(raw), "/admin/") {
		t.Fatal("the tenant API's document lists operator operations")
	}
}
