package auth

import (
	"context"
	"strings"
	"testing"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web"
)

func TestSetPasswordValidates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	ana := e.user(tenant, root, "Ana.Lopez@example.com", "", identity.RoleRep)
	ctx := identity.System(context.Background(), tenant)

	for _, tc := range []struct {
		name, password, wantIn string // wantIn: part of the message, "" for accepted
	}{
		{"too short", "abc123xyz", "at least 10 characters"},
		{"one character repeated", "aaaaaaaaaaaa", "repeats a single character"},
		{"one multibyte character repeated", "ßßßßßßßßßßßß", "repeats a single character"},
		{"the e-mail address", "ana.lopez@EXAMPLE.com", "e-mail address"},
		{"too long", strings.Repeat("ab", 129), "at most 256 characters"},
		{"ten characters", "abcdefghij", ""},
		{"multibyte ten characters", "äöüßéèêëïî", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := e.svc.SetPassword(ctx, ana, tc.password)
			if tc.wantIn == "" {
				if err != nil {
					t.Fatalf("SetPassword(%q) = %v, want it accepted", tc.password, err)
				}
				if _, err := e.svc.Login(ctx, "ana.lopez@example.com", tc.password, ClientMobile); err != nil {
					t.Fatalf("login with the password just set: %v", err)
				}
				return
			}
			f, ok := fault.As(err)
			if !ok || f.Kind != fault.Invalid || f.Code != "weak_password" || !strings.Contains(f.Message, tc.wantIn) {
				t.Fatalf("SetPassword(%q) = %v, want an Invalid weak_password fault mentioning %q", tc.password, err, tc.wantIn)
			}
		})
	}
}

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep)
	cookie, csrf := e.webLogin("ana@example.com", anaPassword)
	other := e.mobileLogin("ana@example.com", anaPassword)
	change := func(current, next string) response {
		return e.call("POST", "/api/v1/auth/password", map[string]any{"current_password": current, "new_password": next},
			"Cookie", cookie, web.CSRFHeader, csrf)
	}

	e.expect(change("not my password", "a brand new secret"), 400, "wrong_password")
	e.expect(change(anaPassword, "short"), 400, "weak_password")
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Authorization", other), 200, "")
	e.expect(change(anaPassword, "a brand new secret"), 204, "")

	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Cookie", cookie), 200, "")
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Authorization", other), 401, "invalid_token")
	e.mobileLogin("ana@example.com", "a brand new secret")
	e.expect(e.call("POST", "/api/v1/auth/login", map[string]any{"email": "ana@example.com", "password": anaPassword, "client": "web"}), 401, "invalid_credentials")
}

func TestChangePasswordGuessesLockTheAccount(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep)
	bearer := e.mobileLogin("ana@example.com", anaPassword)
	for range 5 {
		e.expect(e.call("POST", "/api/v1/auth/password", map[string]any{"current_password": "guess", "new_password": "a brand new secret"},
			"Authorization", bearer), 400, "wrong_password")
	}
	e.expect(e.call("POST", "/api/v1/auth/password", map[string]any{"current_password": anaPassword, "new_password": "a brand new secret"},
		"Authorization", bearer), 429, "too_many_attempts")
}

func TestHashIsPHCAndVerifiesWithItsOwnParams(t *testing.T) {
	t.Parallel()
	p := Params{Memory: 32, Time: 3, Threads: 2}.withDefaults()
	h := hashPassword("correct horse", p)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=32,t=3,p=2$") || len(strings.Split(h, "$")) != 6 {
		t.Fatalf("hash %q is not a PHC argon2id string with m=32,t=3,p=2", h)
	}
	if h == hashPassword("correct horse", p) {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for pw, want := range map[string]bool{"correct horse": true, "correct horsf": false, "": false} {
		if ok, err := verifyPassword(pw, h); err != nil || ok != want {
			t.Errorf("verify(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	if d := DefaultParams(); d.Memory != 19456 || d.Time != 2 || d.Threads != 1 {
		t.Errorf("DefaultParams = %+v, want OWASP's m=19456 t=2 p=1", d)
	}
	for _, bad := range []string{
		"", "plain", "$argon2i$v=19$m=32,t=3,p=2$c2FsdA$aGFzaA",
		"$argon2id$v=16$m=32,t=3,p=2$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=99999999,t=3,p=2$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=32,t=0,p=2$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=32,t=3,p=2$c2FsdA$",
		"$argon2id$v=19$m=32,t=3,p=2$!!$aGFzaA",
	} {
		if _, err := verifyPassword("x", bad); err == nil {
			t.Errorf("verify against %q: no error", bad)
		}
	}
}
