package appraisal

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/appraisal/report"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
)

func TestReportDueOnTheFirstWorkingDay(t *testing.T) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	newYork, _ := time.LoadLocation("America/New_York")
	at := func(s string, loc *time.Location) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		now     time.Time
		periods string
		due     bool
	}{
		// 2026-12-01 is a Tuesday: November's report is due from its first minute.
		{at("2026-12-01 00:00", shanghai), "2026-11", true},
		{at("2026-11-30 23:59", shanghai), "2026-10", false}, // November's 30th is past its catch-up week
		// 2026-11-01 is a Sunday: October's report waits for Monday the 2nd.
		{at("2026-11-01 12:00", shanghai), "2026-10", false},
		{at("2026-11-02 00:00", shanghai), "2026-10", true},
		// The catch-up week ends with the 7th.
		{at("2026-12-07 23:59", shanghai), "2026-11", true},
		{at("2026-12-08 00:00", shanghai), "2026-11", false},
		// A month that begins a quarter has the quarter before reported too, across a new year.
		{at("2026-10-01 08:00", shanghai), "2026-09 2026-Q3", true},
		{at("2027-01-01 08:00", shanghai), "2026-12 2026-Q4", true},
		{at("2026-04-06 08:00", shanghai), "2026-03 2026-Q1", true},
		// In the tenant's zone: 2026-03-01 04:30 UTC is still February 28th in New York, and
		// 2026-03-02 (a Monday; the 1st is a Sunday) begins at 05:00 UTC.
		{at("2026-03-01 04:30", time.UTC).In(newYork), "2026-01", false},
		{at("2026-03-02 04:59", time.UTC).In(newYork), "2026-02", false},
		{at("2026-03-02 05:00", time.UTC).In(newYork), "2026-02", true},
	}
	for _, tc := range tests {
		periods, due := reportsDue(tc.now)
		if got := strings.Join(periods, " "); got != tc.periods || due != tc.due {
			t.Errorf("at %s: %s due %v, want %s due %v", tc.now, got, due, tc.periods, tc.due)
		}
	}
}

// On the first working day the sweep has last month's report made, once, as the tenant's admin.
func TestMonthlyReportIsMadeOnceByTheSchedule(t *testing.T) {
	f := newFixture(t)
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	f.clock = func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, shanghai) }
	q, err := jobs.New(f.store, jobs.Options{PollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	f.svc.ScheduleMonthlyReports(q, func(context.Context) ([]uuid.UUID, error) { return []uuid.UUID{f.tenant}, nil })
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
	})
	reports := func() []reportRow {
		var rows []reportRow
		err := f.store.Tx(identity.System(context.Background(), f.tenant), func(_ context.Context, db *gorm.DB) error {
			return db.Where("period = ?", "2026-11").Find(&rows).Error
		})
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(reports()) == 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	// The sweep ran at start; its next run asks again.
	if err := f.svc.askForDueReports(identity.System(context.Background(), f.tenant), q); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	rows := reports()
	if len(rows) != 1 {
		t.Fatalf("%d reports of November, want 1", len(rows))
	}
	var r report.Report
	if err := json.Unmarshal([]byte(rows[0].Body), &r); err != nil {
		t.Fatal(err)
	}
	if !r.Scheduled || r.CreatedBy != f.users["admin"] || r.Scope != ScopeTenant || len(r.Reps) != 2 {
		t.Errorf("the scheduled report: scheduled %v, by %s (admin %s), scope %s, %d reps", r.Scheduled, r.CreatedBy, f.users["admin"], r.Scope, len(r.Reps))
	}
	if want := ActionScheduledReport + " appraisal_report:" + r.ID.String(); len(f.audited) != 1 || f.audited[0] != want {
		t.Errorf("audited %q, want %q", f.audited, want)
	}
}
