package kpi

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var june = Period{From: day("2026-06-01"), To: day("2026-07-01")}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func linear(limit float64) Scoring { return Scoring{Mode: Linear, Cap: limit} }

func stepped(steps ...Step) Scoring { return Scoring{Mode: Stepped, Steps: steps} }

func ptr(x float64) *float64 { return &x }

// tpl is a rep template with the usual bands: red from 0, amber from 60, green from 80.
func tpl(items ...TemplateItem) Template {
	return Template{Name: "test", Industry: "fmcg", AppliesTo: AppliesTo{Roles: []string{"rep"}}, Metrics: items,
		Bands: []Band{{0, Red}, {60, Amber}, {80, Green}}}
}

// line is what a test checks of a scorecard line.
type line struct {
	Key                                   string
	Status                                Status
	Completion, Score, Effective, Contrib float64
	Band                                  Colour
}

func lines(sc Scorecard) []line {
	var out []line
	for _, m := range sc.Metrics {
		out = append(out, line{m.Key, m.Status, m.Completion, m.Score, m.Effective, m.Contribution, m.Band})
	}
	return out
}

func TestScoreByHand(t *testing.T) {
	sequence := stepped(Step{60, 60}, Step{80, 85}, Step{100, 100})
	tests := []struct {
		name    string
		tpl     Template
		actuals map[string]Actual
		targets map[string]float64
		want    []line
		total   float64
		band    Colour
	}{{
		// visits 150 of 200: 150 × 100 / 200 = 75 % → 75 points, amber.
		name: "linear below target", tpl: tpl(TemplateItem{Key: "visits", Weight: 100, Scoring: linear(120)}),
		actuals: map[string]Actual{"visits": {Value: 150}}, targets: map[string]float64{"visits": 200},
		want:  []line{{"visits", Scored, 75, 75, 100, 75, Amber}},
		total: 75, band: Amber,
	}, {
		// 260 of 200 = 130 %, capped at 120 → 120 points; green.
		name: "linear over the cap", tpl: tpl(TemplateItem{Key: "visits", Weight: 100, Scoring: linear(120)}),
		actuals: map[string]Actual{"visits": {Value: 260}}, targets: map[string]float64{"visits": 200},
		want:  []line{{"visits", Scored, 130, 120, 100, 120, Green}},
		total: 120, band: Green,
	}, {
		// coverage 0.4 of 0.5 = 80 %: exactly the 80 step → 85 points, weight 50 → 42.5.
		// orders 79 of 100 = 79 %: under 80, the 60 step → 60 points, weight 30 → 18.
		// calls 30 of 100 = 30 %: under the first step → 0.
		// total 42.5 + 18 + 0 = 60.5, amber.
		name: "stepped at, between and below steps",
		tpl: tpl(TemplateItem{Key: "coverage_rate", Weight: 50, Scoring: sequence},
			TemplateItem{Key: "orders", Weight: 30, Scoring: sequence},
			TemplateItem{Key: "calls", Weight: 20, Scoring: sequence}),
		actuals: map[string]Actual{"coverage_rate": {Value: 0.4}, "orders": {Value: 79}, "calls": {Value: 30}},
		targets: map[string]float64{"coverage_rate": 0.5, "orders": 100, "calls": 100},
		want: []line{{"coverage_rate", Scored, 80, 85, 50, 42.5, Green},
			{"orders", Scored, 79, 60, 30, 18, Amber},
			{"calls", Scored, 30, 0, 20, 0, Red}},
		total: 60.5, band: Amber,
	}, {
		// Above the last step: 150 % → still 100 points.
		name: "stepped above the last step", tpl: tpl(TemplateItem{Key: "orders", Weight: 100, Scoring: sequence}),
		actuals: map[string]Actual{"orders": {Value: 150}}, targets: map[string]float64{"orders": 100},
		want:  []line{{"orders", Scored, 150, 100, 100, 100, Green}},
		total: 100, band: Green,
	}, {
		// Sales cycle, lower is better: target 90 days, actual 75 → 90 × 100 / 75 = 120 %
		// → 120 points (cap 130), weight 40 → 48. Win rate 0.3 of 0.4 = 75 % → 75, weight 60
		// → 45. Total 93.
		name: "lower is better, faster than target",
		tpl: tpl(TemplateItem{Key: "average_sales_cycle", Weight: 40, Scoring: linear(130)},
			TemplateItem{Key: "win_rate", Weight: 60, Scoring: linear(100)}),
		actuals: map[string]Actual{"average_sales_cycle": {Value: 75}, "win_rate": {Value: 0.3}},
		targets: map[string]float64{"average_sales_cycle": 90, "win_rate": 0.4},
		want: []line{{"average_sales_cycle", Scored, 120, 120, 40, 48, Green},
			{"win_rate", Scored, 75, 75, 60, 45, Amber}},
		total: 93, band: Green,
	}, {
		// Actual 120 days against 90: 90 × 100 / 120 = 75 %.
		name: "lower is better, slower than target", tpl: tpl(TemplateItem{Key: "average_sales_cycle", Weight: 100, Scoring: linear(120)}),
		actuals: map[string]Actual{"average_sales_cycle": {Value: 120}}, targets: map[string]float64{"average_sales_cycle": 90},
		want:  []line{{"average_sales_cycle", Scored, 75, 75, 100, 75, Amber}},
		total: 75, band: Amber,
	}, {
		// A cycle of 0 days is the average over no won deal: no evidence, 0 points at full weight.
		name: "lower is better, nothing won", tpl: tpl(TemplateItem{Key: "average_sales_cycle", Weight: 100, Scoring: linear(120)}),
		actuals: map[string]Actual{"average_sales_cycle": {}}, targets: map[string]float64{"average_sales_cycle": 90},
		want:  []line{{"average_sales_cycle", NoActual, 0, 0, 100, 0, Red}},
		total: 0, band: Red,
	}, {
		// visits target 0 is "nothing asked": left out; orders carries the whole weight.
		// orders 45 of 50 = 90 % → 90 × 80 / 80 = 90.
		name: "zero target",
		tpl: tpl(TemplateItem{Key: "visits", Weight: 20, Scoring: linear(120)},
			TemplateItem{Key: "orders", Weight: 80, Scoring: linear(120)}),
		actuals: map[string]Actual{"visits": {Value: 100}, "orders": {Value: 45}},
		targets: map[string]float64{"visits": 0, "orders": 50},
		want: []line{{"visits", NoTarget, 0, 0, 0, 0, ""},
			{"orders", Scored, 90, 90, 100, 90, Green}},
		total: 90, band: Green,
	}, {
		// orders has no target: scored weight 50 + 30 = 80.
		// visits 150 of 200 = 75 % → 75 × 50 / 80 = 46.875; effective weight 62.5.
		// coverage 0.9 of 0.9 (the template's default) = 100 % → 100 × 30 / 80 = 37.5; 37.5.
		// total 84.375, green.
		name: "missing target: weight redistributed",
		tpl: tpl(TemplateItem{Key: "visits", Weight: 50, Scoring: linear(120)},
			TemplateItem{Key: "coverage_rate", Weight: 30, Scoring: linear(120), Target: ptr(0.9)},
			TemplateItem{Key: "orders", Weight: 20, Scoring: linear(120)}),
		actuals: map[string]Actual{"visits": {Value: 150}, "coverage_rate": {Value: 0.9}, "orders": {Value: 10}},
		targets: map[string]float64{"visits": 200},
		want: []line{{"visits", Scored, 75, 75, 62.5, 46.875, Amber},
			{"coverage_rate", Scored, 100, 100, 37.5, 37.5, Green},
			{"orders", NoTarget, 0, 0, 0, 0, ""}},
		total: 84.375, band: Green,
	}, {
		// No orders figure: 0 points at weight 40. visits 180 of 150 = 120 % → 120 × 60 % = 72.
		// The target given (150) overrides the template's default (300).
		name: "missing actual, and a target overriding the default",
		tpl: tpl(TemplateItem{Key: "visits", Weight: 60, Scoring: linear(120), Target: ptr(300)},
			TemplateItem{Key: "orders", Weight: 40, Scoring: linear(120)}),
		actuals: map[string]Actual{"visits": {Value: 180}},
		targets: map[string]float64{"visits": 150, "orders": 20},
		want: []line{{"visits", Scored, 120, 120, 60, 72, Green},
			{"orders", NoActual, 0, 0, 40, 0, Red}},
		total: 72, band: Amber,
	}, {
		// Total weighting of four lines, weights 40/30/20/10:
		// visits 90/100 = 90 → 36; coverage 0.6/0.8 = 75 → 22.5; orders 24/20 = 120 → capped
		// 110 → 22; calls 50/100 = 50 → 5. Total 36 + 22.5 + 22 + 5 = 85.5.
		name: "total weighting",
		tpl: tpl(TemplateItem{Key: "visits", Weight: 40, Scoring: linear(120)},
			TemplateItem{Key: "coverage_rate", Weight: 30, Scoring: linear(120)},
			TemplateItem{Key: "orders", Weight: 20, Scoring: linear(110)},
			TemplateItem{Key: "calls", Weight: 10, Scoring: linear(120)}),
		actuals: map[string]Actual{"visits": {Value: 90}, "coverage_rate": {Value: 0.6}, "orders": {Value: 24}, "calls": {Value: 50}},
		targets: map[string]float64{"visits": 100, "coverage_rate": 0.8, "orders": 20, "calls": 100},
		want: []line{{"visits", Scored, 90, 90, 40, 36, Green}, {"coverage_rate", Scored, 75, 75, 30, 22.5, Amber},
			{"orders", Scored, 120, 110, 20, 22, Green}, {"calls", Scored, 50, 50, 10, 5, Red}},
		total: 85.5, band: Green,
	}, {
		name: "nothing has a target", tpl: tpl(TemplateItem{Key: "visits", Weight: 100, Scoring: linear(120)}),
		actuals: map[string]Actual{"visits": {Value: 10}},
		want:    []line{{"visits", NoTarget, 0, 0, 0, 0, ""}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := Score(tt.tpl, tt.actuals, tt.targets, june)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, lines(sc)); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
			if sc.Total != tt.total || sc.Band != tt.band {
				t.Errorf("total %v %q, want %v %q", sc.Total, sc.Band, tt.total, tt.band)
			}
		})
	}
}

// The band edges: a band starts at its min, inclusive. Coverage 0.54 of 0.9 is 60 % in decimal
// arithmetic (59.99999999999999 in binary before rounding) and must be amber, 0.72 of 0.9 is
// exactly 80 % and green, 0.5391 of 0.9 is 59.9 % and red.
func TestBandEdges(t *testing.T) {
	tp := tpl(TemplateItem{Key: "coverage_rate", Weight: 100, Scoring: linear(120)})
	for _, c := range []struct {
		actual float64
		want   Colour
	}{{0.54, Amber}, {0.72, Green}, {0.5391, Red}, {0, Red}} {
		sc, err := Score(tp, map[string]Actual{"coverage_rate": {Value: c.actual}}, map[string]float64{"coverage_rate": 0.9}, june)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Metrics[0].Band != c.want || sc.Band != c.want {
			t.Errorf("coverage %v: completion %v band %q, total %v band %q; want %q", c.actual, sc.Metrics[0].Completion, sc.Metrics[0].Band, sc.Total, sc.Band, c.want)
		}
	}
}

func TestScorePace(t *testing.T) {
	p := june
	p.Today = day("2026-06-22") // Monday: 22nd to 30th, less Sunday the 28th, is 8 working days
	tp := tpl(TemplateItem{Key: "visits", Weight: 50, Scoring: linear(120)}, TemplateItem{Key: "coverage_rate", Weight: 50, Scoring: linear(120)})
	sc, err := Score(tp, map[string]Actual{"visits": {Value: 188}, "coverage_rate": {Value: 0.5}}, map[string]float64{"visits": 200, "coverage_rate": 0.9}, p)
	if err != nil {
		t.Fatal(err)
	}
	want := &Pace{Remaining: 12, PerDay: 1.5, Days: 8, En: "12 more visits: 1.5 per day", Zh: "还需拜访 12 次：每天 1.5 次"}
	if diff := cmp.Diff(want, sc.Metrics[0].Pace); diff != "" || sc.DaysRemaining != 8 {
		t.Errorf("days %d, pace (-want +got):\n%s", sc.DaysRemaining, diff)
	}
	if sc.Metrics[1].Pace != nil {
		t.Errorf("coverage has a pace %+v; a rate has none", sc.Metrics[1].Pace)
	}
}

func TestScoreRefusesBadFigures(t *testing.T) {
	tp := tpl(TemplateItem{Key: "visits", Weight: 100, Scoring: linear(120)})
	_, err := Score(tp, map[string]Actual{"visits": {Value: -1}, "vists": {Value: 1}}, map[string]float64{"visits": -5}, Period{From: june.To, To: june.From})
	wantProblems(t, err, "invalid_kpi_figures", "period.to", "actuals.visits", "actuals.vists", "targets.visits")
	bad := tp
	bad.Metrics[0].Weight = 90
	_, err = Score(bad, nil, nil, june)
	wantProblems(t, err, "invalid_kpi_template", "body.metrics")
}
