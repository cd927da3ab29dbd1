package auth

import (
	"cmp"
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// SetPassword sets the password of user userID in ctx's tenant. The org package calls it when it
// creates a user. A weak password is refused with a fault that says what to fix. Existing
// sessions are left alone (ChangePassword and password reset end them).
func (s *Service) SetPassword(ctx context.Context, userID uuid.UUID, password string) error {
	email, err := s.emailOf(ctx, userID)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if err := checkPassword(password, email); err != nil {
		return err
	}
	h := s.hash(password)
	err = s.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error { return s.storeHash(db, userID, h) })
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return nil
}

// ChangePassword changes the caller's own password after checking the current one, and ends
// every other session and token of the caller. Wrong current passwords count against the
// account's login throttle, so a stolen session cannot guess the password without limit.
func (s *Service) ChangePassword(ctx context.Context, current, next string) error {
	p, ok := identity.From(ctx)
	if !ok || p.UserID == uuid.Nil {
		return fault.New(fault.Unauthorized, "unauthenticated", "sign in first")
	}
	email, err := s.emailOf(ctx, p.UserID)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	keys := map[string]int{accountKey(email): s.cfg.Throttle.AccountFailures}
	if err := s.checkLocked(ctx, keys); err != nil {
		return err
	}
	stored, err := s.passwordHash(ctx, p.UserID)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	ok, err = s.verify(current, cmp.Or(stored, s.dummyHash()))
	if err != nil {
		return fmt.Errorf("change password: verify: %w", err)
	}
	if !ok || stored == "" {
		if err := s.countFailure(ctx, accountKey(email), s.cfg.Throttle.AccountFailures); err != nil {
			return err
		}
		return fault.New(fault.Invalid, "wrong_password", "the current password is wrong",
			fault.Detail{Location: "body.current_password", Message: "does not match your password"})
	}
	if err := checkPassword(next, email); err != nil {
		return err
	}
	h := s.hash(next)
	err = s.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.storeHash(db, p.UserID, h); err != nil {
			return err
		}
		return s.revokeAll(db, p.UserID, p.SessionID)
	})
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	return nil
}

// emailOf returns the address user userID signs in with, or "" when there is none yet.
func (s *Service) emailOf(ctx context.Context, userID uuid.UUID) (string, error) {
	var le loginEmail
	err := s.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		return db.Where("user_id = ?", userID).Take(&le).Error
	})
	if err != nil && !store.IsNotFound(err) {
		return "", fmt.Errorf("find login e-mail: %w", err)
	}
	return le.Email, nil
}

// passwordHash returns user userID's stored hash, or "" when the user has no password.
func (s *Service) passwordHash(ctx context.Context, userID uuid.UUID) (string, error) {
	var row passwordRow
	err := s.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		return db.Where("user_id = ?", userID).Take(&row).Error
	})
	if err != nil && !store.IsNotFound(err) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return row.PasswordHash, nil
}

// storeHash writes user userID's hash in db's tenant transaction.
func (s *Service) storeHash(db *gorm.DB, userID uuid.UUID, hash string) error {
	row := passwordRow{UserID: userID, PasswordHash: hash, UpdatedAt: s.now()}
	err := db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "tenant_id"}, {Name: "user_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"password_hash", "updated_at"}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("store password: %w", err)
	}
	return nil
}
