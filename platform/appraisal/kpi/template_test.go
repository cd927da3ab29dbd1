package kpi

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/repflow/repflow/platform/fault"
)

// wantProblems checks that err is an invalid-input fault of the code, with exactly the locations.
func wantProblems(t *testing.T, err error, code string, locations ...string) {
	t.Helper()
	f, ok := fault.As(err)
	if !ok || f.Kind != fault.Invalid || f.Code != code {
		t.Fatalf("got %v, want a fault.Invalid %s", err, code)
	}
	var got []string
	for _, d := range f.Details {
		got = append(got, d.Location)
	}
	if !slices.Equal(got, locations) {
		t.Errorf("locations %q, want %q\n%s", got, locations, f.Message)
	}
}

func TestShippedTemplatesValidate(t *testing.T) {
	for _, industry := range Industries {
		tp, err := Shipped(industry)
		if err != nil {
			t.Fatalf("%s: %v", industry, err)
		}
		if tp.Industry != industry {
			t.Errorf("%s ships a template of industry %q", industry, tp.Industry)
		}
	}
	if _, err := Shipped("mining"); !fault.Is(err, fault.NotFound) {
		t.Errorf("mining: %v, want not found", err)
	}
}

// The shipped weights are the issue's: FMCG on the process, industrial on projects, key accounts
// and conversion.
func TestShippedWeights(t *testing.T) {
	weight := func(industry string, keys ...string) int {
		tp, _ := Shipped(industry)
		n := 0
		for _, k := range keys {
			it, _ := tp.Item(k)
			n += it.Weight
		}
		return n
	}
	if n := weight("fmcg", "coverage_rate", "distribution_rate", "visits", "orders"); n != 80 {
		t.Errorf("FMCG process weight %d, want 80", n)
	}
	if n := weight("industrial", "milestone_on_time_rate", "key_account_coverage", "opportunity_conversion_rate"); n != 70 {
		t.Errorf("industrial projects, key accounts and conversion weigh %d, want 70", n)
	}
}

func TestValidateReportsEveryPlace(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(*Template)
		locations []string
		message   string // in the first problem's message
	}{
		{"unknown key", func(t *Template) { t.Metrics[1].Key = "visit_count" }, []string{"body.metrics[1].key"}, `"visit_count" is not a metric`},
		{"duplicate key", func(t *Template) { t.Metrics[1].Key = "visits" }, []string{"body.metrics[1].key"}, "scored twice"},
		{"weights off 100", func(t *Template) { t.Metrics[0].Weight = 45 }, []string{"body.metrics"}, "sum to 95 %"},
		{"negative weight", func(t *Template) { t.Metrics[0].Weight = -10 }, []string{"body.metrics[0].weight"}, "weight -10"},
		{"cap under 100", func(t *Template) { t.Metrics[0].Scoring.Cap = 90 }, []string{"body.metrics[0].scoring.cap"}, "100 to 200"},
		{"cap missing", func(t *Template) { t.Metrics[0].Scoring.Cap = 0 }, []string{"body.metrics[0].scoring.cap"}, "not 0"},
		{"unknown mode", func(t *Template) { t.Metrics[0].Scoring.Mode = "log" }, []string{"body.metrics[0].scoring.mode"}, `"log"`},
		{"steps unordered", func(t *Template) { t.Metrics[1].Scoring.Steps[1].MinCompletion = 50 },
			[]string{"body.metrics[1].scoring.steps[1].min_completion"}, "50 follows 60"},
		{"steps scoring less", func(t *Template) { t.Metrics[1].Scoring.Steps[1].Score = 10 },
			[]string{"body.metrics[1].scoring.steps[1].score"}, "10 follows 60"},
		{"bands not from 0", func(t *Template) { t.Bands[0].Min = 10 }, []string{"body.bands[0].min"}, "starts at 0"},
		{"bands unordered", func(t *Template) { t.Bands[2].Min = 60 }, []string{"body.bands[2].min"}, "60 follows 60"},
		{"colour", func(t *Template) { t.Bands[1].Colour = "yellow" }, []string{"body.bands[1].colour"}, `"yellow"`},
		{"level off applies_to", func(t *Template) { t.Metrics[1].Key = "key_account_retention" }, []string{"body.metrics[1].key"}, "rep level"},
		{"role not appraised", func(t *Template) { t.AppliesTo.Roles = []string{"tenant_admin"} }, []string{"body.applies_to.roles[0]"}, "not appraised"},
		{"team id", func(t *Template) { t.AppliesTo.Teams = []string{"sales-north"} }, []string{"body.applies_to.teams[0]"}, "not a team id"},
		{"negative target", func(t *Template) { t.Metrics[0].Target = ptr(-1) }, []string{"body.metrics[0].target"}, "not below 0"},
		{"everything at once", func(t *Template) {
			t.Name, t.Industry = " ", "retail"
			t.Metrics[0].Key, t.Metrics[0].Weight = "nope", 20
			t.Bands = nil
		}, []string{"body.name", "body.industry", "body.metrics[0].key", "body.metrics", "body.bands"}, "a name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tp := tpl(TemplateItem{Key: "visits", Weight: 50, Scoring: linear(120)},
				TemplateItem{Key: "coverage_rate", Weight: 50, Scoring: stepped(Step{60, 60}, Step{80, 90})})
			tt.edit(&tp)
			err := tp.Validate()
			wantProblems(t, err, "invalid_kpi_template", tt.locations...)
			if f, ok := fault.As(err); ok && !strings.Contains(f.Details[0].Message, tt.message) {
				t.Errorf("message %q does not say %q", f.Details[0].Message, tt.message)
			}
		})
	}
}

// A manager is appraised on the team's figures: key-account retention fits; so does the same
// template for hq, at region level.
func TestLevelsFollowRoles(t *testing.T) {
	tp := tpl(TemplateItem{Key: "key_account_retention", Weight: 100, Scoring: linear(100)})
	tp.AppliesTo = AppliesTo{Roles: []string{"manager", "hq"}, Teams: []string{"0190f1d2-7c3a-7b1e-9a00-000000000001"}}
	if err := tp.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestParseTemplate(t *testing.T) {
	tp, _ := Shipped("fmcg")
	good, _ := json.Marshal(tp)
	if _, err := ParseTemplate(good); err != nil {
		t.Fatalf("a marshalled shipped template: %v", err)
	}
	for body, location := range map[string]string{
		`{"name":"x","wieght":1}`:                      "",
		`{"metrics":[{"key":"visits","weight":33.5}]}`: "body.metrics.weight",
		`{"name":"x"} {}`:                              "",
		`[`:                                            "",
	} {
		_, err := ParseTemplate([]byte(body))
		f, ok := fault.As(err)
		if !ok || f.Kind != fault.Invalid {
			t.Errorf("%s: %v, want an invalid-input fault", body, err)
			continue
		}
		if location != "" && (len(f.Details) == 0 || f.Details[0].Location != location) {
			t.Errorf("%s: details %+v, want at %s", body, f.Details, location)
		}
	}
}
