package appraisal

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
)

// The monthly report is made without a click: on the first working day of a month (Monday to
// Saturday, in the tenant's time zone) the tenant's report of the month before is made, as the
// tenant's longest-serving admin, so that it covers exactly what that admin would see. An hourly
// sweep asks for it over the month's first week, so a day the service was down is caught up; the
// job is queued once and skips a month that already has a report made after it ended.

// sweepEvery is how often the sweep looks for tenants whose month has turned.
const sweepEvery = time.Hour

// catchUpDays is how far into a month the sweep still asks for the month before's report.
const catchUpDays = 7

// monthlyReport is the job that makes a tenant's report of Month.
type monthlyReport struct {
	jobs.Tenant
	Month string `json:"month"`
}

func (monthlyReport) Kind() string { return "appraisal_monthly_report" }

// ScheduleMonthlyReports has q make every active tenant's monthly report; tenants lists them.
func (s *Service) ScheduleMonthlyReports(q *jobs.Queue, tenants func(ctx context.Context) ([]uuid.UUID, error)) {
	jobs.Handle(q, s.onMonthlyReport)
	jobs.Every(q, "appraisal_monthly_reports", sweepEvery, func(ctx context.Context) error {
		ids, err := tenants(ctx)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := s.askForLastMonth(identity.System(ctx, id), q); err != nil {
				return fmt.Errorf("tenant %s: %w", id, err)
			}
		}
		return nil
	})
}

// askForLastMonth queues the report of the month before, from the month's first working day
// to its catch-up limit.
func (s *Service) askForLastMonth(ctx context.Context, q *jobs.Queue) error {
	loc, err := s.timeZone(ctx)
	if err != nil {
		return err
	}
	month, due := reportDue(s.now().In(loc))
	if !due {
		return nil
	}
	return s.store.Tx(ctx, func(ctx context.Context, _ *gorm.DB) error {
		return q.EnqueueOnce(ctx, monthlyReport{Tenant: jobs.Tenant{TenantID: identity.TenantID(ctx)}, Month: month}, time.Time{})
	})
}

// reportDue says which month's report falls due at local time now (the month before now's), and
// whether it is due: from the first working day of now's month to its catch-up limit.
func reportDue(now time.Time) (month string, due bool) {
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	for !kpi.MondayToSaturday[first.Weekday()] {
		first = first.AddDate(0, 0, 1)
	}
	month = first.AddDate(0, -1, 0).Format("2006-01")
	return month, !now.Before(first) && now.Day() <= catchUpDays
}

// onMonthlyReport makes the report unless the month has one made after it ended (by a person or
// an earlier run).
func (s *Service) onMonthlyReport(ctx context.Context, a monthlyReport) error {
	_, end, err := s.month(ctx, a.Month, "month")
	if err != nil {
		return err
	}
	var made int64
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		return db.Model(&reportRow{}).Where("period = ? AND scope = ? AND created_at >= ?", a.Month, ScopeTenant, end.UTC()).Count(&made).Error
	})
	if err != nil || made > 0 {
		return err
	}
	admin, err := s.deps.Administrator(ctx)
	if fault.Is(err, fault.NotFound) {
		slog.Warn("no monthly appraisal report: the tenant has no active administrator", "tenant", a.TenantID, "month", a.Month)
		return nil
	}
	if err != nil {
		return err
	}
	ctx = identity.With(ctx, admin)
	r, err := s.makeReport(ctx, a.Month, WholeTenant, true)
	if err != nil || s.deps.Record == nil {
		return err
	}
	return s.deps.Record(ctx, ActionScheduledReport, "appraisal_report:"+r.ID.String())
}

// ActionScheduledReport is the audit trail's action of a report made by the schedule.
const ActionScheduledReport = "appraisal.report.scheduled"
