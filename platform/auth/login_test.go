package auth

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web"
)

const anaPassword = "correct horse battery"

func TestLoginWebSetsCookieAndReturnsCSRFToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	ana := e.user(tenant, root, "Ana@Example.com", anaPassword, identity.RoleManager)

	r := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "  ANA@example.com ", "password": anaPassword, "client": "web"})
	e.expect(r, 200, "")
	if r.str("user_id") != ana.String() || r.str("tenant_id") != tenant.String() {
		t.Errorf("login body = %s, want user %s of tenant %s", r.Raw, ana, tenant)
	}
	if r.str("csrf_token") == "" || r.str("expires_at") == "" || r.str("token") != "" {
		t.Errorf("web login body = %s, want csrf_token and expires_at and no token", r.Raw)
	}
	c := r.cookie()
	if c == nil {
		t.Fatalf("no session cookie in %v", r.Header)
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure on plain HTTP", c)
	}
	if !strings.HasPrefix(c.Value, prefixSession) {
		t.Errorf("cookie value %q lacks the %s prefix", c.Value, prefixSession)
	}
	wantExpiry := e.clock.Now().Add(30 * 24 * time.Hour)
	if got, _ := time.Parse(time.RFC3339, r.str("expires_at")); !got.Equal(wantExpiry) {
		t.Errorf("expires_at = %s, want %s", r.str("expires_at"), wantExpiry)
	}

	list := e.call("GET", "/api/v1/auth/tokens", nil, "Cookie", web.SessionCookie+"="+c.Value)
	e.expect(list, 200, "")
	toks := list.Body["tokens"].([]any)
	if len(toks) != 1 || toks[0].(map[string]any)["kind"] != KindWeb || toks[0].(map[string]any)["current"] != true {
		t.Errorf("tokens = %s, want the one current web session", list.Raw)
	}
	want := []event{{Tenant: tenant, User: ana, Action: ActionLogin, Resource: "user:" + ana.String(), Outcome: OutcomeOK}}
	if d := cmp.Diff(want, e.rec.all()); d != "" {
		t.Errorf("recorded (-want +got):\n%s", d)
	}
}

func TestLoginMobileReturnsBearerTokenWithoutCSRF(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep)

	r := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "ana@example.com", "password": anaPassword, "client": "mobile"})
	e.expect(r, 200, "")
	if r.cookie() != nil || r.str("csrf_token") != "" || !strings.HasPrefix(r.str("token"), prefixToken) {
		t.Fatalf("mobile login = %v %s, want a %s token and no cookie or csrf token", r.Header, r.Raw, prefixToken)
	}
	wantExpiry := e.clock.Now().Add(90 * 24 * time.Hour)
	if got, _ := time.Parse(time.RFC3339, r.str("expires_at")); !got.Equal(wantExpiry) {
		t.Errorf("expires_at = %s, want %s", r.str("expires_at"), wantExpiry)
	}
	bearer := "Bearer " + r.str("token")
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Authorization", bearer), 200, "")
	// An unsafe request with a bearer token needs no CSRF header: browsers never send it unasked.
	e.expect(e.call("POST", "/api/v1/auth/tokens", map[string]any{"name": "sync"}, "Authorization", bearer), 201, "")
}

func TestWrongPasswordAndUnknownEmailAnswerAlike(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	ana := e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep)
	e.user(tenant, root, "nopass@example.com", "", identity.RoleRep)

	wrong := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "ana@example.com", "password": "not the password", "client": "web"})
	unknown := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "nobody@example.com", "password": "not the password", "client": "web"})
	noPassword := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "nopass@example.com", "password": "anything at all", "client": "mobile"})
	e.expect(wrong, 401, "invalid_credentials")
	for name, r := range map[string]response{"unknown e-mail": unknown, "user without password": noPassword} {
		if d := cmp.Diff(wrong.Body, r.Body); d != "" || r.Status != wrong.Status {
			t.Errorf("%s answers %d, wrong password %d; bodies (-wrong +%s):\n%s", name, r.Status, wrong.Status, name, d)
		}
	}
	// The rejection is audited in the tenant when the address is known, without naming an actor.
	got := e.rec.all()
	if len(got) != 2 || got[0] != (event{Tenant: tenant, Action: ActionLogin, Resource: "user:" + ana.String(), Outcome: OutcomeRejected}) {
		t.Errorf("recorded %+v, want two rejections in tenant %s, the first for ana", got, tenant)
	}
}

func TestAccountLocksAfterFiveFailures(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep)
	e.user(tenant, root, "bo@example.com", anaPassword, identity.RoleRep)
	login := func(email, password string) response {
		return e.call("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": password, "client": "mobile"})
	}
	for i := range 5 {
		e.expect(login("ana@example.com", "guess number "+strconv.Itoa(i)), 401, "invalid_credentials")
	}
	locked := login("ana@example.com", anaPassword)
	e.expect(locked, 429, "too_many_attempts")
	if ra, _ := strconv.Atoi(locked.Header.Get("Retry-After")); ra != 15*60 {
		t.Errorf("Retry-After = %q, want %d", locked.Header.Get("Retry-After"), 15*60)
	}
	// Another account from the same address is not locked (the IP limit is higher).
	e.expect(login("bo@example.com", anaPassword), 200, "")

	e.clock.Advance(10 * time.Minute)
	if ra, _ := strconv.Atoi(login("ANA@example.com", anaPassword).Header.Get("Retry-After")); ra != 5*60 {
		t.Errorf("Retry-After after 10 min = %d, want %d", ra, 5*60)
	}
	e.clock.Advance(5 * time.Minute)
	e.expect(login("ana@example.com", anaPassword), 200, "")
	// Success cleared the count: four more failures do not lock.
	for range 4 {
		e.expect(login("ana@example.com", "wrong again"), 401, "invalid_credentials")
	}
	e.expect(login("ana@example.com", anaPassword), 200, "")
}

func TestUnknownEmailLocksLikeAKnownOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for range 5 {
		e.expect(e.call("POST", "/api/v1/auth/login", map[string]any{"email": "ghost@example.com", "password": "whatever1234", "client": "web"}), 401, "invalid_credentials")
	}
	e.expect(e.call("POST", "/api/v1/auth/login", map[string]any{"email": "ghost@example.com", "password": "whatever1234", "client": "web"}), 429, "too_many_attempts")
}

func TestIPLocksAfterThirtyFailures(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep)
	// Thirty different addresses, one failure each: no account reaches its limit, the IP does.
	for i := range 30 {
		r := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "spray" + strconv.Itoa(i) + "@example.com", "password": "Winter2025!", "client": "web"})
		e.expect(r, 401, "invalid_credentials")
	}
	r := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "ana@example.com", "password": anaPassword, "client": "web"})
	e.expect(r, 429, "too_many_attempts")
	if r.Header.Get("Retry-After") == "" {
		t.Error("IP lockout without Retry-After")
	}
	e.clock.Advance(15 * time.Minute)
	e.expect(e.call("POST", "/api/v1/auth/login", map[string]any{"email": "ana@example.com", "password": anaPassword, "client": "web"}), 200, "")
}

func TestDisabledUserCannotSignInOrUseSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	ana := e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep)
	bearer := e.mobileLogin("ana@example.com", anaPassword)
	e.setStatus(tenant, ana, "disabled")

	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Authorization", bearer), 401, "account_disabled")
	e.expect(e.call("POST", "/api/v1/auth/login", map[string]any{"email": "ana@example.com", "password": anaPassword, "client": "web"}), 403, "account_disabled")
	e.expect(e.call("POST", "/api/v1/auth/login", map[string]any{"email": "ana@example.com", "password": "wrong password", "client": "web"}), 401, "invalid_credentials")
}

func TestLoginRehashesWithCurrentParams(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	ana := e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep) // hashed with cheap
	stronger := Params{Memory: 128, Time: 2, Threads: 1}
	svc := New(e.s, directory{e.s}, e.mail, Config{Params: stronger, Now: e.clock.Now})
	ctx := web.WithRequest(t.Context(), web.Request{IP: "192.0.2.1"})
	if _, err := svc.Login(ctx, "ana@example.com", anaPassword, ClientWeb); err != nil {
		t.Fatalf("login with a hash of older params: %v", err)
	}
	stored, err := svc.passwordHash(identity.System(ctx, tenant), ana)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, "$argon2id$v=19$m=128,t=2,p=1$") {
		t.Errorf("hash after login = %q, want it rehashed with m=128,t=2,p=1", stored)
	}
	if _, err := svc.Login(ctx, "ana@example.com", anaPassword, ClientMobile); err != nil {
		t.Fatalf("login after rehash: %v", err)
	}
}

func TestLoginRejectsBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for name, body := range map[string]map[string]any{
		"unknown client": {"email": "a@example.com", "password": "x", "client": "desktop"},
		"no password":    {"email": "a@example.com", "client": "web"},
		"unknown field":  {"email": "a@example.com", "password": "x", "client": "web", "tenant_id": uuid.NewString()},
	} {
		if r := e.call("POST", "/api/v1/auth/login", body); r.Status != 422 || r.errorCode() == "" {
			t.Errorf("%s: got %d %s, want 422 in the error shape", name, r.Status, r.Raw)
		}
	}
}
