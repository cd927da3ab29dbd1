package orders

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// d is a calendar day of 2026 as predictions hold days: midnight UTC.
func d(month time.Month, day int) time.Time { return time.Date(2026, month, day, 0, 0, 0, 0, time.UTC) }

func TestPredictNextOrder(t *testing.T) {
	mar, apr := time.March, time.April
	for _, c := range []struct {
		name string
		days []time.Time
		want *Prediction // nil: no prediction
	}{
		{"no orders", nil, nil},
		// Two order days are one interval: not yet a rhythm.
		{"two order days", []time.Time{d(mar, 1), d(mar, 8)}, nil},
		// Three orders, but two on 1 March: still two order days.
		{"a top-up the same day is one order day", []time.Time{d(mar, 1), d(mar, 1), d(mar, 8)}, nil},
		// Intervals 7, 7: median 7, deviations 0, 0. 15 + 7 = 22 March.
		{"weekly", []time.Time{d(mar, 1), d(mar, 8), d(mar, 15)},
			&Prediction{LastOrderDay: d(mar, 15), IntervalDays: 7, SpreadDays: 0, NextOrderDay: d(mar, 22), OrdersUsed: 3}},
		// Given out of order with a same-day repeat: sorted and merged, the same as weekly.
		{"unsorted, with a repeat", []time.Time{d(mar, 15), d(mar, 1), d(mar, 8), d(mar, 15)},
			&Prediction{LastOrderDay: d(mar, 15), IntervalDays: 7, SpreadDays: 0, NextOrderDay: d(mar, 22), OrdersUsed: 3}},
		// Intervals 7, 7, 14, 7 (one late order): sorted 7, 7, 7, 14, median (7+7)/2 = 7 where the
		// mean would be 8.75; deviations 0, 0, 0, 7, median 0. 5 April + 7 = 12 April.
		{"one late order does not move it", []time.Time{d(mar, 1), d(mar, 8), d(mar, 15), d(mar, 29), d(apr, 5)},
			&Prediction{LastOrderDay: d(apr, 5), IntervalDays: 7, SpreadDays: 0, NextOrderDay: d(apr, 12), OrdersUsed: 5}},
		// Intervals 7, 8: median 7.5, a half day rounds down to 7; deviations 0.5, 0.5.
		// 16 + 7 = 23 March.
		{"half a day rounds down", []time.Time{d(mar, 1), d(mar, 8), d(mar, 16)},
			&Prediction{LastOrderDay: d(mar, 16), IntervalDays: 7, SpreadDays: 0.5, NextOrderDay: d(mar, 23), OrdersUsed: 3}},
		// Intervals 5, 9, 30: median 9; deviations 4, 0, 21, median 4. 14 April + 9 = 23 April.
		{"odd count", []time.Time{d(mar, 1), d(mar, 6), d(mar, 15), d(apr, 14)},
			&Prediction{LastOrderDay: d(apr, 14), IntervalDays: 9, SpreadDays: 4, NextOrderDay: d(apr, 23), OrdersUsed: 4}},
		// Intervals 3, 10, 2, 10: sorted 2, 3, 10, 10, median 6.5 → 6; deviations from 6.5 are
		// 3.5, 3.5, 4.5, 3.5, median 3.5. 26 March + 6 = 1 April.
		{"erratic", []time.Time{d(mar, 1), d(mar, 4), d(mar, 14), d(mar, 16), d(mar, 26)},
			&Prediction{LastOrderDay: d(mar, 26), IntervalDays: 6, SpreadDays: 3.5, NextOrderDay: d(apr, 1), OrdersUsed: 5}},
		// Monthly in January and February, then weekly from 1 March: only the last 7 order days
		// (1 March .. 12 April, 6 intervals of 7) count, so the old monthly rhythm is forgotten.
		{"only the last six intervals", []time.Time{d(time.January, 1), d(time.February, 1), d(mar, 1), d(mar, 8), d(mar, 15),
			d(mar, 22), d(mar, 29), d(apr, 5), d(apr, 12)},
			&Prediction{LastOrderDay: d(apr, 12), IntervalDays: 7, SpreadDays: 0, NextOrderDay: d(apr, 19), OrdersUsed: 7}},
		// Across the end of February 2026 (28 days): 20 Feb → 2 Mar is 10 days, 2 → 12 Mar 10.
		{"across a month end", []time.Time{d(time.February, 20), d(mar, 2), d(mar, 12)},
			&Prediction{LastOrderDay: d(mar, 12), IntervalDays: 10, SpreadDays: 0, NextOrderDay: d(mar, 22), OrdersUsed: 3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := predictNextOrder(c.days)
			if c.want == nil {
				if ok {
					t.Fatalf("predicted %+v from %d days, want no prediction", got, len(c.days))
				}
				return
			}
			if !ok {
				t.Fatal("no prediction")
			}
			if diff := cmp.Diff(*c.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// The input is not changed: callers keep their history as it was.
func TestPredictNextOrderLeavesInputAlone(t *testing.T) {
	days := []time.Time{d(time.March, 15), d(time.March, 1), d(time.March, 8)}
	predictNextOrder(days)
	if !days[0].Equal(d(time.March, 15)) {
		t.Errorf("input reordered: %v", days)
	}
}

// An order's day is the tenant's: 16:30 UTC on 28 February is 1 March in Shanghai.
func TestOrderDayIsTheTenantsDay(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, time.February, 28, 16, 30, 0, 0, time.UTC)
	if got := orderDay(at, shanghai); !got.Equal(d(time.March, 1)) {
		t.Errorf("day %v, want 2026-03-01", got)
	}
	if got := orderDay(at, time.UTC); !got.Equal(d(time.February, 28)) {
		t.Errorf("UTC day %v, want 2026-02-28", got)
	}
}
