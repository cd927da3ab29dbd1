package pipeline

import (
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Pipeline is a stored pipeline: its definition with the stages' ids.
type Pipeline struct {
	ID        uuid.UUID
	Name      string
	Revision  int64 // grows with every edit
	Stages    []Stage
	Rules     []Rule
	UpdatedAt time.Time
	// retired stages were removed by an edit; past opportunities' histories still name them.
	retired []Stage
}

// Stage is a stage of a stored pipeline.
type Stage struct {
	ID uuid.UUID
	StageDef
}

// stage returns the active stage keyed k.
func (p *Pipeline) stage(k string) (Stage, bool) {
	for _, s := range p.Stages {
		if s.Key == k {
			return s, true
		}
	}
	return Stage{}, false
}

// stageByID returns any stage of p by id, retired ones included.
func (p *Pipeline) stageByID(id uuid.UUID) (Stage, bool) {
	for _, s := range append(p.Stages, p.retired...) {
		if s.ID == id {
			return s, true
		}
	}
	return Stage{}, false
}

// rules returns the rules for event in the stage keyed k (rules naming no stage apply in all).
func (p *Pipeline) rules(e Event, k string) []Rule {
	var out []Rule
	for _, r := range p.Rules {
		if r.When.Event == e && (r.When.Stage == "" || r.When.Stage == k) {
			out = append(out, r)
		}
	}
	return out
}

// Status of an opportunity: open until it reaches a won or lost stage.
type Status = Outcome

// Opportunity is a deal being worked through a pipeline.
type Opportunity struct {
	ID            uuid.UUID
	PipelineID    uuid.UUID
	Stage         Stage
	CustomerID    uuid.UUID
	OwnerID       uuid.UUID
	Name          string
	Amount        decimal.Decimal
	Currency      string
	ExpectedClose string // YYYY-MM-DD
	NextStep      string
	ContactIDs    []uuid.UUID
	Status        Status
	OutcomeReason string
	// StageEnteredAt and TimeInStage: how long it has been in its stage (until now, or until it
	// closed); OverSLA when that passed the stage's SLA.
	StageEnteredAt time.Time
	TimeInStage    time.Duration
	OverSLA        bool
	LastTouchedAt  time.Time
	ClosedAt       *time.Time
	CreatedBy      uuid.UUID
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// History is the path through the pipeline, oldest first, and Engagement how closely it
	// has been followed up since it was opened (both filled by Get only).
	History    []StageMove
	Engagement *Engagement
}

// Engagement is the follow-up of an opportunity, from the activities logged against it: the
// contact frequency (touches per week) and the follow-up depth (kinds of activity, contacts
// reached) the brief asks the appraisal to weigh conversion by.
type Engagement struct {
	Touches         int
	TouchesPerWeek  float64
	ActivityKinds   int
	ContactsReached int
}

// StageMove is one step of an opportunity's history.
type StageMove struct {
	FromStage *string // key; nil for the first stage
	ToStage   string
	MovedAt   time.Time
	MovedBy   *uuid.UUID // nil when the workflow moved it
	Reason    string
	// TimeInStage is how long the opportunity stayed in ToStage (until now while it is there).
	TimeInStage time.Duration
}

// TaskStatus is a task's state.
type TaskStatus string

const (
	TaskOpen      TaskStatus = "open"
	TaskDone      TaskStatus = "done"
	TaskCancelled TaskStatus = "cancelled" // its stage was left while it was optional and open
)

// Task is a piece of work the workflow handed out, or one added by hand.
type Task struct {
	ID            uuid.UUID
	OpportunityID uuid.UUID
	StageKey      string
	Title         string
	OwnerID       uuid.UUID
	Required      bool
	Status        TaskStatus
	DueAt         time.Time
	Overdue       bool
	DoneAt        *time.Time
	DoneBy        *uuid.UUID
	CreatedAt     time.Time
}

// Reminder is a message the workflow sent a user.
type Reminder struct {
	ID            uuid.UUID
	Kind          string // task_overdue, escalation, opportunity_idle, stage_entered, tasks_completed, replenishment_due
	OpportunityID *uuid.UUID
	TaskID        *uuid.UUID
	Message       string
	CreatedAt     time.Time
	ReadAt        *time.Time
}
