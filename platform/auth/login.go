package auth

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/web"
)

// Client is what a login is for: a browser gets a cookie session, the mobile app a bearer token.
type Client string

const (
	ClientWeb    Client = "web"
	ClientMobile Client = "mobile"
)

// Issued is a credential handed out by a login or a new token. Secret is shown this once.
type Issued struct {
	ID        uuid.UUID // the session or token
	TenantID  uuid.UUID
	UserID    uuid.UUID
	Kind      string
	Name      string
	Secret    string     // the cookie value or the bearer token
	CSRFToken string     // web sessions only
	ExpiresAt *time.Time // nil: a token that never expires
}

// errBadLogin is the one answer to a wrong address and a wrong password alike.
var errBadLogin = fault.New(fault.Unauthorized, "invalid_credentials", "the e-mail address or the password is wrong")

// normalEmail is the form login_emails stores.
func normalEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Login checks an e-mail address and password and issues a web session or a mobile token. ctx
// carries the web request (client IP and user agent). Locked accounts and IPs get a TooMany
// fault even with the right password.
func (s *Service) Login(ctx context.Context, email, password string, client Client) (Issued, error) {
	email = normalEmail(email)
	keys := s.throttleKeys(email, web.RequestOf(ctx).IP)
	var le loginEmail
	err := s.s.Owner(ctx).Where("email = ?", email).Take(&le).Error
	known := err == nil
	if err != nil && !store.IsNotFound(err) {
		return Issued{}, fmt.Errorf("login: find e-mail: %w", err)
	}
	tctx := ctx
	if known {
		tctx = identity.System(ctx, le.TenantID)
	}
	if err := s.checkLocked(ctx, keys); err != nil {
		if known && fault.Is(err, fault.TooMany) {
			err = errors.Join(err, s.record(tctx, ActionLogin, le.UserID, OutcomeRejected))
		}
		return Issued{}, err
	}
	stored := ""
	if known {
		if stored, err = s.passwordHash(tctx, le.UserID); err != nil {
			return Issued{}, fmt.Errorf("login: %w", err)
		}
	}
	// Unknown addresses and users without a password still pay for one verification.
	ok, err := s.verify(password, cmp.Or(stored, s.dummyHash()))
	if err != nil {
		return Issued{}, fmt.Errorf("login: verify password: %w", err)
	}
	if !ok || stored == "" {
		for k, limit := range keys {
			if err := s.countFailure(ctx, k, limit); err != nil {
				return Issued{}, err
			}
		}
		if known {
			if err := s.record(tctx, ActionLogin, le.UserID, OutcomeRejected); err != nil {
				return Issued{}, err
			}
		}
		return Issued{}, errBadLogin
	}
	if err := s.clearFailures(ctx, accountKey(email)); err != nil {
		return Issued{}, err
	}
	// Only now, to the one who knows the password, is it said that the company is not open.
	if s.cfg.TenantOpen != nil {
		if err := s.cfg.TenantOpen(ctx, le.TenantID); err != nil {
			return Issued{}, errors.Join(err, s.record(tctx, ActionLogin, le.UserID, OutcomeRejected))
		}
	}
	return s.startSession(tctx, le.UserID, client, password, stored)
}

// startSession issues the credential of a successful login, in the user's tenant.
func (s *Service) startSession(ctx context.Context, userID uuid.UUID, client Client, password, stored string) (Issued, error) {
	var newHash string
	if needsRehash(stored, s.cfg.Params) {
		newHash = s.hash(password)
	}
	var out Issued
	err := s.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		p, err := s.dir.Principal(ctx, userID)
		if err != nil {
			if _, isFault := fault.As(err); !isFault {
				return fmt.Errorf("load principal: %w", err)
			}
			return errUnavailableAccount
		}
		if newHash != "" {
			if err := s.storeHash(db, userID, newHash); err != nil {
				return err
			}
		}
		if client == ClientMobile {
			exp := s.now().Add(s.cfg.MobileLifetime)
			out, err = s.issue(ctx, db, userID, KindToken, "mobile app", &exp)
		} else {
			out, err = s.issue(ctx, db, userID, KindWeb, "web session", nil)
		}
		if err != nil {
			return err
		}
		p.SessionID = out.ID
		return s.record(identity.With(ctx, p), ActionLogin, userID, OutcomeOK)
	})
	if errors.Is(err, errUnavailableAccount) {
		return Issued{}, errors.Join(err, s.record(ctx, ActionLogin, userID, OutcomeRejected))
	}
	if err != nil {
		return Issued{}, fmt.Errorf("login: %w", err)
	}
	return out, nil
}

// errUnavailableAccount answers the right password of a disabled user: only someone who knows
// the password learns that the account exists.
var errUnavailableAccount = fault.New(fault.Forbidden, "account_disabled",
	"this account cannot sign in: it is disabled; ask your administrator")
