package kpi

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWorkingDays(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		week     Week
		want     int
	}{
		// June 2026 has 30 days from Monday the 1st; Sundays 7, 14, 21, 28: 30 - 4 = 26.
		{"June, Monday to Saturday", "2026-06-01", "2026-07-01", Week{}, 26},
		// Saturdays 6, 13, 20, 27 too: 26 - 4 = 22.
		{"June, Monday to Friday", "2026-06-01", "2026-07-01", Week{1: true, 2: true, 3: true, 4: true, 5: true}, 22},
		{"one Sunday", "2026-06-07", "2026-06-08", Week{}, 0},
		{"empty", "2026-06-08", "2026-06-08", Week{}, 0},
		{"backwards", "2026-06-09", "2026-06-08", Week{}, 0},
		// 2026 has 365 days, 52 weeks and Thursday 1 January: 52 × 6 + 1 = 313.
		{"a year", "2026-01-01", "2027-01-01", Week{}, 313},
	}
	for _, tt := range tests {
		if got := WorkingDays(day(tt.from), day(tt.to), tt.week); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestRemainingWorkingDays(t *testing.T) {
	for today, want := range map[string]int{
		"":           0,  // judged after the fact
		"2026-05-20": 26, // before the period: all of it
		"2026-06-22": 8,  // Monday 22nd, today included, to the 30th, less the 28th
		"2026-06-30": 1,  // the last day is still a day
		"2026-07-01": 0,  // over
	} {
		p := june
		if today != "" {
			p.Today = day(today)
		}
		if got := p.RemainingWorkingDays(); got != want {
			t.Errorf("today %q: %d, want %d", today, got, want)
		}
	}
}

func TestPace(t *testing.T) {
	visits, _ := Lookup("visits")
	revenue, _ := Lookup("revenue")
	tests := []struct {
		name           string
		m              Metric
		actual, target float64
		days           int
		want           Pace
	}{
		// 200 - 188 = 12 over 8 days = 1.5.
		{"visits", visits, 188, 200, 8, Pace{12, 1.5, 8, "12 more visits: 1.5 per day", "还需拜访 12 次：每天 1.5 次"}},
		// 10 over 3 days = 3.33, rounded up to 3.4: 3.3 a day would leave 0.1 undone.
		{"rounded up", visits, 190, 200, 3, Pace{10, 3.4, 3, "10 more visits: 3.4 per day", "还需拜访 10 次：每天 3.4 次"}},
		// 199.5 of 200 still needs a whole visit.
		{"one", visits, 199.5, 200, 2, Pace{1, 0.5, 2, "1 more visit: 0.5 per day", "还需拜访 1 次：每天 0.5 次"}},
		{"reached", visits, 210, 200, 8, Pace{0, 0, 8, "target reached", "已达成目标"}},
		{"no day left", visits, 150, 200, 0, Pace{50, 0, 0, "50 more visits: no working day left", "还需拜访 50 次：本期已无工作日"}},
		// 100000 - 64000 = 36000 over 12 days = 3000.
		{"money", revenue, 64000, 100000, 12, Pace{36000, 3000, 12, "36000 more in revenue: 3000 per day", "还需完成销售额 36000：每天 3000"}},
	}
	for _, tt := range tests {
		got, ok := tt.m.Pace(tt.actual, tt.target, tt.days)
		if !ok {
			t.Errorf("%s: no pace", tt.name)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	for _, key := range []string{"average_sales_cycle", "coverage_rate", "average_visit_duration"} {
		m, _ := Lookup(key)
		if p, ok := m.Pace(1, 2, 5); ok {
			t.Errorf("%s has a pace %+v", key, p)
		}
	}
}
