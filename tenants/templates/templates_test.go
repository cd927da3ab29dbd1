package templates

import "testing"

// Each template's pipeline is valid, and a change that breaks one fails here rather than at a
// customer's sign-up.
func TestPipelinesAreValid(t *testing.T) {
	for _, ind := range Industries {
		d, err := Pipeline(ind)
		if err != nil {
			t.Errorf("%s: %v", ind, err)
			continue
		}
		if len(d.Stages) < 5 || len(d.Rules) == 0 {
			t.Errorf("%s: %d stages and %d rules: a template is a whole sales process", ind, len(d.Stages), len(d.Rules))
		}
	}
	if _, err := Pipeline("retail"); err == nil {
		t.Error("an unknown industry has a template")
	}
}

// Each template's setup is valid in any currency with a minor unit of 0 to 3 digits.
func TestSetupsAreValid(t *testing.T) {
	for _, ind := range Industries {
		for _, cur := range []string{"CNY", "JPY", "KWD"} {
			s, err := SetupOf(ind, cur)
			if err != nil {
				t.Errorf("%s in %s: %v", ind, cur, err)
				continue
			}
			if len(s.Regions) < 2 || len(s.Commission.Brackets) < 2 || s.Commission.Currency != cur {
				t.Errorf("%s in %s: %d regions, %d brackets, currency %s", ind, cur, len(s.Regions), len(s.Commission.Brackets), s.Commission.Currency)
			}
		}
	}
}
