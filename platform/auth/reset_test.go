package auth

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
)

// resetToken takes the token out of a mailed link.
func resetToken(t *testing.T, m mail) string {
	t.Helper()
	u, err := url.Parse(m.Link)
	if err != nil || !strings.HasPrefix(m.Link, "https://app.example/reset?token=") {
		t.Fatalf("reset link %q is not on the configured page", m.Link)
	}
	return u.Query().Get("token")
}

func TestPasswordResetIsSingleUseAndEndsSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	ana := e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep)
	bearer := e.mobileLogin("ana@example.com", anaPassword)
	cookie, _ := e.webLogin("ana@example.com", anaPassword)
	// A lockout from guessing ends with the reset too.
	for range 5 {
		e.call("POST", "/api/v1/auth/login", map[string]any{"email": "ana@example.com", "password": "guessing", "client": "web"})
	}

	e.expect(e.call("POST", "/api/v1/auth/password-reset", map[string]any{"email": "Ana@Example.com"}), 202, "")
	sent := e.mail.all()
	if len(sent) != 1 || sent[0].Email != "ana@example.com" {
		t.Fatalf("mailed %+v, want one link to ana@example.com", sent)
	}
	token := resetToken(t, sent[0])

	e.expect(e.call("POST", "/api/v1/auth/password-reset/confirm", map[string]any{"token": token, "password": "short"}), 400, "weak_password")
	e.expect(e.call("POST", "/api/v1/auth/password-reset/confirm", map[string]any{"token": token, "password": "a brand new secret"}), 204, "")
	e.expect(e.call("POST", "/api/v1/auth/password-reset/confirm", map[string]any{"token": token, "password": "yet another secret"}), 400, "reset_link_invalid")

	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Authorization", bearer), 401, "invalid_token")
	e.expect(e.call("GET", "/api/v1/auth/tokens", nil, "Cookie", cookie), 401, "session_ended")
	e.expect(e.call("POST", "/api/v1/auth/login", map[string]any{"email": "ana@example.com", "password": anaPassword, "client": "web"}), 401, "invalid_credentials")
	e.mobileLogin("ana@example.com", "a brand new secret")

	var got []event
	for _, ev := range e.rec.all() {
		if ev.Action != ActionLogin {
			got = append(got, ev)
		}
	}
	res := "user:" + ana.String()
	want := []event{
		{Tenant: tenant, Action: ActionResetRequest, Resource: res, Outcome: OutcomeOK},
		{Tenant: tenant, Action: ActionResetConfirm, Resource: res, Outcome: OutcomeOK},
		{Tenant: tenant, Action: ActionResetConfirm, Resource: res, Outcome: OutcomeRejected},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("recorded (-want +got):\n%s", d)
	}
}

func TestPasswordResetExpiresAfterAnHour(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep)
	e.expect(e.call("POST", "/api/v1/auth/password-reset", map[string]any{"email": "ana@example.com"}), 202, "")
	e.expect(e.call("POST", "/api/v1/auth/password-reset", map[string]any{"email": "ana@example.com"}), 202, "")
	sent := e.mail.all()
	if len(sent) != 2 {
		t.Fatalf("mailed %d links, want 2", len(sent))
	}
	e.clock.Advance(59 * time.Minute)
	e.expect(e.call("POST", "/api/v1/auth/password-reset/confirm", map[string]any{"token": resetToken(t, sent[0]), "password": "fresh password one"}), 204, "")
	// Using one link closes the other, still unexpired, one.
	e.expect(e.call("POST", "/api/v1/auth/password-reset/confirm", map[string]any{"token": resetToken(t, sent[1]), "password": "fresh password two"}), 400, "reset_link_invalid")

	e.expect(e.call("POST", "/api/v1/auth/password-reset", map[string]any{"email": "ana@example.com"}), 202, "")
	late := resetToken(t, e.mail.all()[2])
	e.clock.Advance(time.Hour)
	e.expect(e.call("POST", "/api/v1/auth/password-reset/confirm", map[string]any{"token": late, "password": "fresh password three"}), 400, "reset_link_invalid")
	e.mobileLogin("ana@example.com", "fresh password one")
}

func TestPasswordResetAnswersUnknownAddressesAlike(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	disabled := e.user(tenant, root, "gone@example.com", anaPassword, identity.RoleRep)
	e.setStatus(tenant, disabled, "disabled")
	ana := e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep)

	known := e.call("POST", "/api/v1/auth/password-reset", map[string]any{"email": "ana@example.com"})
	e.expect(known, 202, "")
	for _, addr := range []string{"nobody@example.com", "gone@example.com"} {
		r := e.call("POST", "/api/v1/auth/password-reset", map[string]any{"email": addr})
		if d := cmp.Diff(known.Body, r.Body); r.Status != known.Status || d != "" {
			t.Errorf("%s answers %d, a known address %d; (-known +%s):\n%s", addr, r.Status, known.Status, addr, d)
		}
	}
	if sent := e.mail.all(); len(sent) != 1 || sent[0].Email != "ana@example.com" {
		t.Errorf("mailed %+v, want only ana's link", sent)
	}
	want := []event{
		{Tenant: tenant, Action: ActionResetRequest, Resource: "user:" + ana.String(), Outcome: OutcomeOK},
		{Tenant: tenant, Action: ActionResetRequest, Resource: "user:" + disabled.String(), Outcome: OutcomeRejected},
	}
	if d := cmp.Diff(want, e.rec.all()); d != "" {
		t.Errorf("recorded (-want +got):\n%s", d)
	}
}

func TestPasswordResetRefusesForgedTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tenant, root := e.tenant("acme")
	e.user(tenant, root, "ana@example.com", anaPassword, identity.RoleRep)
	e.expect(e.call("POST", "/api/v1/auth/password-reset", map[string]any{"email": "ana@example.com"}), 202, "")
	real, err := parseCredential(resetToken(t, e.mail.all()[0]), prefixReset)
	if err != nil {
		t.Fatal(err)
	}
	wrongSecret := real
	wrongSecret.secret = make([]byte, secretLen)
	for name, token := range map[string]string{
		"garbage":        "rfr_nothing",
		"wrong secret":   wrongSecret.String(),
		"unknown tenant": credential{prefixReset, uuid.New(), real.id, real.secret}.String(),
		"token prefix":   credential{prefixToken, real.tenant, real.id, real.secret}.String(),
	} {
		r := e.call("POST", "/api/v1/auth/password-reset/confirm", map[string]any{"token": token, "password": "a brand new secret"})
		if r.Status != 400 || r.errorCode() != "reset_link_invalid" {
			t.Errorf("%s: got %d %s, want 400 reset_link_invalid", name, r.Status, r.Raw)
		}
	}
	e.expect(e.call("POST", "/api/v1/auth/password-reset/confirm", map[string]any{"token": real.String(), "password": "a brand new secret"}), 204, "")
}
