package appraisal

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// A month is the tenant's civil month: the sources are asked for the instants between its
// midnights in the tenant's time zone, whatever the server's zone, daylight saving included;
// the month before and the same month a year before likewise.
func TestMonthIsTheTenantsCivilMonth(t *testing.T) {
	f := newFixture(t)
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	asked := func(month string) [][2]time.Time {
		t.Helper()
		f.asked = nil
		call[ScorecardDTO](t, f, "admin", http.MethodGet, "/api/v1/appraisal/scorecard?period="+month+"&rep_id="+f.users["rep"].String(), nil, http.StatusOK)
		out := make([][2]time.Time, len(f.asked))
		for i, p := range f.asked {
			out[i] = [2]time.Time{p[0].UTC(), p[1].UTC()}
		}
		// The month, the month before, the year before: latest first, whatever order they ran in.
		slices.SortFunc(out, func(a, b [2]time.Time) int { return b[0].Compare(a[0]) })
		return out
	}
	// Shanghai is UTC+8 all year: June 2026 runs from 2026-05-31 16:00 UTC to 2026-06-30 16:00 UTC.
	want := [][2]time.Time{
		{utc("2026-05-31T16:00:00Z"), utc("2026-06-30T16:00:00Z")}, // June
		{utc("2026-04-30T16:00:00Z"), utc("2026-05-31T16:00:00Z")}, // May, month on month
		{utc("2025-05-31T16:00:00Z"), utc("2025-06-30T16:00:00Z")}, // June 2025, year on year
	}
	if d := cmp.Diff(want, asked("2026-06")); d != "" {
		t.Errorf("June in Shanghai (-want +got):\n%s", d)
	}
	// New York springs forward on 2026-03-08: March begins at 05:00 UTC (EST, UTC-5) and ends at
	// 04:00 UTC (EDT, UTC-4), 31 × 24 - 1 = 743 hours; February is all EST.
	if err := f.store.Owner(context.Background()).Table("tenants").Where("id = ?", f.tenant).Update("time_zone", "America/New_York").Error; err != nil {
		t.Fatal(err)
	}
	want = [][2]time.Time{
		{utc("2026-03-01T05:00:00Z"), utc("2026-04-01T04:00:00Z")},
		{utc("2026-02-01T05:00:00Z"), utc("2026-03-01T05:00:00Z")},
		{utc("2025-03-01T05:00:00Z"), utc("2025-04-01T04:00:00Z")}, // 2025 sprang forward on 03-09
	}
	got := asked("2026-03")
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("March in New York (-want +got):\n%s", d)
	}
	if len(got) > 0 && got[0][1].Sub(got[0][0]) != 743*time.Hour {
		t.Errorf("March 2026 in New York lasts %v, want 743h", got[0][1].Sub(got[0][0]))
	}
}
