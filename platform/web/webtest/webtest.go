// Package webtest drives a web.Server in a domain's tests as a signed-in user, without the auth
// package: the tenant and user travel in two headers, and the principal is loaded from them the
// way auth loads it, inside that tenant. Only tests import it.
package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web"
)

// The headers that name the caller.
const (
	TenantHeader = "X-Test-Tenant"
	UserHeader   = "X-Test-User"
)

// Principals loads an active user's principal inside the context's tenant, as the organisation
// service's Principal does.
type Principals func(ctx context.Context, userID uuid.UUID) (identity.Principal, error)

// Authenticate is a web.Options.Authenticate that reads the caller from the test headers.
func Authenticate(load Principals) func(*fiber.Ctx) (identity.Principal, bool, error) {
	return func(c *fiber.Ctx) (identity.Principal, bool, error) {
		if c.Get(UserHeader) == "" {
			return identity.Principal{}, false, nil
		}
		tenant, err1 := uuid.Parse(c.Get(TenantHeader))
		user, err2 := uuid.Parse(c.Get(UserHeader))
		if err1 != nil || err2 != nil {
			return identity.Principal{}, false, errors.New("bad test credentials")
		}
		p, err := load(identity.System(c.UserContext(), tenant), user)
		return p, err == nil, err
	}
}

// Caller names who sends a request; the zero Caller is anonymous.
type Caller struct{ Tenant, User uuid.UUID }

// Sign names the caller in req's headers, for requests Call cannot make (raw bodies, streams).
func (as Caller) Sign(req *http.Request) {
	if as.User != uuid.Nil {
		req.Header.Set(TenantHeader, as.Tenant.String())
		req.Header.Set(UserHeader, as.User.String())
	}
}

// Call sends a request as the caller and returns the status and body. body is JSON-encoded,
// unless it is a string, which is sent as it is (for malformed JSON).
func Call(t testing.TB, srv *web.Server, as Caller, method, path string, body any) (int, []byte) {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	as.Sign(req)
	resp, err := srv.App.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

// Error is the API's error shape, for assertions.
type Error struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Details []struct {
			Location string `json:"location"`
			Message  string `json:"message"`
		} `json:"details"`
	} `json:"error"`
}

// Decode unmarshals a JSON answer, failing the test when it is not one.
func Decode[T any](t testing.TB, raw []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return v
}

// WantError checks an error answer: its status, its code (when not ""), that it has a message,
// and (when location is not "") the first detail's location.
func WantError(t testing.TB, status int, raw []byte, wantStatus int, code, location string) {
	t.Helper()
	e := Decode[Error](t, raw)
	if status != wantStatus || (code != "" && e.Error.Code != code) || e.Error.Message == "" {
		t.Fatalf("status %d body %s, want %d with code %q", status, raw, wantStatus, code)
	}
	if location != "" && (len(e.Error.Details) == 0 || e.Error.Details[0].Location != location) {
		t.Fatalf("body %s, want the first detail at %s", raw, location)
	}
}
