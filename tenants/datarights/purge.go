package datarights

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/store"
)

// keptTables name a tenant yet are kept by its purge. operator_audit is the platform's record of
// what its operators did to the tenant (suspended it, read its data under a support grant,
// cancelled a deletion): the accountability the platform owes for that work must outlive the
// tenant, and its lines hold nothing of the tenant's own beyond its id.
var keptTables = []string{"operator_audit"}

// Purge deletes everything of a tenant whose deletion's grace period has passed, in one
// transaction of the owner's: every row of every table with a tenant_id column, the rows of the
// global tables that name it in a tenant column (billing, mail, sign-up; not keptTables), the
// login throttle of its addresses, its queued jobs, its photos and exports, and last its tenants
// row. Files go just before the commit, so a failure leaves the tenant to the next sweep rather
// than files nobody remembers. A tenant that Stripe still bills is refused with
// ErrSubscriptionActive.
func (s *Service) Purge(ctx context.Context, tenantID uuid.UUID) (PurgeReport, error) {
	return s.purge(ctx, tenantID, s.checkDue, nil)
}

// purge is Purge once check, given the tenant's row locked in the purge's transaction, allows
// it; done, unless nil, runs in that transaction once the rows are deleted.
func (s *Service) purge(ctx context.Context, tenantID uuid.UUID, check func(tx *gorm.DB, t tenantRow) error,
	done func(tx *gorm.DB, t tenantRow, rep PurgeReport) error) (PurgeReport, error) {
	rep := PurgeReport{Tenant: tenantID, Rows: map[string]int64{}}
	err := s.store.Owner(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := s.lockTenant(tx, tenantID)
		if err != nil {
			return err
		}
		if err := check(tx, t); err != nil {
			return err
		}
		cat, err := readCatalog(tx, s.store.Dialect())
		if err != nil {
			return err
		}
		del := func(table, where string, args ...any) error {
			res := tx.Exec("DELETE FROM "+quote(table)+" WHERE "+where, args...)
			if res.Error != nil {
				return fmt.Errorf("delete from %s: %w", table, res.Error)
			}
			rep.Rows[table] += res.RowsAffected
			return nil
		}
		// Failed sign-ins are counted per address in a global table; the addresses are read
		// from login_emails before it goes.
		if _, ok := cat.table("login_throttle"); ok {
			if err := del("login_throttle", "key IN (SELECT 'email:' || email FROM login_emails WHERE tenant_id = ?)", tenantID); err != nil {
				return err
			}
		}
		owned, err := cat.deleteOrder(s.owned(cat))
		if err != nil {
			return err
		}
		for _, t := range owned {
			key := "tenant_id"
			if !t.has(key) {
				key = "tenant"
			}
			if err := del(t.Name, quote(key)+" = ?", tenantID); err != nil {
				return err
			}
		}
		// A job names its tenant in its arguments (platform/jobs.Tenant).
		jobOfTenant := "args->>'tenant_id' = ?"
		if s.store.Dialect() == store.SQLite {
			jobOfTenant = "json_extract(args, '$.tenant_id') = ?"
		}
		if err := del("river_job", jobOfTenant, tenantID.String()); err != nil {
			return err
		}
		if err := del("tenants", "id = ?", tenantID); err != nil {
			return err
		}
		if done != nil {
			if err := done(tx, t, rep); err != nil {
				return err
			}
		}
		return s.deleteFiles(ctx, tenantID)
	})
	if err != nil {
		return PurgeReport{}, fmt.Errorf("purge tenant %s: %w", tenantID, err)
	}
	return rep, nil
}

// owned lists the tables whose rows belong to one tenant: those with a tenant_id column, and
// the global ones naming it in a column called tenant, less keptTables.
func (s *Service) owned(cat catalog) []table {
	var out []table
	for _, t := range cat.tables {
		if (t.has("tenant_id") || t.has("tenant")) && !slices.Contains(keptTables, t.Name) {
			out = append(out, t)
		}
	}
	return out
}

// lockTenant reads the tenant's row and locks it, so that a Cancel or a verification waits for
// the purge, and then finds no tenant.
func (s *Service) lockTenant(tx *gorm.DB, tenantID uuid.UUID) (tenantRow, error) {
	q := tx
	if s.store.Dialect() == store.Postgres {
		q = tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	var t tenantRow
	if err := q.Where("id = ?", tenantID).Take(&t).Error; err != nil {
		if store.IsNotFound(err) {
			return t, fault.NotFoundf("tenant")
		}
		return t, fmt.Errorf("read tenant: %w", err)
	}
	return t, nil
}

// checkDue refuses unless the tenant's grace period is over and Stripe bills it no more.
func (s *Service) checkDue(tx *gorm.DB, t tenantRow) error {
	if t.Status != StatusDeleting || t.PurgeAfter == nil {
		return errNotDeleting
	}
	if s.now().Before(*t.PurgeAfter) {
		return fault.Newf(fault.Conflict, "grace_period", "the tenant's deletion may still be cancelled until %s", t.PurgeAfter.Format(time.RFC3339))
	}
	return checkNotBilled(tx, t.ID)
}

// deleteFiles removes the tenant's photos and exports. Photos are stored per tenant (a blob's
// path starts with its tenant), so the same picture uploaded by another tenant is that tenant's
// own file and stays: no file is shared across tenants to be counted.
func (s *Service) deleteFiles(ctx context.Context, tenantID uuid.UUID) error {
	var errs []error
	if s.photos != nil {
		errs = append(errs, s.photos.DeleteTenant(ctx, tenantID))
	}
	if err := os.RemoveAll(s.tenantDir(tenantID)); err != nil {
		errs = append(errs, fmt.Errorf("delete exports: %w", err))
	}
	return errors.Join(errs...)
}

// PurgeDue purges every tenant whose grace period has passed. A tenant still billed by Stripe
// is logged as an error and left for a later run, once the subscription has ended.
func (s *Service) PurgeDue(ctx context.Context) error {
	var ids []uuid.UUID
	err := s.store.Owner(ctx).Model(&tenantRow{}).Where("status = ? AND purge_after <= ?", StatusDeleting, s.now()).Pluck("id", &ids).Error
	if err != nil {
		return fmt.Errorf("list tenants to purge: %w", err)
	}
	var errs []error
	for _, id := range ids {
		rep, err := s.Purge(ctx, id)
		switch {
		case errors.Is(err, ErrSubscriptionActive):
			s.opts.Log.ErrorContext(ctx, "tenant not purged: Stripe still bills it; cancel its subscription and the next sweep purges it", "tenant", id)
		case err != nil:
			errs = append(errs, err)
		default:
			var n int64
			for _, c := range rep.Rows {
				n += c
			}
			s.opts.Log.InfoContext(ctx, "tenant purged", "tenant", id, "rows", n, "jobs", rep.Rows["river_job"])
		}
	}
	return errors.Join(errs...)
}
