package rollup

import (
	"slices"
	"testing"
	"time"
)

func TestWholeMonths(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	day := func(loc *time.Location, y int, m time.Month, d, h int) time.Time {
		return time.Date(y, m, d, h, 0, 0, 0, loc)
	}
	for _, c := range []struct {
		name     string
		from, to time.Time
		loc      *time.Location
		want     []string // nil: not whole months
	}{
		{"a month", day(sh, 2026, 10, 1, 0), day(sh, 2026, 11, 1, 0), sh, []string{"2026-10"}},
		{"a quarter across a year", day(sh, 2026, 11, 1, 0), day(sh, 2027, 2, 1, 0), sh, []string{"2026-11", "2026-12", "2027-01"}},
		{"given in UTC", day(sh, 2026, 10, 1, 0).UTC(), day(sh, 2026, 11, 1, 0).UTC(), sh, []string{"2026-10"}},
		// November in New York begins in daylight time (UTC-4) and ends in standard time (UTC-5).
		{"across a DST change", day(ny, 2026, 11, 1, 0), day(ny, 2026, 12, 1, 0), ny, []string{"2026-11"}},
		{"UTC midnight is not Shanghai's", day(time.UTC, 2026, 10, 1, 0), day(time.UTC, 2026, 11, 1, 0), sh, nil},
		{"a week", day(sh, 2026, 10, 5, 0), day(sh, 2026, 10, 12, 0), sh, nil},
		{"from a month's start to a day within", day(sh, 2026, 10, 1, 0), day(sh, 2026, 10, 20, 0), sh, nil},
		{"an hour past midnight", day(sh, 2026, 10, 1, 1), day(sh, 2026, 11, 1, 0), sh, nil},
		{"empty", day(sh, 2026, 10, 1, 0), day(sh, 2026, 10, 1, 0), sh, nil},
		{"backwards", day(sh, 2026, 11, 1, 0), day(sh, 2026, 10, 1, 0), sh, nil},
	} {
		got, ok := WholeMonths(c.from, c.to, c.loc)
		if ok != (c.want != nil) || !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v (%v), want %v", c.name, got, ok, c.want)
		}
	}
	// The month of an instant is the tenant's: 30 September 20:00 UTC is 1 October in Shanghai.
	if m := Month(time.Date(2026, 9, 30, 20, 0, 0, 0, time.UTC), sh); m != "2026-10" {
		t.Errorf("Month = %s, want 2026-10", m)
	}
}
