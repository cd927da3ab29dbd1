package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
)

// KeyTouch is a key account in a period: since when it is key, and whether an activity touched
// it in the period.
type KeyTouch struct {
	MarkedAt time.Time
	Touched  bool
}

// KeyAccountTouches lists every key account with whether an activity the caller may list
// touched it in [from, to): what key-account coverage and retention are judged on. Whose key
// accounts they are is their customers' owner, which the visits domain keeps.
func (s *Service) KeyAccountTouches(ctx context.Context, from, to time.Time) (map[uuid.UUID]KeyTouch, error) {
	if err := checkSpan(from, to); err != nil {
		return nil, err
	}
	out := map[uuid.UUID]KeyTouch{}
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, access.KindActivity, activityColumns)
		if err != nil {
			return err
		}
		var keys []struct {
			CustomerID uuid.UUID
			MarkedAt   time.Time
			Touched    bool
		}
		// Asked key account by key account, through activities_customer_time: a month of a large
		// tenant is millions of activities and its key accounts a few hundred.
		touched := db.Model(&activityRow{}).Scopes(scope).Select("1").
			Where("activities.customer_id = key_accounts.customer_id AND activities.occurred_at >= ? AND activities.occurred_at < ?", from.UTC(), to.UTC())
		err = db.Model(&keyAccountRow{}).Select("key_accounts.customer_id, key_accounts.marked_at, EXISTS (?) AS touched", touched).Scan(&keys).Error
		for _, k := range keys {
			out[k.CustomerID] = KeyTouch{MarkedAt: k.MarkedAt.UTC(), Touched: k.Touched}
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("key-account touches: %w", err)
	}
	return out, nil
}
