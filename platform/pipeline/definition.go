// Package pipeline is the sales process: per-tenant pipelines of stages with checklists, the
// workflow engine whose declarative rules hand out each stage's tasks, remind and escalate, and
// the opportunities that move through it with their full stage history.
package pipeline

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/repflow/repflow/platform/fault"
)

// Outcome is what reaching a stage means for an opportunity.
type Outcome string

const (
	Open Outcome = "open" // still being worked
	Won  Outcome = "won"
	Lost Outcome = "lost"
)

// Assignee says who gets a checklist's task: the opportunity's owner, or the owner's manager.
type Assignee string

const (
	ToOwner   Assignee = "owner"
	ToManager Assignee = "manager"
)

// Limits of a definition: a pipeline is a sales process a person reads on one screen.
const (
	MaxStages        = 20
	MaxChecklist     = 20
	MaxRules         = 50
	MaxActionsInRule = 5
	MaxDays          = 365
	MaxTitleLen      = 200
)

// Definition is a pipeline as a tenant admin edits it: the stages in order, each with its
// checklist, and the workflow rules.
type Definition struct {
	Name   string     `json:"name"`
	Stages []StageDef `json:"stages" doc:"in order: open stages first, then the won and lost ones"`
	Rules  []Rule     `json:"rules"`
}

// StageDef is one stage of a Definition.
type StageDef struct {
	// Key names the stage in rules and moves; it is stable across edits ("qualify").
	Key         string         `json:"key" doc:"lower-case letters, digits and _, stable across edits"`
	Name        string         `json:"name"`
	Probability int            `json:"probability" doc:"per cent: the chance an opportunity here is won"`
	SLADays     int            `json:"sla_days" doc:"the expected days in the stage; 0 for none"`
	Outcome     Outcome        `json:"outcome" enum:"open,won,lost"`
	Checklist   []TaskTemplate `json:"checklist"`
}

// TaskTemplate is a checklist item: the task created for an opportunity entering the stage.
type TaskTemplate struct {
	Title        string   `json:"title"`
	Assignee     Assignee `json:"assignee" enum:"owner,manager"`
	DueAfterDays int      `json:"due_after_days" doc:"days after the opportunity entered the stage"`
	// Required tasks must be done before the opportunity may leave the stage.
	Required bool `json:"required" doc:"the opportunity cannot leave the stage while it is open"`
}

var stageKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Stage returns the stage with key k.
func (d *Definition) Stage(k string) (StageDef, bool) {
	for _, s := range d.Stages {
		if s.Key == k {
			return s, true
		}
	}
	return StageDef{}, false
}

// hasRequired reports whether the stage keyed k has a required checklist item.
func (d *Definition) hasRequired(k string) bool {
	s, _ := d.Stage(k)
	for _, t := range s.Checklist {
		if t.Required {
			return true
		}
	}
	return false
}

// Validate reports every problem of d at once, each at its place in the request body
// ("body.stages[2].key"), so an admin fixes a definition in one round.
func (d *Definition) Validate() error {
	var p problems
	if n := utf8.RuneCountInString(strings.TrimSpace(d.Name)); n == 0 || n > MaxTitleLen {
		p.add("body.name", "a pipeline needs a name of 1 to %d characters", MaxTitleLen)
	}
	d.validateStages(&p)
	if len(p) == 0 { // rules name stages: check them against a sound stage list only
		validateRules(d, &p)
	}
	return p.err()
}

func (d *Definition) validateStages(p *problems) {
	if len(d.Stages) < 3 || len(d.Stages) > MaxStages {
		p.add("body.stages", "a pipeline has 3 to %d stages: at least one open, one won and one lost", MaxStages)
		return
	}
	seen := map[string]bool{}
	outcomes := map[Outcome]int{}
	for i, s := range d.Stages {
		at := fmt.Sprintf("body.stages[%d]", i)
		switch {
		case !stageKey.MatchString(s.Key):
			p.add(at+".key", "%q is not a stage key: lower-case letters, digits and _, starting with a letter, at most 40", s.Key)
		case seen[s.Key]:
			p.add(at+".key", "stage key %q is used twice", s.Key)
		}
		seen[s.Key] = true
		if n := utf8.RuneCountInString(strings.TrimSpace(s.Name)); n == 0 || n > MaxTitleLen {
			p.add(at+".name", "a stage needs a name of 1 to %d characters", MaxTitleLen)
		}
		if s.Probability < 0 || s.Probability > 100 {
			p.add(at+".probability", "probability %d is not a percentage (0 to 100)", s.Probability)
		}
		if s.SLADays < 0 || s.SLADays > MaxDays {
			p.add(at+".sla_days", "sla_days %d is outside 0 to %d", s.SLADays, MaxDays)
		}
		outcomes[s.Outcome]++
		switch s.Outcome {
		case Open:
			if i > 0 && d.Stages[i-1].Outcome != Open {
				p.add(at+".outcome", "open stages come first: stage %q follows a closing stage", s.Key)
			}
		case Won:
			if s.Probability != 100 {
				p.add(at+".probability", "a won stage has probability 100, not %d", s.Probability)
			}
		case Lost:
			if s.Probability != 0 {
				p.add(at+".probability", "a lost stage has probability 0, not %d", s.Probability)
			}
		default:
			p.add(at+".outcome", "outcome %q is not open, won or lost", s.Outcome)
		}
		if s.Outcome != Open && len(s.Checklist) > 0 {
			p.add(at+".checklist", "a closing stage has no checklist: nothing is worked after the outcome")
		}
		validateChecklist(s.Checklist, at, p)
	}
	for _, o := range []Outcome{Open, Won, Lost} {
		if outcomes[o] == 0 {
			p.add("body.stages", "a pipeline needs at least one %s stage", o)
		}
	}
}

func validateChecklist(items []TaskTemplate, at string, p *problems) {
	if len(items) > MaxChecklist {
		p.add(at+".checklist", "a stage has at most %d checklist items", MaxChecklist)
		return
	}
	for j, t := range items {
		it := fmt.Sprintf("%s.checklist[%d]", at, j)
		if n := utf8.RuneCountInString(strings.TrimSpace(t.Title)); n == 0 || n > MaxTitleLen {
			p.add(it+".title", "a task needs a title of 1 to %d characters", MaxTitleLen)
		}
		if t.Assignee != ToOwner && t.Assignee != ToManager {
			p.add(it+".assignee", "assignee %q is not owner or manager", t.Assignee)
		}
		if t.DueAfterDays < 0 || t.DueAfterDays > MaxDays {
			p.add(it+".due_after_days", "due_after_days %d is outside 0 to %d", t.DueAfterDays, MaxDays)
		}
	}
}

// problems collects a definition's faults.
type problems []fault.Detail

func (p *problems) add(location, format string, args ...any) {
	*p = append(*p, fault.Detail{Location: location, Message: fmt.Sprintf(format, args...)})
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return fault.New(fault.Invalid, "invalid_pipeline", "the pipeline has "+plural(len(p), "problem")+": "+p[0].Location+": "+p[0].Message, p...)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
