package org

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/store"
)

// SeatLimit refuses a tenant more active people than its plan allows: active is how many there
// would be after the change. It answers nil, or the fault that says so.
type SeatLimit func(ctx context.Context, active int) error

// LimitSeats has every user created, or made active again, counted against limit. Without it
// there is no limit (a self-hosted server).
func (s *Service) LimitSeats(limit SeatLimit) { s.seats = limit }

// checkSeats counts the tenant's active people with one more, in the transaction that adds them.
// On PostgreSQL the count is taken under a transaction lock of the tenant's, so two people added
// at the same moment cannot both take the last seat.
func (s *Service) checkSeats(ctx context.Context, db *gorm.DB) error {
	if s.seats == nil {
		return nil
	}
	if s.store.Dialect() == store.Postgres {
		if err := db.Exec("SELECT pg_advisory_xact_lock(hashtext('seats:' || current_setting('app.tenant_id')))").Error; err != nil {
			return fmt.Errorf("lock seats: %w", err)
		}
	}
	var active int64
	if err := db.Model(&userRow{}).Where("status = ?", string(StatusActive)).Count(&active).Error; err != nil {
		return fmt.Errorf("count seats: %w", err)
	}
	return s.seats(ctx, int(active)+1)
}
