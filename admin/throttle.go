package admin

import (
	"context"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/web"
)

// Failed sign-ins allowed within throttleWindow before the address, or the client's IP, has to
// wait. The count is read from operator_audit, where every failure is written anyway: there is
// no second record to fall out of step with it.
const (
	addressFailures = 5
	ipFailures      = 20
	throttleWindow  = 15 * time.Minute
)

// checkThrottle answers TooMany while the address or the request's IP is locked. An address's
// count starts again after its last successful sign-in; an IP's does not, so one account's
// success cannot clear the way for guessing at others.
func (s *Service) checkThrottle(ctx context.Context, email string) error {
	db := s.st.Owner(ctx)
	now := s.now()
	var lastOK []time.Time
	err := db.Model(&auditRow{}).Where("operator_email = ? AND action = ? AND outcome = ?", email, actionLogin, outcomeOK).
		Order("at DESC").Limit(1).Pluck("at", &lastOK).Error
	if err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	since := now.Add(-throttleWindow)
	if len(lastOK) == 1 && lastOK[0].After(since) {
		since = lastOK[0]
	}
	until, err := lockedUntil(db.Where("operator_email = ?", email), since, addressFailures)
	if err != nil {
		return err
	}
	if ip := web.RequestOf(ctx).IP; ip != "" {
		byIP, err := lockedUntil(s.st.Owner(ctx).Where("ip = ?", ip), now.Add(-throttleWindow), ipFailures)
		if err != nil {
			return err
		}
		if byIP.After(until) {
			until = byIP
		}
	}
	if !until.After(now) {
		return nil
	}
	secs := int(math.Ceil(until.Sub(now).Seconds()))
	f := fault.Newf(fault.TooMany, "too_many_attempts", "too many failed sign-ins: wait %d minute(s) before trying again", (secs+59)/60)
	f.RetryAfter = secs
	return f
}

// lockedUntil returns when the failures matching q after since fall below limit again: the
// oldest of the newest limit failures leaves the window then. The zero time means not locked.
func lockedUntil(q *gorm.DB, since time.Time, limit int) (time.Time, error) {
	var at []time.Time
	err := q.Model(&auditRow{}).Where("action = ? AND outcome = ? AND at > ?", actionLogin, outcomeFailed, since).
		Order("at DESC").Limit(limit).Pluck("at", &at).Error
	if err != nil {
		return time.Time{}, fmt.Errorf("login throttle: %w", err)
	}
	if len(at) < limit {
		return time.Time{}, nil
	}
	return at[limit-1].Add(throttleWindow), nil
}
