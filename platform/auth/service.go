// Package auth signs people in: passwords (argon2id), web sessions in HTTP-only cookies with CSRF
// protection, bearer tokens for the mobile app and integrations, password reset, and login rate
// limiting shared across replicas.
//
// An e-mail address signs in to exactly one tenant. Login finds that tenant in login_emails (the
// one cross-tenant read it needs); everything after runs inside the tenant. Session and token
// strings embed their tenant and row id, so checking one never looks across tenants either.
package auth

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// Directory tells auth who a user is. The org package owns users, roles and regions and
// implements it.
type Directory interface {
	// Principal returns the principal of user userID in ctx's tenant; an error for a disabled
	// or missing user.
	Principal(ctx context.Context, userID uuid.UUID) (identity.Principal, error)
}

// Mailer delivers password reset links.
type Mailer interface {
	SendPasswordReset(ctx context.Context, email, link string) error
}

// Recorder writes the audit trail of the public routes, which the audit middleware does not see
// (no principal yet). ctx carries the tenant; outcome is "ok" or "rejected".
type Recorder interface {
	Record(ctx context.Context, action, resource, outcome string) error
}

// Outcomes passed to Recorder.
const (
	OutcomeOK       = "ok"
	OutcomeRejected = "rejected"
)

// Audited actions of the public routes.
const (
	ActionLogin        = "auth.login"
	ActionResetRequest = "auth.password_reset.request"
	ActionResetConfirm = "auth.password_reset.confirm"
)

// LogMailer "delivers" reset links into the log: for development and the demo.
type LogMailer struct{ Log *slog.Logger }

// SendPasswordReset logs the link.
func (m LogMailer) SendPasswordReset(ctx context.Context, email, link string) error {
	log := m.Log
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "password reset link (development mailer)", "email", email, "link", link)
	return nil
}

// Throttle limits failed logins: per account and per client IP, each within a window.
type Throttle struct {
	AccountFailures int           // failures of one e-mail address that lock it; default 5
	IPFailures      int           // failures from one IP that lock it; default 30
	Window          time.Duration // default 15 min
	Lockout         time.Duration // default 15 min
}

// Config tunes the service; zero fields take the defaults.
type Config struct {
	Params   Params   // argon2id cost; zero means DefaultParams (tests pass cheaper ones)
	Recorder Recorder // nil: public auth routes are not audited
	// ResetURL is the page that takes a reset token: the link is ResetURL?token=...
	ResetURL string
	// SessionIdle ends a web session after this long without a request (default 12 h);
	// SessionLifetime ends it regardless (default 30 days).
	SessionIdle     time.Duration
	SessionLifetime time.Duration
	// MobileLifetime is how long a token from a mobile login lasts (default 90 days).
	MobileLifetime time.Duration
	// ResetLifetime is how long a reset link works (default 1 h).
	ResetLifetime time.Duration
	Throttle      Throttle
	// SecureCookie marks the session cookie Secure even on plain HTTP, for servers behind a
	// proxy that terminates TLS (on a TLS connection it is always Secure).
	SecureCookie bool
	// TenantOpen refuses a login to a tenant out of service (unverified, suspended) with the
	// fault that says why; nil: every tenant is open.
	TenantOpen func(ctx context.Context, tenant uuid.UUID) error
	// Now is the clock; nil means time.Now. Tests move it to expire things.
	Now func() time.Time
	Log *slog.Logger
}

// Service is authentication. Its zero value is not usable; call New.
type Service struct {
	s      *store.Store
	dir    Directory
	mailer Mailer
	cfg    Config
	// dummyHash is verified against when an e-mail is unknown, so that a wrong address costs
	// the same time as a wrong password.
	dummyHash func() string
	// hashing bounds concurrent argon2 runs: each takes Params.Memory, and a burst of logins
	// must not exhaust the server's memory.
	hashing chan struct{}
}

// New returns the service. mailer nil means LogMailer.
func New(s *store.Store, dir Directory, mailer Mailer, cfg Config) *Service {
	cfg.Params = cfg.Params.withDefaults()
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if mailer == nil {
		mailer = LogMailer{Log: cfg.Log}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ResetURL == "" {
		cfg.ResetURL = "http://localhost:8080/reset-password"
	}
	cfg.SessionIdle = orDefault(cfg.SessionIdle, 12*time.Hour)
	cfg.SessionLifetime = orDefault(cfg.SessionLifetime, 30*24*time.Hour)
	cfg.MobileLifetime = orDefault(cfg.MobileLifetime, 90*24*time.Hour)
	cfg.ResetLifetime = orDefault(cfg.ResetLifetime, time.Hour)
	t := &cfg.Throttle
	if t.AccountFailures <= 0 {
		t.AccountFailures = 5
	}
	if t.IPFailures <= 0 {
		t.IPFailures = 30
	}
	t.Window = orDefault(t.Window, 15*time.Minute)
	t.Lockout = orDefault(t.Lockout, 15*time.Minute)
	svc := &Service{s: s, dir: dir, mailer: mailer, cfg: cfg, hashing: make(chan struct{}, runtime.GOMAXPROCS(0))}
	svc.dummyHash = sync.OnceValue(func() string { return hashPassword(randomToken(), cfg.Params) })
	return svc
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// now is the service clock in UTC, at the database's precision.
func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Microsecond) }

// hash and verify run argon2 within the concurrency bound.
func (s *Service) hash(password string) string {
	s.hashing <- struct{}{}
	defer func() { <-s.hashing }()
	return hashPassword(password, s.cfg.Params)
}

func (s *Service) verify(password, stored string) (bool, error) {
	s.hashing <- struct{}{}
	defer func() { <-s.hashing }()
	return verifyPassword(password, stored)
}

// record calls the Recorder, if any, in ctx's tenant.
func (s *Service) record(ctx context.Context, action string, userID uuid.UUID, outcome string) error {
	if s.cfg.Recorder == nil {
		return nil
	}
	resource := ""
	if userID != uuid.Nil {
		resource = "user:" + userID.String()
	}
	if err := s.cfg.Recorder.Record(ctx, action, resource, outcome); err != nil {
		return fmt.Errorf("record %s: %w", action, err)
	}
	return nil
}
