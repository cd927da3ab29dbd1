package kpi

import (
	"testing"

	"github.com/repflow/repflow/platform/fault"
)

// FuzzTemplate feeds arbitrary bodies to ParseTemplate: each is refused with an invalid-input
// fault, or it is a template that scores any finite figures without panicking, to a total
// within [0, MaxCap] and lines that are each within their bounds.
func FuzzTemplate(f *testing.F) {
	for _, industry := range Industries {
		data, _ := shipped.ReadFile("shipped/" + industry + ".json")
		f.Add(data, 1.0, 100.0)
	}
	f.Add([]byte(`{"name":"x","industry":"fmcg","applies_to":{"roles":["rep"]},"metrics":[{"key":"average_sales_cycle","weight":100,"scoring":{"mode":"stepped","steps":[{"min_completion":0,"score":200}]}}],"bands":[{"min":0,"colour":"red"}]}`), 0.0, 1e-300)
	f.Add([]byte(`{"name":"x","industry":"industrial","applies_to":{"roles":["hq"],"teams":["x"]},"metrics":[{"key":"visits","weight":1e400}]}`), 5e300, 1e-10)
	f.Add([]byte(`{"metrics":[{"key":"visits","weight":100,"scoring":{"mode":"linear","cap":"NaN"}}]}`), -1.0, 0.0)
	f.Fuzz(func(t *testing.T, body []byte, actual, target float64) {
		tp, err := ParseTemplate(body)
		if err != nil {
			if !fault.Is(err, fault.Invalid) {
				t.Fatalf("refused with %v, not an invalid-input fault", err)
			}
			return
		}
		actuals, targets := map[string]Actual{}, map[string]float64{}
		for i, it := range tp.Metrics {
			if i%3 != 2 { // leave some actuals out
				actuals[it.Key] = Actual{Value: actual}
			}
			if i%4 != 3 { // and some targets, to fall back on the defaults
				targets[it.Key] = target
			}
		}
		p := june
		p.Today = day("2026-06-15")
		sc, err := Score(tp, actuals, targets, p)
		if err != nil {
			if !fault.Is(err, fault.Invalid) || finite(actual) && actual >= 0 && finite(target) && target >= 0 {
				t.Fatalf("a valid template and sound figures (%v, %v): %v", actual, target, err)
			}
			return
		}
		if !(sc.Total >= 0 && sc.Total <= MaxCap) {
			t.Fatalf("total %v outside [0, %d]", sc.Total, MaxCap)
		}
		weights := 0.0
		for _, m := range sc.Metrics {
			if !(m.Score >= 0 && m.Score <= MaxCap && m.Completion >= 0 && m.Completion <= MaxCompletion) {
				t.Fatalf("line %+v out of bounds", m)
			}
			weights += m.Effective
		}
		if sc.ScoredWeight > 0 && (weights < 99.99 || weights > 100.01) {
			t.Fatalf("effective weights sum to %v", weights)
		}
	})
}
