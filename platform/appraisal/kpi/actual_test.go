package kpi

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/repflow/repflow/platform/fault"
)

func TestLibrary(t *testing.T) {
	want := []string{"visits", "visits_per_working_day", "coverage_rate", "verified_check_in_rate", "average_visit_duration",
		"calls", "average_call_duration", "response_rate", "new_customers", "distribution_rate", "orders", "revenue",
		"payment_collection_rate", "opportunity_conversion_rate", "win_rate", "pipeline_value", "average_sales_cycle",
		"milestone_on_time_rate", "key_account_retention"}
	for _, k := range want {
		if _, ok := Lookup(k); !ok {
			t.Errorf("the library has no %s", k)
		}
	}
	for _, m := range Library() {
		if m.NameZh == "" || m.NameEn == "" || m.Definition == "" || len(m.Levels) == 0 || m.Source == "" {
			t.Errorf("%s is not fully described: %+v", m.Key, m)
		}
		if (m.Aggregation == Ratio) != (m.Num != "" && m.Den != "") {
			t.Errorf("%s: a Ratio metric, and only one, names its parts", m.Key)
		}
		if m.pace != nil && (m.Aggregation != Sum || m.Direction != HigherIsBetter) {
			t.Errorf("%s: only amounts that add up have a pace", m.Key)
		}
	}
}

func TestAggregate(t *testing.T) {
	tests := []struct {
		key     string
		members []Actual
		want    Actual
	}{
		// Visits add up: 120 + 80 = 200.
		{"visits", []Actual{{Value: 120}, {Value: 80}}, Actual{Value: 200}},
		// Coverage from parts: (9 + 150) / (10 + 200) = 159 / 210 = 0.7571..., not the mean of
		// 0.9 and 0.75 (0.825), which would let 10 customers weigh as much as 200.
		{"coverage_rate", []Actual{{Value: 0.9, Num: 9, Den: 10}, {Value: 0.75, Num: 150, Den: 200}}, Actual{Value: 159.0 / 210, Num: 159, Den: 210}},
		// Nothing due anywhere: a rate with nothing to judge is 1, as the providers say.
		{"coverage_rate", []Actual{{Value: 1}, {Value: 1}}, Actual{Value: 1}},
		// An average over nothing is 0: no evidence.
		{"average_visit_duration", nil, Actual{}},
		// Distribution: the mean of the reps' rates, (0.6 + 0.8) / 2 = 0.7.
		{"distribution_rate", []Actual{{Value: 0.6}, {Value: 0.8}}, Actual{Value: 0.7}},
	}
	for _, tt := range tests {
		got, err := Aggregate(tt.key, tt.members)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 })); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.key, diff)
		}
	}
	if _, err := Aggregate("visit", nil); !fault.Is(err, fault.Invalid) {
		t.Errorf("unknown key: %v", err)
	}
	if _, err := Aggregate("visits", []Actual{{Value: -1}}); !fault.Is(err, fault.Invalid) {
		t.Errorf("negative figure: %v", err)
	}
}

func TestWeightedConversion(t *testing.T) {
	got := WeightedConversion([]Judged{
		// Full follow-up: depth (1 + 1 + 1) / 3 = 1, credit 0.5 + 0.5 = 1.
		{Converted: true, TouchesPerWeek: 3, ActivityKinds: 3, ContactsReached: 4},
		// One touch a week (1/2), every kind (1), nobody reached (0): depth 1.5 / 3 = 0.5,
		// credit 0.5 + 0.25 = 0.75.
		{Converted: true, TouchesPerWeek: 1, ActivityKinds: 3},
		// Converted with nothing recorded: half credit, 0.5.
		{Converted: true},
		// Stalled, however well followed: 0, but it counts in the denominator.
		{TouchesPerWeek: 5, ActivityKinds: 3, ContactsReached: 5},
	})
	// (1 + 0.75 + 0.5) / 4 = 2.25 / 4 = 0.5625.
	if want := (Actual{Value: 0.5625, Num: 2.25, Den: 4}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got := WeightedConversion(nil); got.Value != 1 {
		t.Errorf("nothing judged: %+v, want a rate of 1", got)
	}
}
