package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/platform/web"
)

// cheap keeps the tests fast; production uses DefaultParams.
var cheap = Params{Memory: 64, Time: 1, Threads: 1}

// directory is the org package's part, read straight from migration 1's tables.
type directory struct{ s *store.Store }

type userRow struct {
	TenantID uuid.UUID `gorm:"primaryKey"`
	ID       uuid.UUID `gorm:"primaryKey"`
	Status   string
	RegionID uuid.UUID
}

func (userRow) TableName() string { return "users" }

type regionRow struct {
	TenantID uuid.UUID `gorm:"primaryKey"`
	ID       uuid.UUID `gorm:"primaryKey"`
	Path     string
}

func (regionRow) TableName() string { return "regions" }

type roleRow struct {
	TenantID uuid.UUID `gorm:"primaryKey"`
	UserID   uuid.UUID `gorm:"primaryKey"`
	Role     string    `gorm:"primaryKey"`
}

func (roleRow) TableName() string { return "user_roles" }

func (d directory) Principal(ctx context.Context, userID uuid.UUID) (identity.Principal, error) {
	p := identity.Principal{TenantID: identity.TenantID(ctx), UserID: userID}
	err := d.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var u userRow
		if err := db.Where("id = ?", userID).Take(&u).Error; err != nil {
			if store.IsNotFound(err) {
				return fault.NotFoundf("user")
			}
			return err
		}
		if u.Status != "active" {
			return fault.New(fault.Forbidden, "user_disabled", "the user is disabled")
		}
		var r regionRow
		if err := db.Where("id = ?", u.RegionID).Take(&r).Error; err != nil {
			return err
		}
		p.RegionID, p.RegionPath = r.ID, r.Path
		return db.Model(&roleRow{}).Where("user_id = ?", userID).Order("role").Pluck("role", &p.Roles).Error
	})
	return p, err
}

// clock is the service's time, moved by tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

type mail struct{ Email, Link string }

type mailbox struct {
	mu   sync.Mutex
	sent []mail
}

func (m *mailbox) SendPasswordReset(_ context.Context, email, link string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, mail{email, link})
	return nil
}

func (m *mailbox) all() []mail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]mail(nil), m.sent...)
}

// event is what the Recorder was told.
type event struct {
	Tenant, User              uuid.UUID
	Action, Resource, Outcome string
}

type recorder struct {
	mu     sync.Mutex
	events []event
}

func (r *recorder) Record(ctx context.Context, action, resource, outcome string) error {
	p, _ := identity.From(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, event{p.TenantID, p.UserID, action, resource, outcome})
	return nil
}

func (r *recorder) all() []event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]event(nil), r.events...)
}

type env struct {
	t     *testing.T
	s     *store.Store
	svc   *Service
	srv   *web.Server
	clock *clock
	mail  *mailbox
	rec   *recorder
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, s: storetest.Open(t), clock: &clock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}, mail: &mailbox{}, rec: &recorder{}}
	e.svc = New(e.s, directory{e.s}, e.mail, Config{Params: cheap, Recorder: e.rec, Now: e.clock.Now, ResetURL: "https://app.example/reset"})
	e.srv = web.New(web.Options{Authenticate: e.svc.Authenticate, Log: slog.New(slog.DiscardHandler)})
	e.srv.Mount(e.svc)
	return e
}

// tenant creates a tenant with its root region and returns both ids.
func (e *env) tenant(slug string) (tenant, root uuid.UUID) {
	e.t.Helper()
	ctx := context.Background()
	tenant, root = identity.NewID(), identity.NewID()
	now := time.Now().UTC()
	err := e.s.Owner(ctx).Exec(`INSERT INTO tenants (id, slug, name, industry, time_zone, currency, status, created_at, updated_at)
		VALUES (?, ?, ?, 'pharma', 'Europe/Berlin', 'EUR', 'active', ?, ?)`, tenant, slug, slug, now, now).Error
	if err != nil {
		e.t.Fatalf("create tenant: %v", err)
	}
	err = e.s.Tx(identity.System(ctx, tenant), func(ctx context.Context, db *gorm.DB) error {
		return db.Exec(`INSERT INTO regions (tenant_id, id, name, path, created_at, updated_at) VALUES (?, ?, 'HQ', ?, ?, ?)`,
			tenant, root, "/"+root.String()+"/", now, now).Error
	})
	if err != nil {
		e.t.Fatalf("create root region: %v", err)
	}
	return tenant, root
}

// user creates an active user with a login e-mail, roles and (unless empty) a password.
func (e *env) user(tenant, region uuid.UUID, email, password string, roles ...string) uuid.UUID {
	e.t.Helper()
	ctx := identity.System(context.Background(), tenant)
	id := identity.NewID()
	now := time.Now().UTC()
	err := e.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := db.Exec(`INSERT INTO users (tenant_id, id, email, name, region_id, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, 'active', ?, ?)`, tenant, id, email, email, region, now, now).Error; err != nil {
			return err
		}
		for _, r := range roles {
			if err := db.Exec("INSERT INTO user_roles (tenant_id, user_id, role) VALUES (?, ?, ?)", tenant, id, r).Error; err != nil {
				return err
			}
		}
		if err := db.Exec("INSERT INTO login_emails (email, tenant_id, user_id) VALUES (?, ?, ?)", strings.ToLower(email), tenant, id).Error; err != nil {
			return err
		}
		if password == "" {
			return nil
		}
		return db.Exec("INSERT INTO credentials (tenant_id, user_id, password_hash, updated_at) VALUES (?, ?, ?, ?)",
			tenant, id, hashPassword(password, cheap.withDefaults()), now).Error
	})
	if err != nil {
		e.t.Fatalf("create user %s: %v", email, err)
	}
	return id
}

// setStatus changes a user's status ("active", "disabled").
func (e *env) setStatus(tenant, user uuid.UUID, status string) {
	e.t.Helper()
	err := e.s.Tx(identity.System(context.Background(), tenant), func(ctx context.Context, db *gorm.DB) error {
		return db.Exec("UPDATE users SET status = ? WHERE tenant_id = ? AND id = ?", status, tenant, user).Error
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

type response struct {
	Status int
	Header http.Header
	Raw    string
	Body   map[string]any
	resp   *http.Response
}

// errorCode is the "error.code" of an error answer.
func (r response) errorCode() string {
	m, _ := r.Body["error"].(map[string]any)
	code, _ := m["code"].(string)
	return code
}

func (r response) str(key string) string { s, _ := r.Body[key].(string); return s }

// cookie returns the session cookie the response set, if any.
func (r response) cookie() *http.Cookie {
	for _, c := range r.resp.Cookies() {
		if c.Name == web.SessionCookie {
			return c
		}
	}
	return nil
}

// call sends a request; headers are name, value pairs.
func (e *env) call(method, path string, body any, headers ...string) response {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := e.srv.App.Test(req, -1)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := response{Status: resp.StatusCode, Header: resp.Header, Raw: string(raw), resp: resp}
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &r.Body)
	}
	return r
}

// expect fails the test unless r has status (and, for errors, code).
func (e *env) expect(r response, status int, code string) {
	e.t.Helper()
	if r.Status != status || (code != "" && r.errorCode() != code) {
		e.t.Fatalf("got %d %s, want %d %s", r.Status, r.Raw, status, code)
	}
}

// webLogin signs in a browser and returns its cookie header value and CSRF token.
func (e *env) webLogin(email, password string) (cookie, csrf string) {
	e.t.Helper()
	r := e.call("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": password, "client": "web"})
	e.expect(r, 200, "")
	c := r.cookie()
	if c == nil {
		e.t.Fatalf("web login set no session cookie: %v", r.Header)
	}
	return web.SessionCookie + "=" + c.Value, r.str("csrf_token")
}

// mobileLogin signs in the mobile app and returns its Authorization header value.
func (e *env) mobileLogin(email, password string) string {
	e.t.Helper()
	r := e.call("POST", "/api/v1/auth/login", map[string]any{"email": email, "password": password, "client": "mobile"})
	e.expect(r, 200, "")
	return "Bearer " + r.str("token")
}
