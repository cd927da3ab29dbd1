package auth

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web"
)

func TestCookieSessionNeedsCSRFOnUnsafeMethods(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep)
	cookie, csrf := e.webLogin("ana@example.com", anaPassword)
	body := map[string]any{"name": "erp"}

	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Cookie", cookie), 200, "")
	r := e.call("POST", "/api/v1/auth/tokens", body, "Cookie", cookie)
	e.expect(r, 403, "csrf_failed")
	if !strings.Contains(r.Raw, web.CSRFHeader) {
		t.Errorf("CSRF refusal %s does not name the %s header", r.Raw, web.CSRFHeader)
	}
	e.expect(e.call("POST", "/api/v1/auth/tokens", body, "Cookie", cookie, web.CSRFHeader, csrf+"x"), 403, "csrf_failed")
	e.expect(e.call("DELETE", "/api/v1/auth/tokens/"+uuid.NewString(), nil, "Cookie", cookie), 403, "csrf_failed")
	e.expect(e.call("POST", "/api/v1/auth/tokens", body, "Cookie", cookie, web.CSRFHeader, csrf), 201, "")

	// Another session's CSRF token does not fit this one.
	_, otherCSRF := e.webLogin("ana@example.com", anaPassword)
	e.expect(e.call("POST", "/api/v1/auth/logout", nil, "Cookie", cookie, web.CSRFHeader, otherCSRF), 403, "csrf_failed")
}

func TestTokenListShowsNoSecrets(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep)
	cookie, csrf := e.webLogin("ana@example.com", anaPassword)
	created := e.call("POST", "/api/v1/auth/tokens", map[string]any{"name": "ERP sync", "expires_in_days": 7},
		"Cookie", cookie, web.CSRFHeader, csrf, "User-Agent", "curl/8")
	e.expect(created, 201, "")
	secret := created.str("token")
	if !strings.HasPrefix(secret, prefixToken) || created.str("name") != "ERP sync" {
		t.Fatalf("created token = %s", created.Raw)
	}

	list := e.call("GET", "/api/v1/auth/tokens", nil, "Authorization", "Bearer "+secret)
	e.expect(list, 200, "")
	cookieValue := strings.TrimPrefix(cookie, web.SessionCookie+"=")
	for _, leak := range []string{secret, cookieValue, csrf, "secret", "hash"} {
		if strings.Contains(list.Raw, leak) {
			t.Errorf("token list %s contains %q", list.Raw, leak)
		}
	}
	type row struct{ Kind, Name, UserAgent, ExpiresAt string }
	var got []row
	for _, x := range list.Body["tokens"].([]any) {
		m := x.(map[string]any)
		exp, _ := m["expires_at"].(string)
		got = append(got, row{m["kind"].(string), m["name"].(string), m["user_agent"].(string), exp})
	}
	now := e.clock.Now()
	want := []row{
		{KindToken, "ERP sync", "curl/8", now.Add(7 * 24 * time.Hour).Format(time.RFC3339)},
		{KindWeb, "web session", "", now.Add(30 * 24 * time.Hour).Format(time.RFC3339)},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("tokens (-want +got):\n%s", d)
	}
}

func TestRevokedAndExpiredTokensAreRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep)
	bearer := e.mobileLogin("ana@example.com", anaPassword)
	create := func(body map[string]any) (id, auth string) {
		r := e.call("POST", "/api/v1/auth/tokens", body, "Authorization", bearer)
		e.expect(r, 201, "")
		return r.str("id"), "Bearer " + r.str("token")
	}
	revokedID, revoked := create(map[string]any{"name": "to revoke"})
	_, shortLived := create(map[string]any{"name": "a day", "expires_in_days": 1})
	_, forever := create(map[string]any{"name": "forever"})

	e.expect(e.call("DELETE", "/api/v1/auth/tokens/"+revokedID, nil, "Authorization", bearer), 204, "")
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Authorization", revoked), 401, "invalid_token")
	e.expect(e.call("DELETE", "/api/v1/auth/tokens/"+revokedID, nil, "Authorization", bearer), 404, "not_found")

	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Authorization", shortLived), 200, "")
	e.clock.Advance(24*time.Hour + time.Second)
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Authorization", shortLived), 401, "invalid_token")
	e.clock.Advance(5 * 365 * 24 * time.Hour)
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Authorization", forever), 200, "")
}

func TestMalformedAndForgedCredentialsAreRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenantA, rootA := e.tenant("acme")
	tenantB, rootB := e.tenant("globex")
	e.user(tenantA, rootA, "ana@example.com", anaPassword, identity.RoleRep)
	e.user(tenantB, rootB, "bea@example.com", anaPassword, identity.RoleRep)
	token := strings.TrimPrefix(e.mobileLogin("ana@example.com", anaPassword), "Bearer ")
	cred, err := parseCredential(token, prefixToken)
	if err != nil {
		t.Fatal(err)
	}
	cookie, _ := e.webLogin("ana@example.com", anaPassword)
	cookieValue := strings.TrimPrefix(cookie, web.SessionCookie+"=")

	moved := cred
	moved.tenant = tenantB // the same row id and secret, claimed for another tenant
	guessed := cred
	guessed.secret = make([]byte, secretLen)
	for name, header := range map[string][]string{
		"garbage":              {"Authorization", "Bearer nonsense"},
		"other tenant":         {"Authorization", "Bearer " + moved.String()},
		"wrong secret":         {"Authorization", "Bearer " + guessed.String()},
		"session as bearer":    {"Authorization", "Bearer " + cookieValue},
		"token as cookie":      {"Cookie", web.SessionCookie + "=" + token},
		"unknown tenant token": {"Authorization", "Bearer " + credential{prefixToken, identity.NewID(), cred.id, cred.secret}.String()},
	} {
		r := e.call("GET", "/api/v1/auth/tokens", nil, header...)
		if r.Status != 401 {
			t.Errorf("%s: got %d %s, want 401", name, r.Status, r.Raw)
		}
	}
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l"), 401, "bad_authorization")
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil), 401, "unauthenticated")
}

func TestWebSessionIdleTimeoutAndLifetime(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep)

	idle, _ := e.webLogin("ana@example.com", anaPassword)
	e.clock.Advance(12*time.Hour + time.Minute)
	r := e.call("GET", "/api/v1/auth/tokens", nil, "Cookie", idle)
	e.expect(r, 401, "session_ended")
	if c := r.cookie(); c == nil || c.Value != "" || c.MaxAge >= 0 {
		t.Errorf("a dead session's cookie is not cleared: %v", r.Header.Values("Set-Cookie"))
	}

	// Used every 11 hours, a session slides past the idle timeout but not past 30 days.
	active, _ := e.webLogin("ana@example.com", anaPassword)
	start := e.clock.Now()
	for e.clock.Now().Before(start.Add(30*24*time.Hour - 11*time.Hour)) {
		e.clock.Advance(11 * time.Hour)
		e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Cookie", active), 200, "")
	}
	e.clock.Advance(11 * time.Hour)
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Cookie", active), 401, "session_ended")
}

func TestStaleCookieDoesNotBlockSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep)
	cookie, csrf := e.webLogin("ana@example.com", anaPassword)
	e.expect(e.call("POST", "/api/v1/auth/logout", nil, "Cookie", cookie, web.CSRFHeader, csrf), 204, "")
	// No CSRF header and a revoked cookie: login still works.
	r := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "ana@example.com", "password": anaPassword, "client": "web"}, "Cookie", cookie)
	e.expect(r, 200, "")
}

func TestLogoutEndsOnlyTheCurrentSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep)
	cookie, csrf := e.webLogin("ana@example.com", anaPassword)
	bearer := e.mobileLogin("ana@example.com", anaPassword)

	r := e.call("POST", "/api/v1/auth/logout", nil, "Cookie", cookie, web.CSRFHeader, csrf)
	e.expect(r, 204, "")
	if c := r.cookie(); c == nil || c.Value != "" || c.MaxAge >= 0 {
		t.Errorf("logout does not clear the cookie: %v", r.Header.Values("Set-Cookie"))
	}
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Cookie", cookie), 401, "session_ended")
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Authorization", bearer), 200, "")
	e.expect(e.call("POST", "/api/v1/auth/logout", nil, "Authorization", bearer), 204, "")
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Authorization", bearer), 401, "invalid_token")
}

func TestLogoutAllEndsEverySessionAndToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep)
	e.user(tenant, root, "bo@example.com", anaPassword, identity.RoleRep)
	cookie, _ := e.webLogin("ana@example.com", anaPassword)
	bearer := e.mobileLogin("ana@example.com", anaPassword)
	api := e.call("POST", "/api/v1/auth/tokens", map[string]any{"name": "erp"}, "Authorization", bearer)
	e.expect(api, 201, "")
	bo := e.mobileLogin("bo@example.com", anaPassword)

	e.expect(e.call("POST", "/api/v1/auth/logout-all", nil, "Authorization", "Bearer "+api.str("token")), 204, "")
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Cookie", cookie), 401, "session_ended")
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Authorization", bearer), 401, "invalid_token")
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Authorization", "Bearer "+api.str("token")), 401, "invalid_token")
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Authorization", bo), 200, "")
}

func TestOthersTokensAreNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenantA, rootA := e.tenant("acme")
	tenantB, rootB := e.tenant("globex")
	e.user(tenantA, rootA, "ana@example.com", anaPassword, identity.RoleTenantAdmin)
	e.user(tenantA, rootA, "bo@example.com", anaPassword, identity.RoleRep)
	e.user(tenantB, rootB, "bea@example.com", anaPassword, identity.RoleTenantAdmin)
	ana := e.mobileLogin("ana@example.com", anaPassword)
	bo := e.mobileLogin("bo@example.com", anaPassword)
	bea := e.mobileLogin("bea@example.com", anaPassword)
	boToken := e.call("POST", "/api/v1/auth/tokens", map[string]any{"name": "bo's"}, "Authorization", bo)
	e.expect(boToken, 201, "")
	anaToken := e.call("POST", "/api/v1/auth/tokens", map[string]any{"name": "ana's"}, "Authorization", ana)
	e.expect(anaToken, 201, "")

	// A colleague's token (even for a tenant admin) and another tenant's look the same: missing.
	e.expect(e.call("DELETE", "/api/v1/auth/tokens/"+boToken.str("id"), nil, "Authorization", ana), 404, "not_found")
	e.expect(e.call("DELETE", "/api/v1/auth/tokens/"+anaToken.str("id"), nil, "Authorization", bea), 404, "not_found")
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Authorization", "Bearer "+boToken.str("token")), 200, "")
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Authorization", "Bearer "+anaToken.str("token")), 200, "")
	if r := e.call("DELETE", "/api/v1/auth/tokens/not-a-uuid", nil, "Authorization", ana); r.Status != 422 {
		t.Errorf("malformed id: got %d %s, want 422", r.Status, r.Raw)
	}
}

func TestSessionCookieIsSecureOnTLSOrBehindATLSProxy(t *testing.T) {
	t.Parallel()
	exp := time.Date(2025, 3, 31, 9, 0, 0, 0, time.UTC)
	plain := New(nil, nil, nil, Config{Params: cheap})
	proxied := New(nil, nil, nil, Config{Params: cheap, SecureCookie: true})
	for _, tc := range []struct {
		svc  *Service
		tls  bool
		want bool
	}{{plain, false, false}, {plain, true, true}, {proxied, false, true}} {
		c := tc.svc.sessionCookie("rfs_x", exp, tc.tls)
		if c.Secure != tc.want || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || !c.Expires.Equal(exp) {
			t.Errorf("cookie (tls=%v, SecureCookie=%v) = %+v, want Secure=%v, HttpOnly, Lax, expiring %s",
				tc.tls, tc.svc.cfg.SecureCookie, c, tc.want, exp)
		}
	}
}
