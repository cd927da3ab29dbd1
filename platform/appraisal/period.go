package appraisal

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/fault"
)

// Period is what the appraisal scores, sets targets for and reports on: a month (YYYY-MM) or a
// quarter (YYYY-Qn), in the tenant's time zone.
type Period struct {
	Year   int
	First  time.Month // the period's first month
	Months int        // 1 for a month, 3 for a quarter
}

var (
	monthText   = regexp.MustCompile(`^(\d{4})-(0[1-9]|1[0-2])$`)
	quarterText = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)
)

// periodRule is what every period field says when it is refused.
const periodRule = "is not a month written YYYY-MM or a quarter written YYYY-Qn"

// ParsePeriod reads a period as written in a request; location names the field in an error.
func ParsePeriod(s, location string) (Period, error) {
	if m := monthText.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		return Period{Year: y, First: time.Month(mo), Months: 1}, nil
	}
	if m := quarterText.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		q, _ := strconv.Atoi(m[2])
		return Period{Year: y, First: time.Month(3*q - 2), Months: 3}, nil
	}
	return Period{}, fault.Field(location, periodRule, s)
}

// Quarter reports whether p is a quarter.
func (p Period) Quarter() bool { return p.Months == 3 }

func (p Period) String() string {
	if p.Quarter() {
		return fmt.Sprintf("%04d-Q%d", p.Year, (int(p.First)+2)/3)
	}
	return fmt.Sprintf("%04d-%02d", p.Year, int(p.First))
}

// Span is [from, to) of p at local midnights in loc.
func (p Period) Span(loc *time.Location) (from, to time.Time) {
	from = time.Date(p.Year, p.First, 1, 0, 0, 0, 0, loc)
	return from, from.AddDate(0, p.Months, 0)
}

// Before is the period of the same kind just before p: last month, or last quarter.
func (p Period) Before() Period { return p.shifted(-p.Months) }

// YearBefore is the same period a year earlier.
func (p Period) YearBefore() Period { return p.shifted(-12) }

func (p Period) shifted(months int) Period {
	t := time.Date(p.Year, p.First, 1, 0, 0, 0, 0, time.UTC).AddDate(0, months, 0)
	return Period{Year: t.Year(), First: t.Month(), Months: p.Months}
}

// MonthsIn are the months p is made of, in order.
func (p Period) MonthsIn() []Period {
	out := make([]Period, p.Months)
	for i := range out {
		out[i] = Period{Year: p.Year, First: p.First, Months: 1}.shifted(i)
	}
	return out
}

// span is [from, to) of the period written s in the tenant's zone; a period that has not begun
// is refused at location.
func (s *Service) span(ctx context.Context, text, location string) (Period, time.Time, time.Time, error) {
	p, err := ParsePeriod(text, location)
	if err != nil {
		return p, time.Time{}, time.Time{}, err
	}
	loc, err := s.timeZone(ctx)
	if err != nil {
		return p, time.Time{}, time.Time{}, err
	}
	from, to := p.Span(loc)
	if !s.now().After(from) {
		return p, from, to, fault.Field(location, "has not started", text)
	}
	return p, from, to, nil
}

// quarterTargets are the targets of a quarter for the reps: each metric's own quarter target,
// else one made of its three months' targets (each month's own, or the template's default),
// added up where the metric adds up and averaged otherwise. A metric a month has no target for
// gets none for the quarter from its months: two months' worth is not a quarter's.
func quarterTargets(t kpi.Template, own map[uuid.UUID]map[string]float64, months []map[uuid.UUID]map[string]float64, reps []uuid.UUID) map[uuid.UUID]map[string]float64 {
	out := make(map[uuid.UUID]map[string]float64, len(reps))
	for _, rep := range reps {
		goals := map[string]float64{}
		for _, it := range t.Metrics {
			if v, ok := own[rep][it.Key]; ok {
				goals[it.Key] = v
				continue
			}
			if v, ok := fromMonths(it, months, rep); ok {
				goals[it.Key] = v
			}
		}
		out[rep] = goals
	}
	return out
}

// fromMonths makes one metric's quarter target from its months' targets.
func fromMonths(it kpi.TemplateItem, months []map[uuid.UUID]map[string]float64, rep uuid.UUID) (float64, bool) {
	var sum float64
	for _, m := range months {
		v, ok := m[rep][it.Key]
		if !ok && it.Target == nil {
			return 0, false
		}
		if !ok {
			v = *it.Target
		}
		sum += v
	}
	if m, _ := kpi.Lookup(it.Key); m.Aggregation != kpi.Sum {
		sum /= float64(len(months))
	}
	return sum, true
}
