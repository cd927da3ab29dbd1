package datarights

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/tenants"
)

// ActionPurgeAbandoned is the operator audit's action for the purge of an abandoned sign-up.
const ActionPurgeAbandoned = "tenant.purge.abandoned_signup"

// errNotAbandoned refuses the purge of a sign-up that was verified or renewed meanwhile.
var errNotAbandoned = fault.New(fault.Conflict, "not_abandoned", "the sign-up was verified, or its link mailed again, since it was found abandoned")

// abandonedSQL finds the sign-ups nobody verified within the limit, counted from the last
// verification link mailed: signing up again with the same details mails a fresh link to the
// same tenant, and a company that does so on the sixth day still has its link's 48 hours.
const abandonedSQL = `status = ? AND created_at <= ? AND NOT EXISTS (
	SELECT 1 FROM signup_verifications v WHERE v.tenant = tenants.id AND v.created_at > ?)`

// PurgeAbandoned purges, with everything they made, the sign-ups still unverified after
// AbandonAfter: nobody ever signed in to them, and their admins' addresses become free for a
// new sign-up. Each purge is logged and recorded in the operator audit (RecordPurge).
func (s *Service) PurgeAbandoned(ctx context.Context) error {
	cutoff := s.now().Add(-s.opts.AbandonAfter)
	var ids []uuid.UUID
	err := s.store.Owner(ctx).Model(&tenantRow{}).Where(abandonedSQL, tenants.StatusUnverified, cutoff, cutoff).Pluck("id", &ids).Error
	if err != nil {
		return fmt.Errorf("list abandoned sign-ups: %w", err)
	}
	var errs []error
	for _, id := range ids {
		rep, err := s.purge(ctx, id, func(tx *gorm.DB, t tenantRow) error {
			var n int64
			if err := tx.Model(&tenantRow{}).Where("id = ? AND "+abandonedSQL, t.ID, tenants.StatusUnverified, cutoff, cutoff).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return errNotAbandoned
			}
			return checkNotBilled(tx, t.ID)
		}, func(tx *gorm.DB, t tenantRow, rep PurgeReport) error {
			if s.opts.RecordPurge == nil {
				return nil
			}
			// Like every line of the operator audit, it holds nothing of the tenant's own beyond
			// its id (not its name, nor its admin's address): the purge leaves nothing of it.
			detail := fmt.Sprintf("a sign-up left unverified since %s, longer than %s: purged with its %d rows",
				t.CreatedAt.UTC().Format(time.RFC3339), days(s.opts.AbandonAfter), rows(rep))
			return s.opts.RecordPurge(ctx, tx, t.ID, ActionPurgeAbandoned, detail)
		})
		switch {
		case errors.Is(err, errNotAbandoned), fault.Is(err, fault.NotFound):
			// Verified, renewed or purged by another replica meanwhile: nothing to do.
		case err != nil:
			errs = append(errs, err)
		default:
			s.opts.Log.InfoContext(ctx, "abandoned sign-up purged", "tenant", id, "rows", rows(rep), "unverified_for_more_than", days(s.opts.AbandonAfter))
		}
	}
	return errors.Join(errs...)
}

// AbandonAfter is how long a sign-up may stay unverified before PurgeAbandoned takes it.
func (s *Service) AbandonAfter() time.Duration { return s.opts.AbandonAfter }

// rows counts what a purge deleted.
func rows(rep PurgeReport) int64 {
	var n int64
	for _, c := range rep.Rows {
		n += c
	}
	return n
}

// days writes a limit the way it is configured in practice: "7 days", "36h0m0s" otherwise.
func days(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return d.String()
}
