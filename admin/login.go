package admin

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/auth"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/web"
)

// SessionLifetime is how long an operator session lasts; it is not extended by use, so a
// stolen token is worth half a day at most.
const SessionLifetime = 12 * time.Hour

// tokenPrefix marks operator tokens, so one pasted in the wrong place is recognisable.
const tokenPrefix = "rfo_"

var (
	// errBadLogin is the one answer to a wrong address, password or code: telling them apart
	// would confirm a guessed password to whoever lacks only the second factor.
	errBadLogin = fault.New(fault.Unauthorized, "invalid_credentials",
		"the e-mail address, password or authenticator code is wrong (each code works once: if you just used it, wait for the next)")
	errSessionDead = fault.New(fault.Unauthorized, "session_ended",
		"the operator session is invalid, expired or signed out: sign in again")
	errDisabled = fault.New(fault.Forbidden, "operator_disabled", "this operator account is disabled")
	// errReplay ends the sign-in transaction when another sign-in took the same code first.
	errReplay = errors.New("code used before")
)

// Login checks an operator's address, password and current authenticator code, and starts a
// session. A code is accepted once: a later sign-in with it, or with an older one, fails.
// ctx carries the web request (its IP is throttled and audited).
func (s *Service) Login(ctx context.Context, email, password, code string) (Session, error) {
	email, code = normalEmail(email), strings.TrimSpace(code)
	if err := s.checkThrottle(ctx, email); err != nil {
		if fault.Is(err, fault.TooMany) {
			err = errors.Join(err, s.record(ctx, s.st.Owner(ctx), entry{email: email, action: actionLogin, outcome: outcomeRefused, detail: "throttled"}))
		}
		return Session{}, err
	}
	var row operatorRow
	err := s.st.Owner(ctx).Where("email = ?", email).Take(&row).Error
	known := err == nil
	if err != nil && !store.IsNotFound(err) {
		return Session{}, fmt.Errorf("login: find operator: %w", err)
	}
	stored := row.PasswordHash
	if !known {
		stored = s.dummyHash()
	}
	passwordOK, err := auth.VerifyPassword(password, stored)
	if err != nil {
		return Session{}, fmt.Errorf("login: %w", err)
	}
	var step int64
	var why string
	switch {
	case !known:
		why = "unknown address"
	case !passwordOK:
		why = "wrong password"
	case code == "":
		why = "no authenticator code"
	default:
		step = totpStep(row.TOTPSecret, code, s.now())
		if step == 0 {
			why = "wrong authenticator code"
		} else if step <= row.TOTPLastStep {
			why = "authenticator code used before"
		}
	}
	if why != "" {
		return Session{}, s.loginFailed(ctx, email, row, known, why)
	}
	op := row.operator()
	if row.DisabledAt != nil {
		return Session{}, errors.Join(errDisabled, s.record(ctx, s.st.Owner(ctx), entry{operator: &op, action: actionLogin, outcome: outcomeRefused, detail: "operator disabled"}))
	}
	out, err := s.startSession(ctx, op, step)
	if errors.Is(err, errReplay) {
		return Session{}, s.loginFailed(ctx, email, row, known, "authenticator code used before")
	}
	return out, err
}

// loginFailed audits a failed sign-in (which the throttle counts) and answers it.
func (s *Service) loginFailed(ctx context.Context, email string, row operatorRow, known bool, why string) error {
	e := entry{email: email, action: actionLogin, outcome: outcomeFailed, detail: why}
	if known {
		op := row.operator()
		e.operator = &op
	}
	return errors.Join(errBadLogin, s.record(ctx, s.st.Owner(ctx), e))
}

// startSession spends the code's step and issues the token, in one transaction: of two
// sign-ins racing with the same code only one moves the step, and only that one gets a session.
func (s *Service) startSession(ctx context.Context, op Operator, step int64) (Session, error) {
	now := s.now()
	token := newToken()
	out := Session{Token: token, ExpiresAt: now.Add(SessionLifetime), Operator: op}
	err := s.st.Owner(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&operatorRow{}).Where("id = ? AND totp_last_step < ?", op.ID, step).Update("totp_last_step", step)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errReplay
		}
		// Expired sessions are swept here: sign-ins are rare, and nothing else needs them gone.
		if err := tx.Where("expires_at <= ?", now).Delete(&sessionRow{}).Error; err != nil {
			return err
		}
		row := sessionRow{TokenHash: tokenHash(token), OperatorID: op.ID, IP: web.RequestOf(ctx).IP, CreatedAt: now, ExpiresAt: out.ExpiresAt}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return s.record(ctx, tx, entry{operator: &op, action: actionLogin})
	})
	if err != nil {
		return Session{}, fmt.Errorf("login: %w", err)
	}
	return out, nil
}

func newToken() string { return tokenPrefix + newSecret() }

// newSecret is 32 random bytes, URL-safe: the secret part of every token the console hands out.
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenHash is what is kept of a token: a leaked table opens nothing.
func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Authenticate checks a bearer token and returns ctx carrying its operator.
func (s *Service) Authenticate(ctx context.Context, token string) (context.Context, error) {
	if !strings.HasPrefix(token, tokenPrefix) {
		return ctx, errSessionDead
	}
	hash := tokenHash(token)
	var sess sessionRow
	if err := s.st.Owner(ctx).Where("token_hash = ?", hash).Take(&sess).Error; err != nil {
		if store.IsNotFound(err) {
			return ctx, errSessionDead
		}
		return ctx, fmt.Errorf("authenticate operator: %w", err)
	}
	if !sess.ExpiresAt.After(s.now()) {
		return ctx, errSessionDead
	}
	var row operatorRow
	if err := s.st.Owner(ctx).Where("id = ?", sess.OperatorID).Take(&row).Error; err != nil {
		return ctx, fmt.Errorf("authenticate operator: %w", err)
	}
	if row.DisabledAt != nil {
		return ctx, errDisabled
	}
	return withOperator(ctx, row.operator(), hash), nil
}

// Logout ends the session that authenticated ctx.
func (s *Service) Logout(ctx context.Context) error {
	si, ok := ctx.Value(operatorKey{}).(signedIn)
	if !ok {
		return errSignIn
	}
	err := s.st.Owner(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("token_hash = ?", si.tokenHash).Delete(&sessionRow{}).Error; err != nil {
			return err
		}
		return s.record(ctx, tx, entry{operator: &si.op, action: actionLogout})
	})
	if err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	return nil
}
