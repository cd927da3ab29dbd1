package admin

import (
	"context"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
)

// SupportTokenPrefix starts the bearer token of a support session, so the server tells it from
// a tenant user's token before looking anything up.
const SupportTokenPrefix = "rfs_"

// A support session is how a grant opens a tenant: the grant's operator opens it and gets a
// bearer token for the tenant's API that reads like HQ (the whole tenant) and writes nothing, and
// that dies with the grant: at its expiry, or when the operator or the tenant's admin revokes it.
// Opening a new session with the same grant ends the one before.

// OpenSupportSession gives ctx's operator a read-only token into the tenant through their grant,
// until the grant expires.
func (s *Service) OpenSupportSession(ctx context.Context, tenantID, grantID uuid.UUID) (string, time.Time, error) {
	op, err := operator(ctx)
	if err != nil {
		return "", time.Time{}, err
	}
	e := entry{operator: &op, action: actionSupportSession, tenant: &tenantID, detail: "grant " + grantID.String()}
	g, err := s.ActiveGrant(ctx, tenantID, grantID)
	if err == nil && g.OperatorID != op.ID {
		err = fault.New(fault.Forbidden, "not_your_grant", "this support grant was given to another operator: ask for your own")
	}
	if err != nil {
		return "", time.Time{}, s.refused(ctx, e, err)
	}
	token := SupportTokenPrefix + tenantID.String() + "." + grantID.String() + "." + newSecret()
	err = s.st.Owner(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&grantRow{}).Where("tenant_id = ? AND id = ?", tenantID, grantID).Update("session_hash", sessionHash(token)).Error; err != nil {
			return err
		}
		return s.record(ctx, tx, e)
	})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("open support session: %w", err)
	}
	if err := s.inTenant(ctx, tenantID, "support.session", "support_grant:"+grantID.String()); err != nil {
		return "", time.Time{}, err
	}
	return token, g.ExpiresAt, nil
}

// sessionHash is tokenHash as support_grants keeps it, in text.
func sessionHash(token string) string { return hex.EncodeToString(tokenHash(token)) }

// errSupportSession answers a support token that is wrong, replaced, revoked or expired.
var errSupportSession = fault.New(fault.Unauthorized, "support_session_ended",
	"this support session is not open: its grant expired or was revoked, or a newer session replaced it")

// SupportPrincipal is who a support token acts as in its tenant: no user (the grant's id stands
// in for one, in the tenant's audit trail), HQ's reach over the whole tenant, and read-only.
func (s *Service) SupportPrincipal(ctx context.Context, token string) (identity.Principal, error) {
	parts := strings.SplitN(strings.TrimPrefix(token, SupportTokenPrefix), ".", 3)
	if len(parts) != 3 {
		return identity.Principal{}, errSupportSession
	}
	tenantID, err1 := uuid.Parse(parts[0])
	grantID, err2 := uuid.Parse(parts[1])
	if err1 != nil || err2 != nil {
		return identity.Principal{}, errSupportSession
	}
	var row grantRow
	err := s.st.Owner(ctx).Where("tenant_id = ? AND id = ?", tenantID, grantID).Take(&row).Error
	if err != nil || row.SessionHash == nil || subtle.ConstantTimeCompare([]byte(*row.SessionHash), []byte(sessionHash(token))) != 1 ||
		!row.grant().Active(s.now()) {
		return identity.Principal{}, errSupportSession
	}
	var root struct {
		ID   uuid.UUID
		Path string
	}
	if err := s.st.Owner(ctx).Table("regions").Select("id, path").Where("tenant_id = ? AND parent_id IS NULL", tenantID).Take(&root).Error; err != nil {
		return identity.Principal{}, fmt.Errorf("support session's tenant root: %w", err)
	}
	return identity.Principal{TenantID: tenantID, UserID: grantID, SessionID: grantID, Roles: []string{identity.RoleHQ},
		RegionID: root.ID, RegionPath: root.Path, Support: true}, nil
}
