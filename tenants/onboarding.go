package tenants

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/mail"
	"github.com/repflow/repflow/platform/store"
)

// VerificationLifetime is how long a sign-up's verification link works; signing up again with
// the same details mails a new one.
const VerificationLifetime = 48 * time.Hour

// Onboarding is self-service sign-up: a company signs up, its admin confirms their e-mail
// address by a link, and the tenant opens.
type Onboarding struct {
	prov   *Provisioner
	outbox *mail.Outbox
	// verifyURL is the page that takes a verification token: the link is verifyURL?token=...
	verifyURL string
	// record writes the new tenant's audit trail: its sign-up is its first record.
	record func(ctx context.Context, action, resource, outcome string) error
	now    func() time.Time
}

// Audited actions of sign-up, in the new tenant's trail.
const (
	ActionSignUp = "tenant.signup"
	ActionVerify = "tenant.verify"
)

// NewOnboarding returns sign-up over prov, mailing links to the pages under publicURL and
// recording in each new tenant's audit trail with record.
func NewOnboarding(prov *Provisioner, outbox *mail.Outbox, publicURL string, record func(ctx context.Context, action, resource, outcome string) error) *Onboarding {
	verify, _ := url.JoinPath(publicURL, "signup", "verify")
	return &Onboarding{prov: prov, outbox: outbox, verifyURL: verify, record: record, now: time.Now}
}

type verificationRow struct {
	TokenHash string
	Tenant    uuid.UUID
	Email     string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func (verificationRow) TableName() string { return "signup_verifications" }

// SignUp provisions an unverified tenant and mails its admin the link that opens it. Signing up
// again with the same company and e-mail before verifying (a lost mail, a double click) answers
// the same tenant and mails a fresh link: nothing is provisioned twice.
func (o *Onboarding) SignUp(ctx context.Context, in Signup) (Provisioned, error) {
	prov, err := o.prov.provision(ctx, in, StatusUnverified, func(ctx context.Context) error {
		if err := o.prov.setUp(ctx, in); err != nil {
			return err
		}
		if in.SampleData {
			if err := o.prov.buildSample(ctx, in, o.now()); err != nil {
				return fmt.Errorf("sample data: %w", err)
			}
		}
		return o.record(ctx, ActionSignUp, "tenant:"+identity.TenantID(ctx).String(), "ok")
	})
	if fault.Is(err, fault.Conflict) {
		if again, ok, aerr := o.pendingSignUp(ctx, in); aerr != nil {
			return Provisioned{}, aerr
		} else if ok {
			prov, err = again, nil
		}
	}
	if err != nil {
		return Provisioned{}, err
	}
	if err := o.mailVerification(ctx, prov.TenantID, prov.AdminEmail, prov.Name); err != nil {
		return Provisioned{}, err
	}
	prov.Status = StatusUnverified
	return prov, nil
}

// pendingSignUp finds the unverified tenant an identical sign-up made.
func (o *Onboarding) pendingSignUp(ctx context.Context, in Signup) (Provisioned, bool, error) {
	in, _, err := validSignup(in)
	if err != nil {
		return Provisioned{}, false, err
	}
	var login loginRow
	err = o.prov.store.Owner(ctx).Where("email = ?", in.AdminEmail).Take(&login).Error
	if store.IsNotFound(err) {
		return Provisioned{}, false, nil
	}
	if err != nil {
		return Provisioned{}, false, err
	}
	var t tenantRow
	if err := o.prov.store.Owner(ctx).Where("id = ?", login.TenantID).Take(&t).Error; err != nil {
		return Provisioned{}, false, err
	}
	if t.Status != StatusUnverified || t.Name != in.Company || t.Industry != in.Industry {
		return Provisioned{}, false, nil
	}
	return Provisioned{TenantID: t.ID, Slug: t.Slug, Name: t.Name, AdminID: login.UserID, AdminEmail: in.AdminEmail}, true, nil
}

// mailVerification queues a new verification link for the tenant's admin.
func (o *Onboarding) mailVerification(ctx context.Context, tenant uuid.UUID, email, company string) error {
	token := newToken()
	now := o.now().UTC()
	row := verificationRow{TokenHash: tokenHash(token), Tenant: tenant, Email: email, CreatedAt: now, ExpiresAt: now.Add(VerificationLifetime)}
	if err := o.prov.store.Owner(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("store verification: %w", err)
	}
	link := o.verifyURL + "?token=" + url.QueryEscape(token)
	return o.outbox.Queue(ctx, mail.Message{Tenant: tenant, Kind: "signup_verification", To: email,
		Subject: "Confirm your e-mail to open " + company + " on repflow / 确认邮箱以开通 repflow",
		Text: "Open this link within 48 hours to confirm your address and open " + company + ":\n" + link +
			"\n\n请在 48 小时内打开以上链接确认邮箱，开通 " + company + "。\n\nIf you did not sign up, ignore this message.\n"})
}

// errBadVerification is the one answer to a token that is wrong, used or expired.
var errBadVerification = fault.New(fault.Invalid, "invalid_verification",
	"this verification link is wrong, already used or expired: sign up again with the same details for a new one",
	fault.Detail{Location: "body.token", Message: "is not a live verification token"})

// Verify redeems a verification token: the tenant opens and its admin can sign in.
func (o *Onboarding) Verify(ctx context.Context, token string) (Provisioned, error) {
	var out Provisioned
	err := o.prov.store.Owner(ctx).Transaction(func(db *gorm.DB) error {
		var v verificationRow
		err := db.Where("token_hash = ?", tokenHash(token)).Take(&v).Error
		if store.IsNotFound(err) {
			return errBadVerification
		}
		if err != nil {
			return err
		}
		now := o.now().UTC()
		if v.UsedAt != nil || !now.Before(v.ExpiresAt) {
			return errBadVerification
		}
		used := db.Model(&verificationRow{}).Where("token_hash = ? AND used_at IS NULL", v.TokenHash).Update("used_at", now)
		if used.Error != nil {
			return used.Error
		}
		if used.RowsAffected == 0 {
			return errBadVerification // redeemed meanwhile
		}
		var t tenantRow
		if err := db.Where("id = ?", v.Tenant).Take(&t).Error; err != nil {
			return err
		}
		if t.Status == StatusUnverified {
			if err := db.Model(&tenantRow{}).Where("id = ? AND status = ?", t.ID, StatusUnverified).
				Updates(map[string]any{"status": StatusActive, "verified_at": now, "updated_at": now}).Error; err != nil {
				return err
			}
		}
		out = Provisioned{TenantID: t.ID, Slug: t.Slug, Name: t.Name, AdminEmail: v.Email, Status: StatusActive}
		return nil
	})
	if err != nil {
		return Provisioned{}, fmt.Errorf("verify sign-up: %w", err)
	}
	if err := o.record(identity.System(ctx, out.TenantID), ActionVerify, "tenant:"+out.TenantID.String(), "ok"); err != nil {
		return Provisioned{}, err
	}
	return out, nil
}

// newToken is 32 random bytes, URL-safe.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenHash is what is stored of a token: a leaked table opens nothing.
func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
