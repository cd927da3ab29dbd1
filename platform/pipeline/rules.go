package pipeline

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Event is what a workflow rule reacts to.
type Event string

const (
	// StageEntered: an opportunity entered the rule's stage.
	StageEntered Event = "stage_entered"
	// TasksCompleted: the last open required task of the rule's stage was done (at once on
	// entry when the stage has no required task).
	TasksCompleted Event = "tasks_completed"
	// TaskOverdue: a task passed its due time undone (of the rule's stage, or any when none).
	TaskOverdue Event = "task_overdue"
	// OpportunityIdle: an open opportunity (in the rule's stage, or any) was not touched for
	// IdleDays: no move, change, task done or activity.
	OpportunityIdle Event = "opportunity_idle"
)

// Do is what a rule does.
type Do string

const (
	// CreateTasks creates the stage's checklist tasks (stage_entered only).
	CreateTasks Do = "create_tasks"
	// Remind sends a reminder to To (owner or manager).
	Remind Do = "remind"
	// Escalate reminds the owner's manager After the task went overdue, if it is still undone
	// (task_overdue only).
	Escalate Do = "escalate"
	// MoveToStage moves the opportunity on to Stage (stage_entered and tasks_completed only).
	MoveToStage Do = "move_to_stage"
)

// MaxEscalationDelay bounds Escalate's delay.
const MaxEscalationDelay = 90 * 24 * time.Hour

// Rule is one workflow rule: when a trigger happens, do the actions in order. Rules are stored
// and served in this JSON form.
type Rule struct {
	Name string   `json:"name" doc:"unique within the pipeline"`
	When Trigger  `json:"when"`
	Then []Action `json:"then"`
}

// Trigger is a rule's event, narrowed to a stage when Stage is set.
type Trigger struct {
	Event    Event  `json:"event" enum:"stage_entered,tasks_completed,task_overdue,opportunity_idle"`
	Stage    string `json:"stage,omitempty" doc:"stage key; required for stage_entered and tasks_completed"`
	IdleDays int    `json:"idle_days,omitempty" doc:"opportunity_idle only: days without a touch, 1 to 365"`
}

// Action is one step of a rule.
type Action struct {
	Do           Do       `json:"do" enum:"create_tasks,remind,escalate,move_to_stage"`
	To           Assignee `json:"to,omitempty" doc:"remind: owner or manager"`
	AfterSeconds int      `json:"after_seconds,omitempty" doc:"escalate: seconds after the task went overdue, up to 90 days"`
	Stage        string   `json:"stage,omitempty" doc:"move_to_stage: the stage key"`
}

// after is Escalate's delay.
func (a Action) after() time.Duration { return time.Duration(a.AfterSeconds) * time.Second }

// allowed lists the actions each event may take.
var allowed = map[Event][]Do{
	StageEntered:    {CreateTasks, Remind, MoveToStage},
	TasksCompleted:  {Remind, MoveToStage},
	TaskOverdue:     {Remind, Escalate},
	OpportunityIdle: {Remind},
}

func validateRules(d *Definition, p *problems) {
	if len(d.Rules) > MaxRules {
		p.add("body.rules", "a pipeline has at most %d rules", MaxRules)
		return
	}
	names := map[string]bool{}
	for i, r := range d.Rules {
		at := fmt.Sprintf("body.rules[%d]", i)
		if n := strings.TrimSpace(r.Name); n == "" || len(n) > MaxTitleLen {
			p.add(at+".name", "a rule needs a name of 1 to %d characters", MaxTitleLen)
		} else if names[n] {
			p.add(at+".name", "rule name %q is used twice", n)
		}
		names[strings.TrimSpace(r.Name)] = true
		validateTrigger(d, r.When, at+".when", p)
		if len(r.Then) == 0 || len(r.Then) > MaxActionsInRule {
			p.add(at+".then", "a rule has 1 to %d actions", MaxActionsInRule)
		}
		for j, a := range r.Then {
			validateAction(d, r.When, a, fmt.Sprintf("%s.then[%d]", at, j), p)
		}
	}
	if len(*p) == 0 {
		findLoop(d, p)
	}
}

func validateTrigger(d *Definition, t Trigger, at string, p *problems) {
	if _, ok := allowed[t.Event]; !ok {
		p.add(at+".event", "event %q is not one of stage_entered, tasks_completed, task_overdue, opportunity_idle", t.Event)
		return
	}
	if t.Stage == "" && (t.Event == StageEntered || t.Event == TasksCompleted) {
		p.add(at+".stage", "a %s rule names its stage", t.Event)
	}
	if t.Stage != "" {
		if s, ok := d.Stage(t.Stage); !ok {
			p.add(at+".stage", "there is no stage %q in this pipeline", t.Stage)
		} else if s.Outcome != Open && t.Event != StageEntered {
			p.add(at+".stage", "stage %q closes the opportunity: nothing is worked there for %s", t.Stage, t.Event)
		}
	}
	if t.Event == OpportunityIdle {
		if t.IdleDays < 1 || t.IdleDays > MaxDays {
			p.add(at+".idle_days", "idle_days %d is outside 1 to %d", t.IdleDays, MaxDays)
		}
	} else if t.IdleDays != 0 {
		p.add(at+".idle_days", "idle_days belongs to opportunity_idle rules only")
	}
}

func validateAction(d *Definition, t Trigger, a Action, at string, p *problems) {
	ok := false
	for _, do := range allowed[t.Event] {
		ok = ok || do == a.Do
	}
	if !ok {
		p.add(at+".do", "%q cannot follow %s; it may: %v", a.Do, t.Event, allowed[t.Event])
		return
	}
	switch a.Do {
	case Remind:
		if a.To != ToOwner && a.To != ToManager {
			p.add(at+".to", "remind whom: owner or manager, not %q", a.To)
		}
	case Escalate:
		if a.AfterSeconds <= 0 || a.after() > MaxEscalationDelay {
			p.add(at+".after_seconds", "escalate after 1 to %d seconds (90 days), not %d", int(MaxEscalationDelay/time.Second), a.AfterSeconds)
		}
	case MoveToStage:
		switch _, exists := d.Stage(a.Stage); {
		case !exists:
			p.add(at+".stage", "there is no stage %q in this pipeline", a.Stage)
		case a.Stage == t.Stage:
			p.add(at+".stage", "a rule of stage %q cannot move the opportunity to the stage it is in", a.Stage)
		}
	}
}

// findLoop refuses rules whose automatic moves go round for ever: stage a's entry moves to b,
// b's to a. A move is automatic when nobody has to act first: on stage_entered, or on
// tasks_completed of a stage with no required task (which fires on entry).
func findLoop(d *Definition, p *problems) {
	type edge struct {
		to   string
		rule int
	}
	next := map[string][]edge{}
	for i, r := range d.Rules {
		auto := r.When.Event == StageEntered || (r.When.Event == TasksCompleted && !d.hasRequired(r.When.Stage))
		if !auto {
			continue
		}
		for _, a := range r.Then {
			if a.Do == MoveToStage {
				next[r.When.Stage] = append(next[r.When.Stage], edge{a.Stage, i})
			}
		}
	}
	const (
		unseen = iota
		onPath
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(s string) bool
	visit = func(s string) bool {
		state[s] = onPath
		path = append(path, s)
		for _, e := range next[s] {
			switch state[e.to] {
			case onPath:
				cycle := append(append([]string{}, path[slices.Index(path, e.to):]...), e.to)
				p.add(fmt.Sprintf("body.rules[%d]", e.rule), "rule %q closes a loop of automatic moves that would never end: %s",
					d.Rules[e.rule].Name, strings.Join(cycle, " -> "))
				return true
			case unseen:
				if visit(e.to) {
					return true
				}
			}
		}
		path = path[:len(path)-1]
		state[s] = done
		return false
	}
	for _, s := range d.Stages {
		if state[s.Key] == unseen && visit(s.Key) {
			return
		}
	}
}
