package kpi

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCompareByHand(t *testing.T) {
	card, err := Score(tpl(TemplateItem{Key: "visits", Weight: 50, Scoring: linear(120)},
		TemplateItem{Key: "coverage_rate", Weight: 30, Scoring: linear(120)},
		TemplateItem{Key: "orders", Weight: 20, Scoring: linear(120)}),
		map[string]Actual{"visits": {Value: 150}, "coverage_rate": {Value: 0.9, Num: 90, Den: 100}, "orders": {Value: 12}},
		map[string]float64{"visits": 200, "coverage_rate": 1, "orders": 10}, june)
	if err != nil {
		t.Fatal(err)
	}
	card.Compare(
		map[string]Actual{"visits": {Value: 120}, "coverage_rate": {Value: 0.75, Num: 75, Den: 100}, "orders": {Value: 0}},
		map[string]Actual{"visits": {Value: 200}})
	got := map[string][2]*Earlier{}
	for _, m := range card.Metrics {
		got[m.Key] = [2]*Earlier{m.Before, m.YearBefore}
	}
	want := map[string][2]*Earlier{
		// visits: (150 - 120) / 120 = +25 %; a year before (150 - 200) / 200 = -25 %.
		"visits": {{Actual: 120, ChangePct: ptr(25)}, {Actual: 200, ChangePct: ptr(-25)}},
		// coverage: (0.9 - 0.75) / 0.75 = +20 %; no figure a year before: no comparison.
		"coverage_rate": {{Actual: 0.75, ChangePct: ptr(20)}, nil},
		// orders: from 0 to 12 is no percentage.
		"orders": {{Actual: 0}, nil},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("comparisons (-want +got):\n%s", d)
	}
}
