package appraisal

import (
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/web/webtest"
)

// A team is scored on its members' figures added up (work) or recomputed from their parts
// (ratios), against its members' targets added up (work) or averaged (rates).
func TestTeamScorecardByHand(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rep := f.users["rep"]
	month := twoRepMonth(t, f)
	card := unitCard(t, f, "admin", "team:"+f.team.String(), month)
	// Visits: 45 + 15 = 60 against 40 + 20 = 60: 100 %.
	// Coverage: (90 + 30) / (100 + 60) = 0.75 against the mean of 0.9 (rep: the template's
	// default) and 0.8 (south's own) = 0.85: 0.75 × 100 / 0.85 = 88.2353 %.
	want := map[string][3]float64{"visits": {60, 60, 100}, "coverage_rate": {0.75, 0.85, 88.2353}}
	checkLines(t, card.Scorecard, want)
	if card.Members != 2 || card.Unit != "team:"+f.team.String() {
		t.Errorf("%s of %d members", card.Unit, card.Members)
	}
	// A rep reads their own targets, not their teammate's: the team is not theirs to judge.
	refused(t, f, "rep", http.MethodGet, "/api/v1/appraisal/unit-scorecard?unit=team:"+f.team.String()+"&period="+month, nil, http.StatusNotFound, "not_found", "")
	refused(t, f, "admin", http.MethodGet, "/api/v1/appraisal/unit-scorecard?unit=team:"+rep.String()+"&period="+month, nil, http.StatusNotFound, "not_found", "")
	refused(t, f, "admin", http.MethodGet, "/api/v1/appraisal/unit-scorecard?unit=rep:"+rep.String()+"&period="+month, nil, http.StatusBadRequest, "invalid_input", "query.unit")
}

// A team's own target replaces its members' put together: coverage 0.75 against the team's 0.8
// is 93.75 %, where the members' mean (0.85) gave 88.2353 %. Setting it needs the right to set
// every member's targets: the East manager reaches only one of the two reps.
func TestTeamTargetsOverrideTheMembers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	month := twoRepMonth(t, f)
	team := "team:" + f.team.String()
	set := func(key string, targets ...NewUnitTargetDTO) (int, []byte) {
		return webtest.Call(t, f.srv, webtest.Caller{Tenant: f.tenant, User: f.users[key]}, http.MethodPut, "/api/v1/appraisal/unit-targets",
			SetUnitTargetsDTO{Unit: team, Period: month, Targets: targets})
	}
	coverage := NewUnitTargetDTO{Metric: "coverage_rate", Value: 0.8}
	for _, tc := range []struct {
		name, key, code, location string
		targets                   []NewUnitTargetDTO
	}{
		{"a manager of one member's region", "mgr", "invalid_reference", "body.unit", []NewUnitTargetDTO{coverage}},
		{"a rep", "rep", "invalid_reference", "body.unit", []NewUnitTargetDTO{coverage}},
		{"unknown metric", "admin", "invalid_input", "body.targets[1].metric", []NewUnitTargetDTO{coverage, {Metric: "vists", Value: 1}}},
		{"set twice", "admin", "invalid_input", "body.targets[1].metric", []NewUnitTargetDTO{coverage, coverage}},
		{"negative", "admin", "invalid_input", "body.targets[0].value", []NewUnitTargetDTO{{Metric: "visits", Value: -1}}},
	} {
		status, raw := set(tc.key, tc.targets...)
		webtest.WantError(t, status, raw, http.StatusBadRequest, tc.code, tc.location)
	}
	if status, raw := set("admin", coverage); status != http.StatusOK {
		t.Fatalf("set the team's coverage target: %d %s", status, raw)
	}
	card := unitCard(t, f, "admin", team, month)
	// Visits keep the members' 40 + 20 = 60: 100 %. Coverage: 0.75 × 100 / 0.8 = 93.75 %.
	want := map[string][3]float64{"visits": {60, 60, 100}, "coverage_rate": {0.75, 0.8, 93.75}}
	checkLines(t, card.Scorecard, want)
	listed := call[UnitTargetListDTO](t, f, "admin", http.MethodGet, "/api/v1/appraisal/unit-targets?unit="+team+"&period="+month, nil, http.StatusOK)
	if len(listed.Targets) != 1 || listed.Targets[0].Metric != "coverage_rate" || listed.Targets[0].Value != 0.8 ||
		listed.Targets[0].SetBy != f.users["admin"] || listed.Targets[0].Unit != team {
		t.Errorf("the team's targets: %+v", listed.Targets)
	}
	refused(t, f, "rep", http.MethodGet, "/api/v1/appraisal/unit-targets?unit="+team+"&period="+month, nil, http.StatusNotFound, "not_found", "")
}

// A region is scored on the reps of its whole subtree: the root holds both reps (as the team
// does), East only rep. East's manager judges East, and sets its own target, but neither South
// nor the root, part of which is out of their reach.
//   - root: visits 45 + 15 = 60 against 40 + 20 = 60: 100 %.
//   - East: visits 45 against rep's 40: 112.5 %; coverage 0.9 against the default 0.9: 100 %.
//   - East's own visits target of 50: 45 × 100 / 50 = 90 %.
func TestRegionScorecardAndTargets(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	month := twoRepMonth(t, f)
	root, east, south := "region:"+f.regions["Acme"].String(), "region:"+f.regions["East"].String(), "region:"+f.regions["South"].String()
	checkLines(t, unitCard(t, f, "admin", root, month).Scorecard, map[string][3]float64{"visits": {60, 60, 100}})
	card := unitCard(t, f, "mgr", east, month)
	checkLines(t, card.Scorecard, map[string][3]float64{"visits": {45, 40, 112.5}, "coverage_rate": {0.9, 0.9, 100}})
	if card.Members != 1 {
		t.Errorf("East scored %d reps, want 1", card.Members)
	}
	for _, unit := range []string{south, root} {
		refused(t, f, "mgr", http.MethodGet, "/api/v1/appraisal/unit-scorecard?unit="+unit+"&period="+month, nil, http.StatusNotFound, "not_found", "")
		refused(t, f, "mgr", http.MethodPut, "/api/v1/appraisal/unit-targets", SetUnitTargetsDTO{Unit: unit, Period: month,
			Targets: []NewUnitTargetDTO{{Metric: "visits", Value: 50}}}, http.StatusBadRequest, "invalid_reference", "body.unit")
	}
	refused(t, f, "rep", http.MethodGet, "/api/v1/appraisal/unit-scorecard?unit="+east+"&period="+month, nil, http.StatusNotFound, "not_found", "")
	call[UnitTargetListDTO](t, f, "mgr", http.MethodPut, "/api/v1/appraisal/unit-targets", SetUnitTargetsDTO{Unit: east, Period: month,
		Targets: []NewUnitTargetDTO{{Metric: "visits", Value: 50}}}, http.StatusOK)
	checkLines(t, unitCard(t, f, "mgr", east, month).Scorecard, map[string][3]float64{"visits": {45, 50, 90}})
	// The target is East's alone: the root still adds up its reps'.
	checkLines(t, unitCard(t, f, "admin", root, month).Scorecard, map[string][3]float64{"visits": {60, 60, 100}})
}

// twoRepMonth gives the team's two reps their figures of this month and sets their targets:
// visits 45 and 15 against 40 and 20; coverage 90 of 100 (the template's default target, 0.9)
// and 30 of 60 against 0.8.
func twoRepMonth(t *testing.T, f *fixture) string {
	t.Helper()
	rep, south := f.users["rep"], f.users["repSouth"]
	f.figures[rep] = Figures{Actuals: map[string]kpi.Actual{"visits": {Value: 45}, "coverage_rate": {Value: 0.9, Num: 90, Den: 100}}}
	f.figures[south] = Figures{Actuals: map[string]kpi.Actual{"visits": {Value: 15}, "coverage_rate": {Value: 0.5, Num: 30, Den: 60}}}
	month := time.Now().Format("2006-01")
	call[TargetListDTO](t, f, "admin", http.MethodPut, "/api/v1/appraisal/targets", SetTargetsDTO{Period: month, Targets: []NewTargetDTO{
		{RepID: rep, Metric: "visits", Value: 40}, {RepID: south, Metric: "visits", Value: 20}, {RepID: south, Metric: "coverage_rate", Value: 0.8}}},
		http.StatusOK)
	return month
}

func unitCard(t *testing.T, f *fixture, caller, unit, period string) UnitScorecardDTO {
	t.Helper()
	return call[UnitScorecardDTO](t, f, caller, http.MethodGet, "/api/v1/appraisal/unit-scorecard?unit="+unit+"&period="+period, nil, http.StatusOK)
}

// checkLines compares the card's lines of want's metrics: actual, target and completion.
func checkLines(t *testing.T, card kpi.Scorecard, want map[string][3]float64) {
	t.Helper()
	lines := map[string]kpi.MetricScore{}
	for _, m := range card.Metrics {
		lines[m.Key] = m
	}
	for key, w := range want {
		got := lines[key]
		if math.Abs(got.Actual-w[0]) > 1e-9 || math.Abs(got.Target-w[1]) > 1e-9 || math.Abs(got.Completion-w[2]) > 1e-4 {
			t.Errorf("%s: actual %v target %v completion %v, want %v", key, got.Actual, got.Target, got.Completion, w)
		}
	}
}
