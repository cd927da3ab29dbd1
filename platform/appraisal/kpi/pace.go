package kpi

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Week marks the working days, indexed by time.Weekday.
type Week [7]bool

// MondayToSaturday is the default working week, the one the visits domain counts visits per
// working day over, so that a pace and a visits-per-day figure agree.
var MondayToSaturday = Week{time.Monday: true, time.Tuesday: true, time.Wednesday: true,
	time.Thursday: true, time.Friday: true, time.Saturday: true}

// orDefault reads the zero Week, which has no working day at all, as the default week.
func (w Week) orDefault() Week {
	if w == (Week{}) {
		return MondayToSaturday
	}
	return w
}

// WorkingDays counts the working days among the civil days [from, to), each date read in its own
// location. Holidays are the caller's to subtract: they are a tenant's calendar, not a rule.
func WorkingDays(from, to time.Time, w Week) int {
	w = w.orDefault()
	start, end := civil(from), civil(to)
	if !end.After(start) {
		return 0
	}
	n := int(end.Sub(start).Hours()/24 + 0.5) // UTC dates: every day is 24 hours
	perWeek := 0
	for _, on := range w {
		if on {
			perWeek++
		}
	}
	days := n / 7 * perWeek
	for d := start.AddDate(0, 0, n/7*7); d.Before(end); d = d.AddDate(0, 0, 1) {
		if w[d.Weekday()] {
			days++
		}
	}
	return days
}

// RemainingWorkingDays counts the working days from Today, included, to the period's end: a
// dashboard is read in the morning, before the day's visits. 0 once the period is over or when
// Today is not set.
func (p Period) RemainingWorkingDays() int {
	if p.Today.IsZero() {
		return 0
	}
	from := p.From
	if civil(p.Today).After(civil(from)) {
		from = p.Today
	}
	return WorkingDays(from, p.To, p.Week)
}

func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Pace is what is still needed of a metric to meet its target by the period's end.
type Pace struct {
	Remaining float64 `json:"remaining"` // in the metric's unit, rounded up to a whole one; 0 once met
	PerDay    float64 `json:"per_day"`   // per remaining working day, rounded up to a tenth
	Days      int     `json:"days"`      // working days remaining
	En        string  `json:"en"`        // "12 more visits: 1.5 per day"
	Zh        string  `json:"zh"`        // "还需拜访 12 次：每天 1.5 次"
}

// Pace is the amount still needed of the metric and its rate per remaining working day. Only the
// metrics whose amount adds up day by day have one (visits, calls, orders, revenue...): a rate or
// an average is not made by doing "N more per day", and a lower-is-better metric (the sales cycle)
// is an average that no amount of extra work today lowers in a countable way. For those, ok is
// false.
func (m Metric) Pace(actual, target float64, days int) (p Pace, ok bool) {
	if m.pace == nil || m.Direction != HigherIsBetter || !finite(actual) || !finite(target) {
		return Pace{}, false
	}
	p.Days = max(days, 0)
	if actual >= target {
		p.En, p.Zh = "target reached", "已达成目标"
		return p, true
	}
	// Rounded up: a pace that undershoots by a fraction misses the target.
	p.Remaining = math.Ceil(target - actual - 1e-9)
	amount := num(p.Remaining)
	noun := m.pace.many
	if p.Remaining == 1 {
		noun = m.pace.one
	}
	head := fmt.Sprintf("还需%s %s%s", m.pace.verb, amount, measure(m.pace.measure))
	if p.Days == 0 {
		p.En = fmt.Sprintf("%s more %s: no working day left", amount, noun)
		p.Zh = head + "：本期已无工作日"
		return p, true
	}
	p.PerDay = math.Ceil(p.Remaining/float64(p.Days)*10-1e-9) / 10
	p.En = fmt.Sprintf("%s more %s: %s per day", amount, noun, num(p.PerDay))
	p.Zh = fmt.Sprintf("%s：每天 %s%s", head, num(p.PerDay), measure(m.pace.measure))
	return p, true
}

func measure(word string) string {
	if word == "" {
		return ""
	}
	return " " + word
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
