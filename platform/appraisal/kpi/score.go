package kpi

import (
	"math"
	"sort"
	"time"

	"github.com/repflow/repflow/platform/fault"
)

// Status says how a metric entered the total.
type Status string

const (
	// Scored: target and actual known; the score counts at the metric's weight.
	Scored Status = "scored"
	// NoTarget: no target (none given, no default, or 0). The metric is left out and the weights
	// of the others are scaled up to fill 100: a manager's missing input must neither cost the
	// rep points (as a 0 would) nor hand them points for nothing (as a 100 would), and the total
	// stays on the scale the bands colour. A target of 0 is "nothing asked", not a target.
	NoTarget Status = "no_target"
	// NoActual: a target but no figure, or for a lower-is-better metric a figure of 0 (an average
	// over nothing: no deal won has no sales cycle). It scores 0 at its full weight: the product's
	// promise is that work is recorded, and unrecorded work cannot be credited.
	NoActual Status = "no_actual"
)

// Period is what a scorecard covers: civil days From to To (exclusive), in the tenant's zone.
type Period struct {
	From, To time.Time
	// Today is the day the scorecard is read, for the pace of the rest of the period; the zero
	// time means the period is judged after the fact, with no pace.
	Today time.Time
	Week  Week // the working days; the zero Week is Monday to Saturday
}

// MetricScore is one line of a scorecard, as the dashboard shows it.
type MetricScore struct {
	Key       string  `json:"key"`
	NameZh    string  `json:"name_zh"`
	NameEn    string  `json:"name_en"`
	Unit      Unit    `json:"unit"`
	Status    Status  `json:"status"`
	Actual    float64 `json:"actual"`
	Target    float64 `json:"target"`
	Weight    int     `json:"weight"`
	Effective float64 `json:"effective_weight"` // the weight after redistributing unscored ones
	// Completion is how far to target, in percent (100 = met), at most MaxCompletion: beyond ten
	// times the target the figure says more about the target than about the work.
	Completion   float64 `json:"completion"`
	Score        float64 `json:"score"`        // points, 0..MaxCap
	Contribution float64 `json:"contribution"` // points of the total
	Band         Colour  `json:"band,omitempty"`
	Pace         *Pace   `json:"pace,omitempty"`
	// Records is the API path that lists the records behind Actual (the rep's visits or calls of
	// the period, say), where one list holds exactly them; absent otherwise.
	Records string `json:"records,omitempty"`
	// The period before (month on month, quarter on quarter) and the same period a year before
	// (see Compare); absent when not compared.
	Before     *Earlier `json:"before,omitempty"`
	YearBefore *Earlier `json:"year_before,omitempty"`
}

// Scorecard is a rep's or a team's score under a template over a period.
type Scorecard struct {
	Template      string        `json:"template"`
	From          string        `json:"from"`
	To            string        `json:"to"`
	DaysRemaining int           `json:"working_days_remaining"`
	Metrics       []MetricScore `json:"metrics"`
	ScoredWeight  int           `json:"scored_weight"` // of 100: the weight of the metrics with a target
	Total         float64       `json:"total"`         // points, 0..MaxCap; 0 when nothing has a target
	Band          Colour        `json:"band,omitempty"`
}

// Score scores figures under a template: actuals and targets by metric key, targets in each
// metric's unit (a target given here overrides the template's default). Figures of metrics the
// template does not score are ignored; keys the library does not know, and figures that are
// negative or not finite, are refused, each at its place.
func Score(t Template, actuals map[string]Actual, targets map[string]float64, p Period) (Scorecard, error) {
	if err := t.Validate(); err != nil {
		return Scorecard{}, err
	}
	if err := checkFigures(actuals, targets, p); err != nil {
		return Scorecard{}, err
	}
	days := p.RemainingWorkingDays()
	sc := Scorecard{Template: t.Name, From: p.From.Format(time.DateOnly), To: p.To.Format(time.DateOnly), DaysRemaining: days}
	for _, it := range t.Metrics {
		m, _ := Lookup(it.Key)
		line := MetricScore{Key: m.Key, NameZh: m.NameZh, NameEn: m.NameEn, Unit: m.Unit, Weight: it.Weight, Status: Scored}
		target, set := targets[it.Key]
		if !set && it.Target != nil {
			target = *it.Target
		}
		a, measured := actuals[it.Key]
		line.Actual, line.Target = a.Value, target
		switch {
		case target == 0:
			line.Status = NoTarget
		case !measured || (m.Direction == LowerIsBetter && a.Value == 0):
			line.Status = NoActual
		case m.Direction == LowerIsBetter:
			line.Completion = round(math.Min(target*100/a.Value, MaxCompletion))
		default:
			line.Completion = round(math.Min(a.Value*100/target, MaxCompletion))
		}
		if line.Status != NoTarget {
			sc.ScoredWeight += it.Weight
			if line.Status == Scored {
				line.Score = round(it.Scoring.score(line.Completion))
			}
			line.Band = t.band(line.Completion)
			if pace, ok := m.Pace(a.Value, target, days); ok && !p.Today.IsZero() {
				line.Pace = &pace
			}
		}
		sc.Metrics = append(sc.Metrics, line)
	}
	if sc.ScoredWeight == 0 {
		return sc, nil // nothing to judge: no total, no colour
	}
	var total float64
	for i := range sc.Metrics {
		line := &sc.Metrics[i]
		if line.Status == NoTarget {
			continue
		}
		share := float64(line.Weight) / float64(sc.ScoredWeight)
		line.Effective = round(share * 100)
		total += line.Score * share
		line.Contribution = round(line.Score * share)
	}
	sc.Total = round(total)
	sc.Band = t.band(sc.Total)
	return sc, nil
}

// score is the points a completion earns.
func (s Scoring) score(completion float64) float64 {
	if s.Mode == Linear {
		return math.Min(completion, s.Cap)
	}
	points := 0.0
	for _, st := range s.Steps {
		if completion >= st.MinCompletion {
			points = st.Score
		}
	}
	return points
}

// round keeps 4 decimals, so that a completion that is 60 % in decimal arithmetic is not
// 59.99999999 in binary and coloured red.
func round(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func checkFigures(actuals map[string]Actual, targets map[string]float64, p Period) error {
	var pr problems
	if p.From.IsZero() || !p.To.After(p.From) || p.To.Sub(p.From) > 400*24*time.Hour {
		pr.add("period.to", "a period ends after it starts and lasts at most 400 days")
	}
	for _, k := range sortedKeys(actuals) {
		a := actuals[k]
		if _, ok := Lookup(k); !ok {
			pr.add("actuals."+k, "%q is not a metric of the library", k)
		} else if !finite(a.Value) || a.Value < 0 || !finite(a.Num) || !finite(a.Den) || a.Num < 0 || a.Den < 0 {
			pr.add("actuals."+k, "a figure is a number not below 0, not %v", a)
		}
	}
	for _, k := range sortedKeys(targets) {
		if _, ok := Lookup(k); !ok {
			pr.add("targets."+k, "%q is not a metric of the library", k)
		} else if v := targets[k]; !finite(v) || v < 0 {
			pr.add("targets."+k, "a target is a number not below 0, not %v", v)
		}
	}
	if len(pr) == 0 {
		return nil
	}
	return fault.New(fault.Invalid, "invalid_kpi_figures", "the figures have "+plural(len(pr), "problem")+": "+pr[0].Location+": "+pr[0].Message, pr...)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
