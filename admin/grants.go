package admin

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// A support grant lasts from one minute to four hours: long enough for a support session,
// short enough that a forgotten one closes itself the same day.
const (
	minGrantMinutes = 1
	maxGrantMinutes = 240
)

// GrantSupport gives ctx's operator read-only access to a tenant for minutes, for reason. The
// grant is written twice in one transaction: into operator_audit, and into the tenant's own
// support_grants, where the tenant's admin sees who looked, why and until when.
func (s *Service) GrantSupport(ctx context.Context, tenantID uuid.UUID, reason string, minutes int) (Grant, error) {
	op, err := operator(ctx)
	if err != nil {
		return Grant{}, err
	}
	e := entry{operator: &op, action: actionGrantSupport, tenant: &tenantID, reason: reason, detail: fmt.Sprintf("%d minutes", minutes)}
	if reason, err = checkReason(reason); err != nil {
		return Grant{}, s.refused(ctx, e, err)
	}
	e.reason = reason
	if minutes < minGrantMinutes || minutes > maxGrantMinutes {
		return Grant{}, s.refused(ctx, e, fault.Field("body.minutes",
			fmt.Sprintf("must be between %d and %d", minGrantMinutes, maxGrantMinutes), minutes))
	}
	now := s.now()
	// tenant_id is set here, explicitly: the owner handle stamps nothing.
	row := grantRow{TenantID: tenantID, ID: identity.NewID(), OperatorID: op.ID, OperatorEmail: op.Email,
		Reason: e.reason, StartsAt: now, ExpiresAt: now.Add(time.Duration(minutes) * time.Minute)}
	err = s.st.Owner(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := s.tenantRow(tx, tenantID); err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("create grant: %w", err)
		}
		e.detail = fmt.Sprintf("grant %s, %d minutes, until %s", row.ID, minutes, row.ExpiresAt.Format(time.RFC3339))
		return s.record(ctx, tx, e)
	})
	if fault.Is(err, fault.NotFound) {
		return Grant{}, s.refused(ctx, e, err)
	}
	if err != nil {
		return Grant{}, fmt.Errorf("grant support access to %s: %w", tenantID, err)
	}
	// After the commit: on the embedded database the tenant's trail would wait for it.
	if err := s.inTenant(ctx, tenantID, "support.grant", "support_grant:"+row.ID.String()); err != nil {
		return Grant{}, err
	}
	return row.grant(), nil
}

// Grants lists a tenant's support grants, newest first, expired and revoked ones included.
func (s *Service) Grants(ctx context.Context, tenantID uuid.UUID) ([]Grant, error) {
	if err := s.audit(ctx, entry{action: actionListGrants, tenant: &tenantID}); err != nil {
		return nil, err
	}
	if _, err := s.tenantRow(s.st.Owner(ctx), tenantID); err != nil {
		return nil, err
	}
	var rows []grantRow
	if err := s.st.Owner(ctx).Where("tenant_id = ?", tenantID).Order("id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list grants of %s: %w", tenantID, err)
	}
	out := make([]Grant, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.grant())
	}
	return out, nil
}

// RevokeGrant ends a grant before it expires. Revoking one already ended is not an error: the
// caller wanted it closed, and it is.
func (s *Service) RevokeGrant(ctx context.Context, tenantID, grantID uuid.UUID) error {
	op, err := operator(ctx)
	if err != nil {
		return err
	}
	e := entry{operator: &op, action: actionRevokeGrant, tenant: &tenantID, detail: "grant " + grantID.String()}
	err = s.st.Owner(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&grantRow{}).Where("tenant_id = ? AND id = ? AND revoked_at IS NULL", tenantID, grantID).
			Update("revoked_at", s.now())
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			if _, err := s.grant(tx, tenantID, grantID); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, e)
	})
	if fault.Is(err, fault.NotFound) {
		return s.refused(ctx, e, err)
	}
	if err != nil {
		return fmt.Errorf("revoke grant %s: %w", grantID, err)
	}
	return s.inTenant(ctx, tenantID, "support.revoke", "support_grant:"+grantID.String())
}

// ActiveGrant returns a tenant's grant if it opens the tenant now: not revoked, started and not
// expired. Turning it into a read-only tenant session (and checking that the operator asking is
// the one it was given to) is the caller's part.
func (s *Service) ActiveGrant(ctx context.Context, tenantID, grantID uuid.UUID) (Grant, error) {
	g, err := s.grant(s.st.Owner(ctx), tenantID, grantID)
	if err != nil {
		return Grant{}, err
	}
	if !g.Active(s.now()) {
		return Grant{}, fault.New(fault.Forbidden, "grant_inactive", "this support grant has expired or was revoked: ask for a new one")
	}
	return g, nil
}

func (s *Service) grant(db *gorm.DB, tenantID, grantID uuid.UUID) (Grant, error) {
	var row grantRow
	if err := db.Where("tenant_id = ? AND id = ?", tenantID, grantID).Take(&row).Error; err != nil {
		if store.IsNotFound(err) {
			return Grant{}, fault.NotFoundf("support grant")
		}
		return Grant{}, fmt.Errorf("read grant %s: %w", grantID, err)
	}
	return row.grant(), nil
}
