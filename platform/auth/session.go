package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/web"
)

// Session is one of a user's web sessions or bearer tokens, as the user sees it (no secret).
type Session struct {
	ID         uuid.UUID
	Kind       string // KindWeb or KindToken
	Name       string
	CreatedAt  time.Time
	LastUsedAt time.Time
	ExpiresAt  *time.Time // nil: never
	IP         string     // where it was created
	UserAgent  string
	Current    bool // the one making the request
}

// touchEvery bounds last_used_at writes: at most one per session per minute, not one per request.
const touchEvery = time.Minute

// maxUserAgent keeps a hostile header from bloating the table.
const maxUserAgent = 512

var (
	errTokenDead = fault.New(fault.Unauthorized, "invalid_token",
		"the bearer token is invalid, expired or revoked: sign in again or create a new token")
	errSessionDead = fault.New(fault.Unauthorized, "session_ended",
		"your session has ended (signed out, expired or revoked): sign in again")
	errDisabled = fault.New(fault.Unauthorized, "account_disabled",
		"this account is disabled: ask your administrator")
)

// issue creates a session (KindWeb) or token (KindToken) for userID in db's tenant.
func (s *Service) issue(ctx context.Context, db *gorm.DB, userID uuid.UUID, kind, name string, expires *time.Time) (Issued, error) {
	now := s.now()
	tenant := identity.TenantID(ctx)
	prefix := prefixToken
	if kind == KindWeb {
		prefix = prefixSession
		exp := now.Add(s.cfg.SessionLifetime)
		expires = &exp
	}
	id := identity.NewID()
	cred := newCredential(prefix, tenant, id)
	req := web.RequestOf(ctx)
	ua := req.UserAgent
	if len(ua) > maxUserAgent {
		ua = ua[:maxUserAgent]
	}
	row := sessionRow{ID: id, UserID: userID, Kind: kind, Name: name, SecretHash: cred.secretHash(),
		CreatedAt: now, LastUsedAt: now, ExpiresAt: expires, IP: req.IP, UserAgent: ua}
	out := Issued{ID: id, TenantID: tenant, UserID: userID, Kind: kind, Name: name, Secret: cred.String(), ExpiresAt: expires}
	if kind == KindWeb {
		out.CSRFToken = randomToken()
		row.CSRFHash = digest([]byte(out.CSRFToken))
	}
	if err := db.Create(&row).Error; err != nil {
		return Issued{}, fmt.Errorf("create %s: %w", kind, err)
	}
	return out, nil
}

// live reports whether row may still authenticate at now.
func (s *Service) live(row sessionRow, now time.Time) bool {
	if row.RevokedAt != nil || (row.ExpiresAt != nil && !row.ExpiresAt.After(now)) {
		return false
	}
	return row.Kind != KindWeb || row.LastUsedAt.Add(s.cfg.SessionIdle).After(now)
}

// resolve checks a presented credential string of the given prefix inside its own tenant and
// returns its row and the principal it stands for.
func (s *Service) resolve(ctx context.Context, raw, prefix string) (sessionRow, identity.Principal, error) {
	dead := errTokenDead
	kind := KindToken
	if prefix == prefixSession {
		dead, kind = errSessionDead, KindWeb
	}
	cred, err := parseCredential(raw, prefix)
	if err != nil {
		return sessionRow{}, identity.Principal{}, dead
	}
	var row sessionRow
	var p identity.Principal
	err = s.s.Tx(identity.System(ctx, cred.tenant), func(ctx context.Context, db *gorm.DB) error {
		if err := db.Where("id = ?", cred.id).Take(&row).Error; err != nil {
			if store.IsNotFound(err) {
				return dead
			}
			return err
		}
		now := s.now()
		if !sameHash(row.SecretHash, cred.secretHash()) || row.Kind != kind || !s.live(row, now) {
			return dead
		}
		var err error
		if p, err = s.dir.Principal(ctx, row.UserID); err != nil {
			if _, isFault := fault.As(err); isFault {
				return errDisabled
			}
			return fmt.Errorf("load principal: %w", err)
		}
		if now.Sub(row.LastUsedAt) >= touchEvery {
			if err := db.Model(&sessionRow{}).Where("id = ?", row.ID).Update("last_used_at", now).Error; err != nil {
				return fmt.Errorf("touch session: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return sessionRow{}, identity.Principal{}, err
	}
	p.TenantID, p.UserID, p.SessionID = cred.tenant, row.UserID, row.ID
	return row, p, nil
}

// caller returns ctx's signed-in user.
func caller(ctx context.Context) (identity.Principal, error) {
	p, ok := identity.From(ctx)
	if !ok || p.UserID == uuid.Nil {
		return p, fault.New(fault.Unauthorized, "unauthenticated", "sign in first")
	}
	return p, nil
}

// revokeAll ends every live session and token of userID except one (uuid.Nil: none spared).
func (s *Service) revokeAll(db *gorm.DB, userID, except uuid.UUID) error {
	q := db.Model(&sessionRow{}).Where("user_id = ? AND revoked_at IS NULL", userID)
	if except != uuid.Nil {
		q = q.Where("id <> ?", except)
	}
	if err := q.Update("revoked_at", s.now()).Error; err != nil {
		return fmt.Errorf("revoke sessions: %w", err)
	}
	return nil
}

// Logout ends the session or token that authenticated ctx.
func (s *Service) Logout(ctx context.Context) error {
	p, err := caller(ctx)
	if err != nil {
		return err
	}
	if err := s.revoke(ctx, p, p.SessionID); err != nil && !fault.Is(err, fault.NotFound) {
		return fmt.Errorf("logout: %w", err)
	}
	return nil
}

// LogoutAll ends every session and token of the caller, the current one included.
func (s *Service) LogoutAll(ctx context.Context) error {
	p, err := caller(ctx)
	if err != nil {
		return err
	}
	err = s.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error { return s.revokeAll(db, p.UserID, uuid.Nil) })
	if err != nil {
		return fmt.Errorf("logout everywhere: %w", err)
	}
	return nil
}

// Sessions lists the caller's live web sessions and tokens, newest first.
func (s *Service) Sessions(ctx context.Context) ([]Session, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var rows []sessionRow
	err = s.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		return db.Where("user_id = ? AND revoked_at IS NULL", p.UserID).Order("created_at DESC, id DESC").Find(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	now := s.now()
	out := make([]Session, 0, len(rows))
	for _, r := range rows {
		if s.live(r, now) {
			out = append(out, Session{ID: r.ID, Kind: r.Kind, Name: r.Name, CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt,
				ExpiresAt: r.ExpiresAt, IP: r.IP, UserAgent: r.UserAgent, Current: r.ID == p.SessionID})
		}
	}
	return out, nil
}

// CreateToken issues a bearer token for the caller; ttl 0 means it never expires.
func (s *Service) CreateToken(ctx context.Context, name string, ttl time.Duration) (Issued, error) {
	p, err := caller(ctx)
	if err != nil {
		return Issued{}, err
	}
	var expires *time.Time
	if ttl > 0 {
		exp := s.now().Add(ttl)
		expires = &exp
	}
	var out Issued
	err = s.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		out, err = s.issue(ctx, db, p.UserID, KindToken, name, expires)
		return err
	})
	if err != nil {
		return Issued{}, fmt.Errorf("create token: %w", err)
	}
	return out, nil
}

// Revoke ends one of the caller's own sessions or tokens; anyone else's id is not found.
func (s *Service) Revoke(ctx context.Context, id uuid.UUID) error {
	p, err := caller(ctx)
	if err != nil {
		return err
	}
	return s.revoke(ctx, p, id)
}

func (s *Service) revoke(ctx context.Context, p identity.Principal, id uuid.UUID) error {
	return s.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		res := db.Model(&sessionRow{}).Where("id = ? AND user_id = ? AND revoked_at IS NULL", id, p.UserID).
			Update("revoked_at", s.now())
		if res.Error != nil {
			return fmt.Errorf("revoke: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return fault.NotFoundf("token")
		}
		return nil
	})
}

// isDead reports whether err means the presented credential does not authenticate.
func isDead(err error) bool {
	return errors.Is(err, errTokenDead) || errors.Is(err, errSessionDead) || errors.Is(err, errDisabled)
}
