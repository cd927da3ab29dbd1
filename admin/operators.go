package admin

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/auth"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// Operator passwords are longer than tenant users' minimum: an operator reaches every tenant.
const (
	minOperatorPassword = 12
	maxOperatorPassword = 256
)

func normalEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateOperator enrols an operator and returns the otpauth:// URL to add to an authenticator
// app (show it as a QR code, once): no sign-in works without its codes. It is meant for the
// command line (repflow admin create-operator), which is trusted as the machine's owner.
func (s *Service) CreateOperator(ctx context.Context, email, name, password string) (otpauthURL string, err error) {
	email, name = normalEmail(email), strings.TrimSpace(name)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		return "", fault.Field("email", "is not an e-mail address", email)
	}
	if name == "" || utf8.RuneCountInString(name) > 200 {
		return "", fault.Field("name", "must have 1 to 200 characters", name)
	}
	if n := utf8.RuneCountInString(password); n < minOperatorPassword || n > maxOperatorPassword {
		return "", fault.Newf(fault.Invalid, "weak_password",
			"the password must have %d to %d characters", minOperatorPassword, maxOperatorPassword)
	}
	key, err := newTOTPKey(s.issuer, email)
	if err != nil {
		return "", fmt.Errorf("create operator: TOTP secret: %w", err)
	}
	row := operatorRow{ID: identity.NewID(), Email: email, Name: name, PasswordHash: auth.HashPassword(password, s.cost),
		TOTPSecret: key.Secret(), CreatedAt: s.now()}
	err = s.st.Owner(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			if store.IsUniqueViolation(err) {
				return fault.Newf(fault.Conflict, "operator_exists", "an operator with the address %s exists already", email)
			}
			return err
		}
		op := row.operator()
		return s.record(ctx, tx, entry{operator: &op, action: actionCreateOperator, detail: "enrolled from the command line"})
	})
	if err != nil {
		return "", fmt.Errorf("create operator: %w", err)
	}
	return key.URL(), nil
}

// DisableOperator stops an operator from signing in and ends their sessions; their audit
// lines and grants stay. For the command line, like CreateOperator.
func (s *Service) DisableOperator(ctx context.Context, email string) error {
	email = normalEmail(email)
	err := s.st.Owner(ctx).Transaction(func(tx *gorm.DB) error {
		var row operatorRow
		if err := tx.Where("email = ?", email).Take(&row).Error; err != nil {
			if store.IsNotFound(err) {
				return fault.NotFoundf("operator " + email)
			}
			return err
		}
		now := s.now()
		if err := tx.Model(&operatorRow{}).Where("id = ? AND disabled_at IS NULL", row.ID).Update("disabled_at", now).Error; err != nil {
			return err
		}
		if err := tx.Where("operator_id = ?", row.ID).Delete(&sessionRow{}).Error; err != nil {
			return err
		}
		op := row.operator()
		return s.record(ctx, tx, entry{operator: &op, action: actionDisableOperator, detail: "from the command line"})
	})
	if err != nil {
		return fmt.Errorf("disable operator: %w", err)
	}
	return nil
}
