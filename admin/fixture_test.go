package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/repflow/repflow/platform/auth"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/platform/web"
)

// cheap keeps the tests fast; production uses defaultCost.
var cheap = auth.Params{Memory: 64, Time: 1, Threads: 1}

// clock is the injected time; it starts in the middle of a TOTP step, so a code computed at
// it is still the current one a few seconds later.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	t     *testing.T
	st    *store.Store
	clock *clock
	svc   *Service
	srv   *web.Server
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := storetest.Open(t)
	c := &clock{t: time.Date(2025, 3, 1, 9, 0, 10, 0, time.UTC)}
	svc := New(st, Config{Now: c.now})
	svc.cost = cheap
	srv := web.New(web.Options{Version: "test", Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	svc.Register(NewAPI(srv.App, "test"))
	return &env{t: t, st: st, clock: c, svc: svc, srv: srv}
}

const password = "correct horse battery"

// enrol creates an operator and returns the TOTP secret its otpauth URL carries, as an
// authenticator app would read it.
func (e *env) enrol(email string) string {
	e.t.Helper()
	url, err := e.svc.CreateOperator(context.Background(), email, "Olga Operator", password)
	if err != nil {
		e.t.Fatalf("create operator: %v", err)
	}
	key, err := otp.NewKeyFromURL(url)
	if err != nil {
		e.t.Fatalf("otpauth URL %q: %v", url, err)
	}
	return key.Secret()
}

// code is the authenticator app's code at the clock's time.
func (e *env) code(secret string) string {
	e.t.Helper()
	c, err := totp.GenerateCode(secret, e.clock.now())
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// call sends a request to the operator API with token (none when ""), and returns the status
// and body.
func (e *env) call(method, path, token string, body any) (int, []byte) {
	e.t.Helper()
	var r io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.srv.App.Test(req, -1)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, out
}

type loginBody struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Code     string `json:"code,omitempty"`
}

// login signs in over HTTP and returns the token, failing the test unless it works.
func (e *env) login(email, secret string) string {
	e.t.Helper()
	status, raw := e.call(http.MethodPost, Prefix+"/login", "", loginBody{email, password, e.code(secret)})
	if status != http.StatusOK {
		e.t.Fatalf("login: %d %s", status, raw)
	}
	return decode[struct {
		Token string `json:"token"`
	}](e.t, raw).Token
}

// signedIn returns a context acting as a fresh operator, for service calls.
func (e *env) signedIn(email string) context.Context {
	e.t.Helper()
	secret := e.enrol(email)
	sess, err := e.svc.Login(context.Background(), email, password, e.code(secret))
	if err != nil {
		e.t.Fatalf("login: %v", err)
	}
	ctx, err := e.svc.Authenticate(context.Background(), sess.Token)
	if err != nil {
		e.t.Fatalf("authenticate: %v", err)
	}
	return ctx
}

// addTenant inserts a tenants row the way provisioning does, through the owner handle.
func (e *env) addTenant(slug, name, industry, status string) uuid.UUID {
	e.t.Helper()
	now := e.clock.now()
	row := tenantRow{ID: identity.NewID(), Slug: slug, Name: name, Industry: industry, TimeZone: "Asia/Shanghai",
		Currency: "CNY", Status: status, CreatedAt: now, UpdatedAt: now}
	if err := e.st.Owner(context.Background()).Create(&row).Error; err != nil {
		e.t.Fatalf("insert tenant: %v", err)
	}
	return row.ID
}

// auditRows returns operator_audit's rows for action, oldest first.
func (e *env) auditRows(action string) []auditRow {
	e.t.Helper()
	var rows []auditRow
	if err := e.st.Owner(context.Background()).Where("action = ?", action).Order("id").Find(&rows).Error; err != nil {
		e.t.Fatal(err)
	}
	return rows
}

func decode[T any](t testing.TB, raw []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return v
}

type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Details []struct {
			Location string `json:"location"`
		} `json:"details"`
	} `json:"error"`
}

// wantError checks an error answer's status and code.
func wantError(t testing.TB, status int, raw []byte, wantStatus int, code string) apiError {
	t.Helper()
	e := decode[apiError](t, raw)
	if status != wantStatus || e.Error.Code != code || e.Error.Message == "" {
		t.Fatalf("got %d %s, want %d with code %s", status, raw, wantStatus, code)
	}
	return e
}
