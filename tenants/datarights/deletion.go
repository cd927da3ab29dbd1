package datarights

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/store"
)

// RequestDeletion starts the deletion of the caller's whole tenant; the caller is a tenant admin
// who types the tenant's slug again as confirmation. The tenant turns StatusDeleting at once, so
// nobody signs in any more, and is purged once the grace period has passed; until then only the
// operator can Cancel. A tenant that Stripe still bills is refused: its subscription ends first.
func (s *Service) RequestDeletion(ctx context.Context, confirmSlug string) (Deletion, error) {
	p, err := adminOf(ctx, "delete the company's account")
	if err != nil {
		return Deletion{}, err
	}
	now := s.now()
	d := Deletion{Tenant: p.TenantID, Status: StatusDeleting, RequestedAt: now, PurgeAfter: now.Add(s.opts.Grace)}
	// The request's audit record (the HTTP edge writes it in the request's transaction) and the
	// status change commit together on the embedded database; on PostgreSQL the owner's change
	// commits first.
	err = s.store.Tx(ctx, func(ctx context.Context, _ *gorm.DB) error {
		return s.store.OwnerWrite(ctx, func(db *gorm.DB) error {
			var t tenantRow
			if err := db.Where("id = ?", p.TenantID).Take(&t).Error; err != nil {
				return fmt.Errorf("read tenant: %w", err)
			}
			if strings.TrimSpace(confirmSlug) != t.Slug {
				return fault.Field("body.confirm_slug", fmt.Sprintf("must repeat the company's slug, %q, to confirm the deletion", t.Slug), confirmSlug)
			}
			if err := checkNotBilled(db, p.TenantID); err != nil {
				return err
			}
			res := db.Model(&tenantRow{}).Where("id = ? AND status = ?", p.TenantID, statusActive).
				Updates(map[string]any{"status": StatusDeleting, "deletion_requested_at": d.RequestedAt, "purge_after": d.PurgeAfter, "updated_at": now})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return fault.Newf(fault.Conflict, "wrong_status", "the company's account is %s: only an account in service can be deleted", t.Status)
			}
			return nil
		})
	})
	if err != nil {
		return Deletion{}, fmt.Errorf("request deletion: %w", err)
	}
	return d, nil
}

// Cancel takes a tenant out of deletion during its grace period and puts it back in service.
// It is the operator's (admin/), who also audits it: the tenant's own people cannot sign in to
// ask. It uses the owner handle: call it outside any transaction of the owner's.
func (s *Service) Cancel(ctx context.Context, tenantID uuid.UUID) error {
	var found bool
	err := s.store.OwnerWrite(ctx, func(db *gorm.DB) error {
		res := db.Model(&tenantRow{}).Where("id = ? AND status = ?", tenantID, StatusDeleting).
			Updates(map[string]any{"status": statusActive, "deletion_requested_at": nil, "purge_after": nil, "updated_at": s.now()})
		if res.Error != nil || res.RowsAffected == 1 {
			found = res.RowsAffected == 1
			return res.Error
		}
		var n int64
		if err := db.Model(&tenantRow{}).Where("id = ?", tenantID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return fault.NotFoundf("tenant")
		}
		return errNotDeleting
	})
	if err != nil {
		return fmt.Errorf("cancel deletion of tenant %s: %w", tenantID, err)
	}
	if found {
		s.opts.Log.InfoContext(ctx, "tenant deletion cancelled", "tenant", tenantID)
	}
	return nil
}

// Deletion returns a tenant's pending deletion, for the operator console; ok is false when the
// tenant is not being deleted.
func (s *Service) Deletion(ctx context.Context, tenantID uuid.UUID) (d Deletion, ok bool, err error) {
	var t tenantRow
	if err := s.store.Owner(ctx).Where("id = ?", tenantID).Take(&t).Error; err != nil {
		if store.IsNotFound(err) {
			return d, false, fault.NotFoundf("tenant")
		}
		return d, false, fmt.Errorf("read tenant %s: %w", tenantID, err)
	}
	if t.Status != StatusDeleting || t.DeletionRequestedAt == nil || t.PurgeAfter == nil {
		return d, false, nil
	}
	return Deletion{Tenant: t.ID, Status: t.Status, RequestedAt: *t.DeletionRequestedAt, PurgeAfter: *t.PurgeAfter}, true, nil
}

// checkNotBilled refuses while tenant_billing says Stripe bills the tenant: deleting the tenant
// would leave a subscription charging a company that no longer exists here. The statuses are
// Stripe's; those that bill no more are the ones billing's account.live() also ignores.
func checkNotBilled(db *gorm.DB, tenant uuid.UUID) error {
	var live int64
	err := db.Table("tenant_billing").Where("tenant = ? AND subscription_id IS NOT NULL AND subscription_id <> '' AND status NOT IN ?",
		tenant, []string{"none", "canceled", "incomplete", "incomplete_expired"}).Count(&live).Error
	if err != nil {
		return fmt.Errorf("read billing: %w", err)
	}
	if live > 0 {
		return ErrSubscriptionActive
	}
	return nil
}
