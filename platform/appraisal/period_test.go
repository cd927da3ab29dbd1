package appraisal

import (
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/fault"
)

func TestPeriodsAreMonthsAndQuarters(t *testing.T) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	for _, tc := range []struct {
		text, before, yearBefore, months, from, to string
	}{
		{"2026-11", "2026-10", "2025-11", "2026-11", "2026-11-01", "2026-12-01"},
		{"2026-01", "2025-12", "2025-01", "2026-01", "2026-01-01", "2026-02-01"},
		{"2026-Q4", "2026-Q3", "2025-Q4", "2026-10 2026-11 2026-12", "2026-10-01", "2027-01-01"},
		{"2026-Q1", "2025-Q4", "2025-Q1", "2026-01 2026-02 2026-03", "2026-01-01", "2026-04-01"},
	} {
		p, err := ParsePeriod(tc.text, "query.period")
		if err != nil {
			t.Fatalf("%s: %v", tc.text, err)
		}
		var months []string
		for _, m := range p.MonthsIn() {
			months = append(months, m.String())
		}
		from, to := p.Span(shanghai)
		got := [5]string{p.String(), p.Before().String(), p.YearBefore().String(), strings.Join(months, " "), from.Format("2006-01-02") + " " + to.Format("2006-01-02")}
		want := [5]string{tc.text, tc.before, tc.yearBefore, tc.months, tc.from + " " + tc.to}
		if got != want {
			t.Errorf("%s: got %q, want %q", tc.text, got, want)
		}
		if from.Location() != shanghai || from.Hour() != 0 {
			t.Errorf("%s begins at %s, not at midnight in Shanghai", tc.text, from)
		}
	}
	for _, bad := range []string{"2026-13", "2026-00", "2026-Q5", "2026-Q0", "2026-q4", "26-11", "2026-11-01", "2026/11", "Q4-2026", ""} {
		if _, err := ParsePeriod(bad, "query.period"); !fault.Is(err, fault.Invalid) {
			t.Errorf("%q: %v, want a refusal", bad, err)
		}
	}
}

// A quarter's target of a metric is its own when set; else its months' (each month's own, or
// the template's default) added up for work and money, averaged for rates; else none, when a
// month has neither.
//   - a: visits has its own quarter target, 200, whatever the months say. Coverage: 0.8, the
//     default 0.9 for the month with none, 1.0: mean 0.9. Revenue: 1,000 + 2,000 + 3,000 = 6,000.
//   - b: nothing set: coverage is the default 0.9; visits and revenue have no default, so none.
//   - c: visits 10 and 20 in two months, none in the third and no default: none.
func TestQuarterTargetsByHand(t *testing.T) {
	def := 0.9
	tmpl := kpi.Template{Metrics: []kpi.TemplateItem{{Key: "visits"}, {Key: "coverage_rate", Target: &def}, {Key: "revenue"}}}
	a, b, c := uuid.New(), uuid.New(), uuid.New()
	own := map[uuid.UUID]map[string]float64{a: {"visits": 200}}
	months := []map[uuid.UUID]map[string]float64{
		{a: {"visits": 50, "coverage_rate": 0.8, "revenue": 1000}, c: {"visits": 10}},
		{a: {"visits": 60, "revenue": 2000}, c: {"visits": 20}},
		{a: {"visits": 70, "coverage_rate": 1.0, "revenue": 3000}},
	}
	got := quarterTargets(tmpl, own, months, []uuid.UUID{a, b, c})
	want := map[uuid.UUID]map[string]float64{
		a: {"visits": 200, "coverage_rate": 0.9, "revenue": 6000},
		b: {"coverage_rate": 0.9},
		c: {"coverage_rate": 0.9},
	}
	for rep, w := range want {
		if len(got[rep]) != len(w) {
			t.Errorf("%s: %v, want %v", rep, got[rep], w)
		}
		for k, v := range w {
			if g, ok := got[rep][k]; !ok || math.Abs(g-v) > 1e-9 {
				t.Errorf("%s %s: %v, want %v", rep, k, g, v)
			}
		}
	}
}

// A quarter is scored as a whole against its targets, compared with the quarter before and the
// same quarter a year before; its report pays only by a plan sized for quarters.
//   - rep's months: visits 40, 30, 20 = 90; coverage 0.8, (default) 0.9, 1.0: mean 0.9. The
//     quarter's figures: visits 45 of 90, 50 %; coverage 0.9 of 0.9, 100 %.
//   - repSouth has visits only in the first month, and no default: no quarter visits target until
//     the quarter gets its own, 60: then 15 of 60, 25 %.
//   - The team: visits 60 against 90 + 60 = 150, 40 %.
func TestQuarterScoredAgainstItsMonths(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rep, south := f.users["rep"], f.users["repSouth"]
	d := decimal.RequireFromString
	f.figures[rep] = Figures{Actuals: map[string]kpi.Actual{"visits": {Value: 45}, "coverage_rate": {Value: 0.9, Num: 90, Den: 100}},
		Money: map[string]decimal.Decimal{"revenue": d("30000")}}
	f.figures[south] = Figures{Actuals: map[string]kpi.Actual{"visits": {Value: 15}}}
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Now().In(shanghai)
	q := Period{Year: now.Year(), First: now.Month() - (now.Month()-1)%3, Months: 3}
	months := q.MonthsIn()
	for i, set := range [][]NewTargetDTO{
		{{RepID: rep, Metric: "visits", Value: 40}, {RepID: rep, Metric: "coverage_rate", Value: 0.8}, {RepID: south, Metric: "visits", Value: 20}},
		{{RepID: rep, Metric: "visits", Value: 30}},
		{{RepID: rep, Metric: "visits", Value: 20}, {RepID: rep, Metric: "coverage_rate", Value: 1.0}},
	} {
		call[TargetListDTO](t, f, "admin", http.MethodPut, "/api/v1/appraisal/targets", SetTargetsDTO{Period: months[i].String(), Targets: set}, http.StatusOK)
	}
	card := call[ScorecardDTO](t, f, "rep", http.MethodGet, "/api/v1/appraisal/scorecard?rep_id="+rep.String()+"&period="+q.String(), nil, http.StatusOK)
	checkLines(t, card.Scorecard, map[string][3]float64{"visits": {45, 90, 50}, "coverage_rate": {0.9, 0.9, 100}})
	from, to := q.Span(shanghai)
	if card.Period != q.String() || card.From != from.Format(time.DateOnly) || card.To != to.Format(time.DateOnly) {
		t.Errorf("the quarter's card covers %s [%s, %s), want %s [%s, %s)", card.Period, card.From, card.To, q, from, to)
	}
	f.mu.Lock()
	asked := f.asked
	f.asked = nil
	f.mu.Unlock()
	wantAsked := [][2]time.Time{{from, to}, {from.AddDate(0, -3, 0), from}, {from.AddDate(-1, 0, 0), to.AddDate(-1, 0, 0)}}
	for _, span := range asked {
		if !slices.ContainsFunc(wantAsked, func(w [2]time.Time) bool { return w[0].Equal(span[0]) && w[1].Equal(span[1]) }) {
			t.Errorf("the source was asked for [%s, %s): neither the quarter, the one before nor the one a year before", span[0], span[1])
		}
	}
	if len(asked) != len(wantAsked) {
		t.Errorf("the source was asked %d times, want %d", len(asked), len(wantAsked))
	}
	southCard := func() ScorecardDTO {
		return call[ScorecardDTO](t, f, "admin", http.MethodGet, "/api/v1/appraisal/scorecard?rep_id="+south.String()+"&period="+q.String(), nil, http.StatusOK)
	}
	for _, m := range southCard().Metrics {
		if m.Key == "visits" && m.Status != kpi.NoTarget {
			t.Errorf("repSouth's quarter visits %s against %v, want no target", m.Status, m.Target)
		}
	}
	call[TargetListDTO](t, f, "admin", http.MethodPut, "/api/v1/appraisal/targets", SetTargetsDTO{Period: q.String(),
		Targets: []NewTargetDTO{{RepID: south, Metric: "visits", Value: 60}}}, http.StatusOK)
	checkLines(t, southCard().Scorecard, map[string][3]float64{"visits": {15, 60, 25}})
	checkLines(t, unitCard(t, f, "admin", "team:"+f.team.String(), q.String()).Scorecard, map[string][3]float64{"visits": {60, 150, 40}})

	// A monthly plan pays no quarter; a quarterly one does: 30,000 × 2 % = 600, the gate at 1.
	plan := map[string]any{"currency": "CNY", "base": "revenue", "mode": "whole",
		"brackets": []map[string]any{{"from": "0", "to": nil, "rate": "0.02"}}, "growth": []any{}, "gate": []any{}}
	call[CommissionPlanDTO](t, f, "admin", http.MethodPut, "/api/v1/appraisal/commission-plan", plan, http.StatusOK)
	r := call[AppraisalReportDTO](t, f, "admin", http.MethodPost, "/api/v1/appraisal/reports", MakeReportDTO{Period: q.String()}, http.StatusCreated)
	if r.Period != q.String() || r.CommissionPlanVersion != 0 || r.Reps[0].Commission != nil {
		t.Errorf("a quarter's report by a monthly plan: period %s, plan %d, commission %+v", r.Period, r.CommissionPlanVersion, r.Reps[0].Commission)
	}
	call[CommissionPlanDTO](t, f, "admin", http.MethodPut, "/api/v1/appraisal/commission-plan", withField(plan, "period", "quarter"), http.StatusOK)
	r = call[AppraisalReportDTO](t, f, "admin", http.MethodPost, "/api/v1/appraisal/reports", MakeReportDTO{Period: q.String()}, http.StatusCreated)
	if r.Version != 2 || r.CommissionPlanVersion != 2 {
		t.Fatalf("the quarter's second report: version %d, plan %d", r.Version, r.CommissionPlanVersion)
	}
	for _, line := range r.Reps {
		if line.RepID == rep && (line.Commission == nil || !line.Commission.Final.Equal(d("600"))) {
			t.Errorf("rep's quarter commission %+v, want 600", line.Commission)
		}
	}
	month := call[AppraisalReportDTO](t, f, "admin", http.MethodPost, "/api/v1/appraisal/reports", MakeReportDTO{Period: now.Format("2006-01")}, http.StatusCreated)
	if month.CommissionPlanVersion != 0 {
		t.Errorf("a month's report paid by the quarterly plan %d", month.CommissionPlanVersion)
	}
	refused(t, f, "admin", http.MethodPut, "/api/v1/appraisal/commission-plan", withField(plan, "period", "year"), http.StatusUnprocessableEntity, "invalid_input", "body.period")
	refused(t, f, "admin", http.MethodPost, "/api/v1/appraisal/reports", MakeReportDTO{Period: "2026-Q5"}, http.StatusBadRequest, "invalid_input", "body.period")
	next := Period{Year: q.Year, First: q.First, Months: 3}.shifted(3)
	refused(t, f, "admin", http.MethodPost, "/api/v1/appraisal/reports", MakeReportDTO{Period: next.String()}, http.StatusBadRequest, "invalid_input", "body.period")
}
