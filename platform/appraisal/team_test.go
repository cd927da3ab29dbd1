package appraisal

import (
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/repflow/repflow/platform/appraisal/kpi"
)

// A team is scored on its members' figures added up (work) or recomputed from their parts
// (ratios), against its members' targets added up (work) or averaged (rates).
func TestTeamScorecardByHand(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rep, south := f.users["rep"], f.users["repSouth"]
	f.figures[rep] = Figures{Actuals: map[string]kpi.Actual{"visits": {Value: 45}, "coverage_rate": {Value: 0.9, Num: 90, Den: 100}}}
	f.figures[south] = Figures{Actuals: map[string]kpi.Actual{"visits": {Value: 15}, "coverage_rate": {Value: 0.5, Num: 30, Den: 60}}}
	month := time.Now().Format("2006-01")
	call[TargetListDTO](t, f, "admin", http.MethodPut, "/api/v1/appraisal/targets", SetTargetsDTO{Period: month, Targets: []NewTargetDTO{
		{RepID: rep, Metric: "visits", Value: 40}, {RepID: south, Metric: "visits", Value: 20}, {RepID: south, Metric: "coverage_rate", Value: 0.8}}},
		http.StatusOK)
	card := call[TeamScorecardDTO](t, f, "admin", http.MethodGet, "/api/v1/appraisal/team-scorecard?team_id="+f.team.String()+"&period="+month, nil, http.StatusOK)
	lines := map[string]kpi.MetricScore{}
	for _, m := range card.Metrics {
		lines[m.Key] = m
	}
	// Visits: 45 + 15 = 60 against 40 + 20 = 60: 100 %.
	// Coverage: (90 + 30) / (100 + 60) = 0.75 against the mean of 0.9 (rep: the template's
	// default) and 0.8 (south's own) = 0.85: 0.75 × 100 / 0.85 = 88.2353 %.
	want := map[string][3]float64{"visits": {60, 60, 100}, "coverage_rate": {0.75, 0.85, 88.2353}}
	for key, w := range want {
		got := lines[key]
		if math.Abs(got.Actual-w[0]) > 1e-9 || math.Abs(got.Target-w[1]) > 1e-9 || math.Abs(got.Completion-w[2]) > 1e-4 {
			t.Errorf("%s: actual %v target %v completion %v, want %v", key, got.Actual, got.Target, got.Completion, w)
		}
	}
	if card.Members != 2 || card.TeamID != f.team {
		t.Errorf("team %s of %d members", card.TeamID, card.Members)
	}
	// A rep reads their own targets, not their teammate's: the team is not theirs to judge.
	refused(t, f, "rep", http.MethodGet, "/api/v1/appraisal/team-scorecard?team_id="+f.team.String()+"&period="+month, nil, http.StatusNotFound, "not_found", "")
	refused(t, f, "admin", http.MethodGet, "/api/v1/appraisal/team-scorecard?team_id="+rep.String()+"&period="+month, nil, http.StatusNotFound, "not_found", "")
}
