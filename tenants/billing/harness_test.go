package billing

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/platform/web"
	"github.com/repflow/repflow/platform/web/webtest"
	"github.com/repflow/repflow/tenants/billing/stripemock"
)

const (
	testWebhookSecret = "whsec_repflow_test"
	testSeatPrice     = "price_repflow_seat"
)

// harness is one tenant on its own database, behind the HTTP API, with billing's clock and
// every request it makes to Stripe in the test's hands.
type harness struct {
	store  *store.Store
	svc    *Service
	srv    *web.Server
	clock  *clock
	stripe *recorder
	log    *logBuffer
	tenant uuid.UUID
	admin  webtest.Caller
	rep    webtest.Caller
}

// newHarness builds the harness; billing is on (against stripe-mock) unless off is set.
func newHarness(t *testing.T, off bool) *harness {
	t.Helper()
	s := storetest.Open(t)
	h := &harness{store: s, clock: &clock{now: time.Now().UTC().Truncate(time.Second)}, log: &logBuffer{}}
	h.stripe = &recorder{next: http.DefaultTransport}
	h.tenant = insertTenant(t, s, "acme")
	h.admin = webtest.Caller{Tenant: h.tenant, User: identity.NewID()}
	h.rep = webtest.Caller{Tenant: h.tenant, User: identity.NewID()}
	cfg := Config{}
	if !off {
		cfg = Config{SecretKey: "sk_test_repflow", WebhookSecret: testWebhookSecret, SeatPriceID: testSeatPrice,
			BackendURL: stripemock.URL(t), SuccessURL: "https://app.example.com/billing?done=1",
			CancelURL: "https://app.example.com/billing", PortalReturnURL: "https://app.example.com/billing"}
	}
	log := slog.New(slog.NewTextHandler(h.log, &slog.HandlerOptions{Level: slog.LevelInfo}))
	svc, err := New(s, cfg, Options{Now: h.clock.Now, Log: log, HTTPClient: &http.Client{Transport: h.stripe}})
	if err != nil {
		t.Fatal(err)
	}
	h.svc = svc
	roles := map[uuid.UUID][]string{h.admin.User: {identity.RoleTenantAdmin, identity.RoleHQ}, h.rep.User: {identity.RoleRep}}
	principals := func(ctx context.Context, user uuid.UUID) (identity.Principal, error) {
		r, ok := roles[user]
		if !ok {
			return identity.Principal{}, errors.New("no such test user")
		}
		return identity.Principal{TenantID: identity.TenantID(ctx), UserID: user, Roles: r}, nil
	}
	h.srv = web.New(web.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Authenticate: webtest.Authenticate(principals), Around: requestTransaction(s)})
	h.srv.Mount(NewHTTP(svc))
	return h
}

// requestTransaction runs every authenticated write request in a tenant transaction, as the
// platform's audit middleware does: on the embedded database it holds the only write lock.
func requestTransaction(s *store.Store) func(c *fiber.Ctx, next func() error) error {
	refused := errors.New("refused")
	return func(c *fiber.Ctx, next func() error) error {
		if c.Method() == fiber.MethodGet {
			return next()
		}
		orig := c.UserContext()
		err := s.Tx(orig, func(ctx context.Context, _ *gorm.DB) error {
			c.SetUserContext(ctx)
			defer c.SetUserContext(orig)
			if err := next(); err != nil {
				return err
			}
			if c.Response().StatusCode() >= http.StatusBadRequest {
				return refused
			}
			return nil
		})
		if errors.Is(err, refused) {
			return nil
		}
		return err
	}
}

// insertTenant adds a tenants row (global), as provisioning does.
func insertTenant(t *testing.T, s *store.Store, slug string) uuid.UUID {
	t.Helper()
	id := identity.NewID()
	now := time.Now().UTC()
	err := s.Owner(context.Background()).Exec(`INSERT INTO tenants (id, slug, name, industry, time_zone, currency, status, created_at, updated_at)
		VALUES (?, ?, ?, 'fmcg', 'UTC', 'EUR', 'active', ?, ?)`, id, slug, strings.ToUpper(slug)+" Ltd", now, now).Error
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// adminContext is the tenant admin's context, for calling the service directly.
func (h *harness) adminContext() context.Context {
	return identity.With(context.Background(), identity.Principal{TenantID: h.tenant, UserID: h.admin.User,
		Roles: []string{identity.RoleTenantAdmin}})
}

// account reads the tenant's billing row.
func (h *harness) account(t *testing.T) account {
	t.Helper()
	a, err := loadAccount(h.store.Owner(context.Background()), h.tenant)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// refusal is the fault a write of the tenant meets now, or nil (Standing.Refusal, which the
// tenant gate answers with).
func (h *harness) refusal(t *testing.T) error {
	t.Helper()
	st, err := h.svc.Standing(context.Background(), h.tenant)
	if err != nil {
		t.Fatal(err)
	}
	return st.Refusal()
}

// standing is the tenant's standing through the API, as a member of the tenant sees it.
func (h *harness) standing(t *testing.T) StandingDTO {
	t.Helper()
	status, body := webtest.Call(t, h.srv, h.rep, http.MethodGet, "/api/v1/billing", nil)
	if status != http.StatusOK {
		t.Fatalf("GET /api/v1/billing: %d %s", status, body)
	}
	return webtest.Decode[StandingDTO](t, body)
}

// clock is billing's clock, moved by the test.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// stripeCall is one request billing made to Stripe.
type stripeCall struct {
	Method, Path   string
	Form           url.Values
	IdempotencyKey string
}

// recorder passes billing's requests on to stripe-mock and remembers them: stripe-mock is
// stateless, so what billing sent is what the tests check.
type recorder struct {
	next  http.RoundTripper
	mu    sync.Mutex
	calls []stripeCall
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	form, _ := url.ParseQuery(string(body))
	if req.Method == http.MethodGet {
		form = req.URL.Query()
	}
	r.mu.Lock()
	r.calls = append(r.calls, stripeCall{Method: req.Method, Path: req.URL.Path, Form: form, IdempotencyKey: req.Header.Get("Idempotency-Key")})
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

// take returns the calls made since the last take.
func (r *recorder) take() []stripeCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.calls
	r.calls = nil
	return out
}

// logBuffer collects billing's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.buf.String(), s)
}
