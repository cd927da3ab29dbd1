package pipeline

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/repflow/repflow/platform/fault"
)

// sample is a small valid pipeline: prospect (one required task) -> demo -> won | lost.
func sample() Definition {
	return Definition{
		Name: "Sample",
		Stages: []StageDef{
			{Key: "prospect", Name: "Prospect", Probability: 10, SLADays: 7, Outcome: Open, Checklist: []TaskTemplate{
				{Title: "Call the buyer", Assignee: ToOwner, DueAfterDays: 2, Required: true},
				{Title: "Approve the discount", Assignee: ToManager, DueAfterDays: 3}}},
			{Key: "demo", Name: "Demo", Probability: 50, Outcome: Open},
			{Key: "won", Name: "Won", Probability: 100, Outcome: Won},
			{Key: "lost", Name: "Lost", Probability: 0, Outcome: Lost},
		},
		Rules: []Rule{
			{Name: "tasks", When: Trigger{Event: StageEntered, Stage: "prospect"}, Then: []Action{{Do: CreateTasks}}},
			{Name: "on", When: Trigger{Event: TasksCompleted, Stage: "prospect"}, Then: []Action{{Do: MoveToStage, Stage: "demo"}}},
			{Name: "late", When: Trigger{Event: TaskOverdue}, Then: []Action{{Do: Remind, To: ToOwner}, {Do: Escalate, AfterSeconds: 3600}}},
			{Name: "idle", When: Trigger{Event: OpportunityIdle, IdleDays: 14}, Then: []Action{{Do: Remind, To: ToManager}}},
		},
	}
}

// locations returns the places a definition's faults point at.
func locations(t *testing.T, err error) []string {
	t.Helper()
	f, ok := fault.As(err)
	if !ok || f.Kind != fault.Invalid {
		t.Fatalf("want an invalid-input fault, got %v", err)
	}
	var out []string
	for _, d := range f.Details {
		out = append(out, d.Location)
	}
	return out
}

func TestValidDefinitionPasses(t *testing.T) {
	d := sample()
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestInvalidDefinitionsNameTheirPlace(t *testing.T) {
	cases := []struct {
		name   string
		change func(d *Definition)
		want   string
	}{
		{"no name", func(d *Definition) { d.Name = " " }, "body.name"},
		{"too few stages", func(d *Definition) { d.Stages = d.Stages[:2] }, "body.stages"},
		{"bad key", func(d *Definition) { d.Stages[1].Key = "Demo Stage" }, "body.stages[1].key"},
		{"duplicate key", func(d *Definition) { d.Stages[1].Key = "prospect" }, "body.stages[1].key"},
		{"probability over 100", func(d *Definition) { d.Stages[0].Probability = 120 }, "body.stages[0].probability"},
		{"won below 100", func(d *Definition) { d.Stages[2].Probability = 90 }, "body.stages[2].probability"},
		{"open after closing", func(d *Definition) { d.Stages[1], d.Stages[2] = d.Stages[2], d.Stages[1] }, "body.stages[2].outcome"},
		{"no lost stage", func(d *Definition) { d.Stages[3].Outcome, d.Stages[3].Probability = Won, 100 }, "body.stages"},
		{"unknown outcome", func(d *Definition) { d.Stages[1].Outcome = "maybe" }, "body.stages[1].outcome"},
		{"checklist on closing stage", func(d *Definition) { d.Stages[2].Checklist = d.Stages[0].Checklist }, "body.stages[2].checklist"},
		{"task without title", func(d *Definition) { d.Stages[0].Checklist[0].Title = "" }, "body.stages[0].checklist[0].title"},
		{"task for nobody", func(d *Definition) { d.Stages[0].Checklist[1].Assignee = "intern" }, "body.stages[0].checklist[1].assignee"},
		{"negative due", func(d *Definition) { d.Stages[0].Checklist[0].DueAfterDays = -1 }, "body.stages[0].checklist[0].due_after_days"},
		{"unknown event", func(d *Definition) { d.Rules[0].When.Event = "stage_left" }, "body.rules[0].when.event"},
		{"rule on unknown stage", func(d *Definition) { d.Rules[0].When.Stage = "propsect" }, "body.rules[0].when.stage"},
		{"stage_entered without stage", func(d *Definition) { d.Rules[0].When.Stage = "" }, "body.rules[0].when.stage"},
		{"move to unknown stage", func(d *Definition) { d.Rules[1].Then[0].Stage = "dmo" }, "body.rules[1].then[0].stage"},
		{"move to own stage", func(d *Definition) { d.Rules[1].Then[0].Stage = "prospect" }, "body.rules[1].then[0].stage"},
		{"action the event cannot take", func(d *Definition) { d.Rules[2].Then[0].Do = CreateTasks }, "body.rules[2].then[0].do"},
		{"escalate without delay", func(d *Definition) { d.Rules[2].Then[1].AfterSeconds = 0 }, "body.rules[2].then[1].after_seconds"},
		{"remind nobody", func(d *Definition) { d.Rules[3].Then[0].To = "" }, "body.rules[3].then[0].to"},
		{"idle without days", func(d *Definition) { d.Rules[3].When.IdleDays = 0 }, "body.rules[3].when.idle_days"},
		{"idle days elsewhere", func(d *Definition) { d.Rules[2].When.IdleDays = 3 }, "body.rules[2].when.idle_days"},
		{"duplicate rule name", func(d *Definition) { d.Rules[1].Name = "tasks" }, "body.rules[1].name"},
		{"rule without action", func(d *Definition) { d.Rules[0].Then = nil }, "body.rules[0].then"},
		{"tasks_completed on a closing stage", func(d *Definition) {
			d.Rules[1].When.Stage, d.Rules[1].Then[0].Stage = "won", "demo"
		}, "body.rules[1].when.stage"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := sample()
			tc.change(&d)
			got := locations(t, d.Validate())
			if !slices.Contains(got, tc.want) {
				t.Errorf("problems at %v, want one at %s", got, tc.want)
			}
		})
	}
}

func TestEveryProblemIsReportedAtOnce(t *testing.T) {
	d := sample()
	d.Name = ""
	d.Stages[0].Probability = -5
	d.Stages[1].Key = "x y"
	if got := locations(t, d.Validate()); len(got) != 3 {
		t.Errorf("problems at %v, want the three made", got)
	}
}

func TestLoopsOfAutomaticMovesAreRefused(t *testing.T) {
	// demo's entry moves to prospect; prospect's tasks_completed moves to demo. With prospect's
	// required task the second waits for a person: no loop. Without it, it fires on entry: a loop.
	d := sample()
	d.Rules = append(d.Rules, Rule{Name: "back", When: Trigger{Event: StageEntered, Stage: "demo"}, Then: []Action{{Do: MoveToStage, Stage: "prospect"}}})
	if err := d.Validate(); err != nil {
		t.Fatalf("a move that waits for a required task is no loop: %v", err)
	}
	d.Stages[0].Checklist[0].Required = false
	err := d.Validate()
	got := locations(t, err)
	if len(got) != 1 || !strings.HasPrefix(got[0], "body.rules[") || !strings.Contains(err.Error(), "prospect -> demo -> prospect") &&
		!strings.Contains(err.Error(), "demo -> prospect -> demo") {
		t.Errorf("loop reported as %v: %v", got, err)
	}
	// Entry moves chained through three stages and back.
	d = sample()
	d.Stages = slices.Insert(d.Stages, 2, StageDef{Key: "trial", Name: "Trial", Probability: 60, Outcome: Open})
	d.Rules = []Rule{
		{Name: "a", When: Trigger{Event: StageEntered, Stage: "prospect"}, Then: []Action{{Do: MoveToStage, Stage: "demo"}}},
		{Name: "b", When: Trigger{Event: StageEntered, Stage: "demo"}, Then: []Action{{Do: MoveToStage, Stage: "trial"}}},
		{Name: "c", When: Trigger{Event: StageEntered, Stage: "trial"}, Then: []Action{{Do: MoveToStage, Stage: "prospect"}}},
	}
	if err := d.Validate(); err == nil || !strings.Contains(err.Error(), "prospect -> demo -> trial -> prospect") {
		t.Errorf("three-stage loop: %v", err)
	}
}

// FuzzDefinition feeds arbitrary JSON to the definition's decoder and validator: either it is
// refused with an invalid-input fault, or it is a definition whose automatic moves end.
func FuzzDefinition(f *testing.F) {
	b, _ := json.Marshal(sample())
	f.Add(b)
	f.Add([]byte(`{"name":"x","stages":[],"rules":[]}`))
	f.Add([]byte(`{"name":"x","stages":[{"key":"a","name":"A","outcome":"open"},{"key":"w","name":"W","probability":100,"outcome":"won"},{"key":"l","name":"L","outcome":"lost"}],"rules":[{"name":"r","when":{"event":"stage_entered","stage":"a"},"then":[{"do":"move_to_stage","stage":"w"}]}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var d Definition
		if json.Unmarshal(raw, &d) != nil {
			return
		}
		err := d.Validate()
		if err != nil {
			if _, ok := fault.As(err); !ok {
				t.Fatalf("not a fault: %v", err)
			}
			return
		}
		// Follow the automatic moves from every stage: a valid definition never goes round.
		for _, s := range d.Stages {
			seen := map[string]bool{}
			for at := s.Key; at != ""; {
				if seen[at] {
					t.Fatalf("valid definition loops at %s: %s", at, raw)
				}
				seen[at] = true
				at = autoNext(&d, at)
			}
		}
	})
}

// autoNext is where an opportunity entering stage k is moved on at once, if anywhere.
func autoNext(d *Definition, k string) string {
	for _, r := range d.Rules {
		auto := r.When.Stage == k && (r.When.Event == StageEntered || (r.When.Event == TasksCompleted && !d.hasRequired(k)))
		if !auto {
			continue
		}
		for _, a := range r.Then {
			if a.Do == MoveToStage {
				return a.Stage
			}
		}
	}
	return ""
}
