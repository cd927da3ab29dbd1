package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
)

// KeyAccountTouches lists every key account with whether an activity the caller may list
// touched it in [from, to): what key-account coverage is judged on. Whose key accounts they are
// is their customers' owner, which the visits domain keeps.
func (s *Service) KeyAccountTouches(ctx context.Context, from, to time.Time) (map[uuid.UUID]bool, error) {
	if err := checkSpan(from, to); err != nil {
		return nil, err
	}
	out := map[uuid.UUID]bool{}
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, access.KindActivity, activityColumns)
		if err != nil {
			return err
		}
		var keys, touched []uuid.UUID
		if err := db.Model(&keyAccountRow{}).Pluck("customer_id", &keys).Error; err != nil {
			return err
		}
		for _, k := range keys {
			out[k] = false
		}
		err = db.Model(&activityRow{}).Scopes(scope).Distinct("activities.customer_id").
			Where("activities.occurred_at >= ? AND activities.occurred_at < ?", from.UTC(), to.UTC()).
			Where("activities.customer_id IN (SELECT k.customer_id FROM key_accounts k WHERE k.tenant_id = activities.tenant_id)").
			Pluck("activities.customer_id", &touched).Error
		for _, c := range touched {
			out[c] = true
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("key-account touches: %w", err)
	}
	return out, nil
}
