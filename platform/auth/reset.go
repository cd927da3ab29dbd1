package auth

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

var errResetInvalid = fault.New(fault.Invalid, "reset_link_invalid",
	"this password reset link is invalid, expired or already used: request a new one")

// RequestReset mails a reset link to email when it belongs to an active account. Every address
// gets the same answer (nil), known or not, so the endpoint reveals no accounts; a delivery
// failure is logged for the operator rather than told to the caller, for the same reason.
func (s *Service) RequestReset(ctx context.Context, email string) error {
	email = normalEmail(email)
	var le loginEmail
	err := s.s.Owner(ctx).Where("email = ?", email).Take(&le).Error
	if store.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("request password reset: find e-mail: %w", err)
	}
	tctx := identity.System(ctx, le.TenantID)
	var link string
	err = s.s.Tx(tctx, func(ctx context.Context, db *gorm.DB) error {
		if _, err := s.dir.Principal(ctx, le.UserID); err != nil {
			if _, isFault := fault.As(err); isFault {
				return errUnavailableAccount
			}
			return fmt.Errorf("load principal: %w", err)
		}
		now := s.now()
		id := identity.NewID()
		cred := newCredential(prefixReset, le.TenantID, id)
		row := resetRow{ID: id, UserID: le.UserID, SecretHash: cred.secretHash(), ExpiresAt: now.Add(s.cfg.ResetLifetime), CreatedAt: now}
		if err := db.Create(&row).Error; err != nil {
			return fmt.Errorf("create reset: %w", err)
		}
		link = s.resetLink(cred.String())
		return s.record(ctx, ActionResetRequest, le.UserID, OutcomeOK)
	})
	if errors.Is(err, errUnavailableAccount) {
		return s.record(tctx, ActionResetRequest, le.UserID, OutcomeRejected)
	}
	if err != nil {
		return fmt.Errorf("request password reset: %w", err)
	}
	if err := s.mailer.SendPasswordReset(tctx, email, link); err != nil {
		s.cfg.Log.ErrorContext(ctx, "password reset link not delivered", "tenant_id", le.TenantID, "user_id", le.UserID, "error", err)
	}
	return nil
}

func (s *Service) resetLink(token string) string {
	sep := "?"
	if strings.Contains(s.cfg.ResetURL, "?") {
		sep = "&"
	}
	return s.cfg.ResetURL + sep + "token=" + url.QueryEscape(token)
}

// ConfirmReset sets a new password with a reset link's token. The link works once; confirming
// also closes the user's other open links, ends every session and token of the user, and lifts
// a login lockout (the owner of the mailbox has just proved who they are).
func (s *Service) ConfirmReset(ctx context.Context, token, password string) error {
	cred, err := parseCredential(strings.TrimSpace(token), prefixReset)
	if err != nil {
		return errResetInvalid
	}
	tctx := identity.System(ctx, cred.tenant)
	var row resetRow
	err = s.s.Tx(tctx, func(ctx context.Context, db *gorm.DB) error {
		if err := db.Where("id = ?", cred.id).Take(&row).Error; err != nil {
			if store.IsNotFound(err) {
				return errResetInvalid
			}
			return fmt.Errorf("read reset: %w", err)
		}
		if !sameHash(row.SecretHash, cred.secretHash()) || row.UsedAt != nil || !row.ExpiresAt.After(s.now()) {
			return errResetInvalid
		}
		return nil
	})
	if err != nil {
		return s.rejectReset(tctx, row, err)
	}
	email, err := s.emailOf(tctx, row.UserID)
	if err != nil {
		return fmt.Errorf("confirm password reset: %w", err)
	}
	// A weak password leaves the link usable, so the person can try another.
	if err := checkPassword(password, email); err != nil {
		return err
	}
	h := s.hash(password)
	err = s.s.Tx(tctx, func(ctx context.Context, db *gorm.DB) error {
		now := s.now()
		// Conditional on used_at: of two confirmations racing, only one wins.
		res := db.Model(&resetRow{}).Where("id = ? AND used_at IS NULL", row.ID).Update("used_at", now)
		if res.Error != nil {
			return fmt.Errorf("use reset: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return errResetInvalid
		}
		if err := db.Model(&resetRow{}).Where("user_id = ? AND used_at IS NULL", row.UserID).Update("used_at", now).Error; err != nil {
			return fmt.Errorf("close other resets: %w", err)
		}
		if err := s.storeHash(db, row.UserID, h); err != nil {
			return err
		}
		if err := s.revokeAll(db, row.UserID, uuid.Nil); err != nil {
			return err
		}
		return s.record(ctx, ActionResetConfirm, row.UserID, OutcomeOK)
	})
	if err != nil {
		return s.rejectReset(tctx, row, err)
	}
	if email != "" {
		return s.clearFailures(ctx, accountKey(email))
	}
	return nil
}

// rejectReset records a refused confirmation when the link named a real reset (so the tenant
// is known), and returns err.
func (s *Service) rejectReset(ctx context.Context, row resetRow, err error) error {
	if !errors.Is(err, errResetInvalid) {
		return fmt.Errorf("confirm password reset: %w", err)
	}
	if row.TenantID == uuid.Nil {
		return err
	}
	return errors.Join(err, s.record(ctx, ActionResetConfirm, row.UserID, OutcomeRejected))
}
