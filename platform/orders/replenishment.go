package orders

import (
	"math"
	"slices"
	"time"
)

// Replenishment (FMCG): a store reorders the same goods on a rhythm set by how fast its shelf
// empties, so the next order can be predicted from the days of its past orders.
//
//   - An order day is the calendar day, in the tenant's zone, on which an order was taken (its
//     creation): that is when the customer asked for goods. Approval lags by the manager's
//     availability (a weekend, a trip), which is noise unrelated to the shelf. Only orders that
//     were approved and are not cancelled count: a draft may never happen, a cancelled order did
//     not. Two orders on one day are one order day: a top-up or a split order is not a new cycle,
//     and a 0-day interval would drag the rhythm down.
//   - The prediction needs at least MinOrderDays order days (two intervals): one interval is an
//     anecdote, not a rhythm.
//   - The typical interval is the median of the last MaxIntervals intervals between consecutive
//     order days: recent enough to follow a change of rhythm, long enough to smooth it. The median,
//     not the mean, because one late order (a holiday, a promotion that overstocked the shelf) is
//     common and says nothing about the next cycle: intervals 7, 7, 14, 7 have mean 8.75 but
//     median 7. With an even count the median is the mean of the middle two, and a half day
//     rounds down: reminding a day early costs a call, a day late may cost a stock-out.
//   - The spread is the median absolute deviation of those intervals from their (unrounded)
//     median, robust for the same reason: 0 for a customer like clockwork, large for an erratic
//     one whose prediction deserves less trust.
//   - The predicted day is the last order day plus the typical interval.

// Limits of the prediction.
const (
	MinOrderDays = 3
	MaxIntervals = 6
)

// Prediction is when a customer is expected to order next. Days are calendar days, each held as
// midnight UTC of its date, so that day arithmetic is exact whatever the zone's clock changes.
type Prediction struct {
	LastOrderDay time.Time
	IntervalDays int     // the typical interval
	SpreadDays   float64 // median absolute deviation of the intervals used
	NextOrderDay time.Time
	OrdersUsed   int // order days the intervals came from (MinOrderDays..MaxIntervals+1)
}

// predictNextOrder predicts the next order day from the order days (any order, repeats
// allowed); ok is false with fewer than MinOrderDays distinct days.
func predictNextOrder(days []time.Time) (p Prediction, ok bool) {
	days = slices.Clone(days)
	slices.SortFunc(days, time.Time.Compare)
	days = slices.CompactFunc(days, time.Time.Equal)
	if len(days) < MinOrderDays {
		return Prediction{}, false
	}
	days = days[max(0, len(days)-MaxIntervals-1):]
	intervals := make([]float64, len(days)-1)
	for i := range intervals {
		intervals[i] = float64(daysBetween(days[i], days[i+1]))
	}
	m := median(intervals)
	deviations := make([]float64, len(intervals))
	for i, v := range intervals {
		deviations[i] = math.Abs(v - m)
	}
	last := days[len(days)-1]
	interval := int(m) // intervals are whole days, so m is too or ends in .5: this rounds a half down
	return Prediction{LastOrderDay: last, IntervalDays: interval, SpreadDays: median(deviations),
		NextOrderDay: last.AddDate(0, 0, interval), OrdersUsed: len(days)}, true
}

// median of a non-empty list; it sorts v.
func median(v []float64) float64 {
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// orderDay is the calendar day of t in loc, as a Prediction holds days.
func orderDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
