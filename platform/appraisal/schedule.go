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
// Saturday, in the tenant's time zone) the tenant's report of the month before is made, and of
// the quarter before when the month begins a quarter, as the tenant's longest-serving admin, so
// that it covers exactly what that admin would see. An hourly sweep asks for them over the
// month's first week, so a day the service was down is caught up; each job is queued once and
// skips a period that already has a report made after it ended.

// sweepEvery is how often the sweep looks for tenants whose month has turned.
const sweepEvery = time.Hour

// catchUpDays is how far into a month the sweep still asks for the month before's report.
const catchUpDays = 7

// scheduledReport is the job that makes a tenant's report of Period. Its kind and field keep the
// names they had when only months were reported, so jobs queued then still run.
type scheduledReport struct {
	jobs.Tenant
	Period string `json:"month"`
}

func (scheduledReport) Kind() string { return "appraisal_monthly_report" }

// ScheduleMonthlyReports has q make every active tenant's monthly and quarterly reports; tenants
// lists them.
func (s *Service) ScheduleMonthlyReports(q *jobs.Queue, tenants func(ctx context.Context) ([]uuid.UUID, error)) {
	jobs.Handle(q, s.onScheduledReport)
	jobs.Every(q, "appraisal_monthly_reports", sweepEvery, func(ctx context.Context) error {
		ids, err := tenants(ctx)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := s.askForDueReports(identity.System(ctx, id), q); err != nil {
				return fmt.Errorf("tenant %s: %w", id, err)
			}
		}
		return nil
	})
}

// askForDueReports queues the reports of the month (and quarter) before, from the month's first
// working day to its catch-up limit.
func (s *Service) askForDueReports(ctx context.Context, q *jobs.Queue) error {
	loc, err := s.timeZone(ctx)
	if err != nil {
		return err
	}
	periods, due := reportsDue(s.now().In(loc))
	if !due {
		return nil
	}
	return s.store.Tx(ctx, func(ctx context.Context, _ *gorm.DB) error {
		for _, p := range periods {
			if err := q.EnqueueOnce(ctx, scheduledReport{Tenant: jobs.Tenant{TenantID: identity.TenantID(ctx)}, Period: p}, time.Time{}); err != nil {
				return err
			}
		}
		return nil
	})
}

// reportsDue says which reports fall due at local time now (the month before now's, and the
// quarter before when now's month begins a quarter), and whether they are due: from the first
// working day of now's month to its catch-up limit.
func reportsDue(now time.Time) (periods []string, due bool) {
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	for !kpi.MondayToSaturday[first.Weekday()] {
		first = first.AddDate(0, 0, 1)
	}
	last := first.AddDate(0, -1, 0)
	periods = []string{last.Format("2006-01")}
	if first.Month()%3 == 1 {
		periods = append(periods, Period{Year: last.Year(), First: last.Month() - 2, Months: 3}.String())
	}
	return periods, !now.Before(first) && now.Day() <= catchUpDays
}

// onScheduledReport makes the report unless the period has one made after it ended (by a person
// or an earlier run).
func (s *Service) onScheduledReport(ctx context.Context, a scheduledReport) error {
	_, _, end, err := s.span(ctx, a.Period, "month")
	if err != nil {
		return err
	}
	var made int64
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		return db.Model(&reportRow{}).Where("period = ? AND scope = ? AND created_at >= ?", a.Period, ScopeTenant, end.UTC()).Count(&made).Error
	})
	if err != nil || made > 0 {
		return err
	}
	admin, err := s.deps.Administrator(ctx)
	if fault.Is(err, fault.NotFound) {
		slog.Warn("no scheduled appraisal report: the tenant has no active administrator", "tenant", a.TenantID, "period", a.Period)
		return nil
	}
	if err != nil {
		return err
	}
	ctx = identity.With(ctx, admin)
	r, err := s.makeReport(ctx, a.Period, WholeTenant, true)
	if err != nil || s.deps.Record == nil {
		return err
	}
	return s.deps.Record(ctx, ActionScheduledReport, "appraisal_report:"+r.ID.String())
}

// ActionScheduledReport is the audit trail's action of a report made by the schedule.
const ActionScheduledReport = "appraisal.report.scheduled"
