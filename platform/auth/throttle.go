package auth

import (
	"context"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/fault"
)

// Throttle keys. Unknown addresses are counted like known ones, so a lockout reveals nothing.
func accountKey(email string) string { return "email:" + email }
func ipKey(ip string) string         { return "ip:" + ip }

// throttleKeys are the keys a login attempt counts against, each with its failure limit.
func (s *Service) throttleKeys(email, ip string) map[string]int {
	keys := map[string]int{accountKey(email): s.cfg.Throttle.AccountFailures}
	if ip != "" {
		keys[ipKey(ip)] = s.cfg.Throttle.IPFailures
	}
	return keys
}

// checkLocked answers a TooMany fault when any key is locked, naming the longest wait.
func (s *Service) checkLocked(ctx context.Context, keys map[string]int) error {
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	var rows []throttleRow
	if err := s.s.Owner(ctx).Where("key IN ?", names).Find(&rows).Error; err != nil {
		return fmt.Errorf("read login throttle: %w", err)
	}
	now := s.now()
	var wait time.Duration
	for _, r := range rows {
		if r.LockedUntil != nil && r.LockedUntil.After(now) {
			wait = max(wait, r.LockedUntil.Sub(now))
		}
	}
	if wait == 0 {
		return nil
	}
	secs := int(math.Ceil(wait.Seconds()))
	f := fault.Newf(fault.TooMany, "too_many_attempts",
		"too many failed sign-ins: wait %d minute(s) before trying again, or reset the password", (secs+59)/60)
	f.RetryAfter = secs
	return f
}

// countFailure adds a failed attempt to key and locks it when the window holds limit failures.
// The row is locked while it is read and written (SQLite transactions here lock the database),
// so replicas counting at once never lose a failure.
func (s *Service) countFailure(ctx context.Context, key string, limit int) error {
	now := s.now()
	t := s.cfg.Throttle
	err := s.s.Owner(ctx).Transaction(func(tx *gorm.DB) error {
		fresh := throttleRow{Key: key, WindowStart: now}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&fresh).Error; err != nil {
			return err
		}
		var r throttleRow
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("key = ?", key).Take(&r).Error; err != nil {
			return err
		}
		// A new window starts when the old one has passed or an earlier lockout has ended.
		lockEnded := r.LockedUntil != nil && !r.LockedUntil.After(now)
		if !r.WindowStart.Add(t.Window).After(now) || lockEnded {
			r.Failures, r.WindowStart, r.LockedUntil = 0, now, nil
		}
		r.Failures++
		if r.Failures >= limit {
			until := now.Add(t.Lockout)
			r.LockedUntil = &until
		}
		return tx.Model(&throttleRow{}).Where("key = ?", key).Updates(map[string]any{
			"failures": r.Failures, "window_start": r.WindowStart, "locked_until": r.LockedUntil,
		}).Error
	})
	if err != nil {
		return fmt.Errorf("count failed login: %w", err)
	}
	return nil
}

// clearFailures forgets key's failures (a successful login clears its account's count).
func (s *Service) clearFailures(ctx context.Context, key string) error {
	if err := s.s.Owner(ctx).Where("key = ?", key).Delete(&throttleRow{}).Error; err != nil {
		return fmt.Errorf("clear login throttle: %w", err)
	}
	return nil
}
