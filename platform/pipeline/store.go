package pipeline

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/store"
)

// The rows of migrations/0011_pipeline.go.

type pipelineRow struct {
	TenantID  uuid.UUID
	ID        uuid.UUID
	Name      string
	Rules     string // []Rule as JSON
	Revision  int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (pipelineRow) TableName() string { return "pipelines" }

type stageRow struct {
	TenantID    uuid.UUID
	ID          uuid.UUID
	PipelineID  uuid.UUID
	Key         string
	Name        string
	Position    int
	Probability int
	SLADays     int `gorm:"column:sla_days"`
	Outcome     string
	Checklist   string // []TaskTemplate as JSON
	Retired     bool
}

func (stageRow) TableName() string { return "pipeline_stages" }

type opportunityRow struct {
	TenantID       uuid.UUID
	ID             uuid.UUID
	PipelineID     uuid.UUID
	StageID        uuid.UUID
	CustomerID     uuid.UUID
	OwnerID        uuid.UUID
	RegionPath     string
	Name           string
	Amount         decimal.Decimal
	Currency       string
	ExpectedClose  string
	NextStep       string
	ContactIDs     string // []uuid.UUID as JSON
	Status         string
	OutcomeReason  string
	StageEnteredAt time.Time
	LastTouchedAt  time.Time
	ClosedAt       *time.Time
	CreatedBy      uuid.UUID
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (opportunityRow) TableName() string { return "opportunities" }

type moveRow struct {
	TenantID      uuid.UUID
	ID            uuid.UUID
	OpportunityID uuid.UUID
	FromStageID   *uuid.UUID
	ToStageID     uuid.UUID
	MovedAt       time.Time
	MovedBy       *uuid.UUID // nil when the workflow moved it
	Reason        string
}

func (moveRow) TableName() string { return "opportunity_stage_moves" }

type taskRow struct {
	TenantID      uuid.UUID
	ID            uuid.UUID
	OpportunityID uuid.UUID
	StageID       uuid.UUID
	Title         string
	OwnerID       uuid.UUID
	RegionPath    string
	Required      bool
	Status        string
	DueAt         time.Time
	DoneAt        *time.Time
	DoneBy        *uuid.UUID
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (taskRow) TableName() string { return "tasks" }

type reminderRow struct {
	TenantID      uuid.UUID
	ID            uuid.UUID
	UserID        uuid.UUID
	Kind          string
	OpportunityID *uuid.UUID
	TaskID        *uuid.UUID
	Message       string
	DedupeKey     string
	CreatedAt     time.Time
	ReadAt        *time.Time
}

func (reminderRow) TableName() string { return "reminders" }

// loadPipeline reads a pipeline with its stages, retired ones included (history names them).
func loadPipeline(db *gorm.DB, id uuid.UUID) (Pipeline, error) {
	var r pipelineRow
	if err := db.Where("id = ?", id).Take(&r).Error; err != nil {
		return Pipeline{}, err
	}
	var stages []stageRow
	if err := db.Where("pipeline_id = ?", id).Order("position").Find(&stages).Error; err != nil {
		return Pipeline{}, err
	}
	return toPipeline(r, stages)
}

func toPipeline(r pipelineRow, stages []stageRow) (Pipeline, error) {
	p := Pipeline{ID: r.ID, Name: r.Name, Revision: r.Revision, UpdatedAt: r.UpdatedAt}
	if err := json.Unmarshal([]byte(r.Rules), &p.Rules); err != nil {
		return Pipeline{}, fmt.Errorf("pipeline %s rules: %w", r.ID, err)
	}
	for _, s := range stages {
		st := Stage{ID: s.ID, StageDef: StageDef{Key: s.Key, Name: s.Name, Probability: s.Probability,
			SLADays: s.SLADays, Outcome: Outcome(s.Outcome)}}
		if err := json.Unmarshal([]byte(s.Checklist), &st.Checklist); err != nil {
			return Pipeline{}, fmt.Errorf("stage %s checklist: %w", s.ID, err)
		}
		if s.Retired {
			p.retired = append(p.retired, st)
		} else {
			p.Stages = append(p.Stages, st)
		}
	}
	return p, nil
}

// lockOpportunity reads an opportunity and locks it for the rest of the transaction (PostgreSQL;
// SQLite's writers are serialised anyway), so that two moves of one opportunity apply in turn.
func lockOpportunity(s *store.Store, db *gorm.DB, id uuid.UUID) (opportunityRow, error) {
	q := db
	if s.Dialect() == store.Postgres {
		q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	var o opportunityRow
	err := q.Where("id = ?", id).Take(&o).Error
	return o, err
}

// insertReminder stores a reminder unless one with its key exists: a timer worked twice, or two
// rules saying the same, remind once.
func insertReminder(db *gorm.DB, r reminderRow) error {
	return db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "tenant_id"}, {Name: "dedupe_key"}}, DoNothing: true}).Create(&r).Error
}
