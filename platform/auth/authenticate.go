package auth

import (
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web"
)

var (
	errBadAuthorization = fault.New(fault.Unauthorized, "bad_authorization",
		`the Authorization header must read "Bearer <token>"`)
	errCSRF = fault.New(fault.Forbidden, "csrf_failed",
		"this request needs the "+web.CSRFHeader+" header set to the csrf_token returned at sign-in")
)

// Authenticate finds the caller of a request, for web.Options.Authenticate: a bearer token from
// the Authorization header, else the session cookie, whose unsafe requests must also carry the
// CSRF token. No credentials: (zero, false, nil). Bad, expired or revoked ones: a fault.
func (s *Service) Authenticate(c *fiber.Ctx) (identity.Principal, bool, error) {
	// Signing in ignores whatever credentials come along: a stale cookie must never stand between
	// a person and logging in again.
	if signInPaths[strings.ToLower(strings.TrimSuffix(c.Path(), "/"))] {
		return identity.Principal{}, false, nil
	}
	ctx := c.UserContext()
	if h := c.Get(fiber.HeaderAuthorization); h != "" {
		scheme, token, _ := strings.Cut(strings.TrimSpace(h), " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return identity.Principal{}, false, errBadAuthorization
		}
		_, p, err := s.resolve(ctx, strings.TrimSpace(token), prefixToken)
		if err != nil {
			return identity.Principal{}, false, err
		}
		return p, true, nil
	}
	cookie := c.Cookies(web.SessionCookie)
	if cookie == "" {
		return identity.Principal{}, false, nil
	}
	row, p, err := s.resolve(ctx, cookie, prefixSession)
	if err != nil {
		if isDead(err) {
			// Drop the dead cookie, so the browser stops presenting it.
			c.Append(fiber.HeaderSetCookie, s.sessionCookie("", time.Unix(0, 0), c.Secure()).String())
		}
		return identity.Principal{}, false, err
	}
	if unsafeMethod(c.Method()) && !sameHash(digest([]byte(c.Get(web.CSRFHeader))), row.CSRFHash) {
		return identity.Principal{}, false, errCSRF
	}
	return p, true, nil
}

// unsafeMethod reports whether method changes state, and so needs CSRF protection.
func unsafeMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return false
	}
	return true
}

// sessionCookie carries a web session: HTTP-only (no script reads it), SameSite=Lax (other
// sites' forms and scripts do not send it), Secure on TLS. expires at the epoch deletes it.
func (s *Service) sessionCookie(value string, expires time.Time, tls bool) *http.Cookie {
	ck := &http.Cookie{
		Name: web.SessionCookie, Value: value, Path: "/", Expires: expires.UTC(),
		HttpOnly: true, Secure: tls || s.cfg.SecureCookie, SameSite: http.SameSiteLaxMode,
	}
	if value == "" {
		ck.MaxAge = -1
	}
	return ck
}
