package pipeline

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// NewTask is a task added by hand to an opportunity's current stage.
type NewTask struct {
	OpportunityID uuid.UUID
	Title         string
	OwnerID       *uuid.UUID // nil: the opportunity's owner
	DueAt         time.Time
	Required      bool
}

// CreateTask adds a task to the opportunity's current stage, with its overdue timer.
func (s *Service) CreateTask(ctx context.Context, in NewTask) (Task, error) {
	var out Task
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		o, p, err := s.loadOpportunity(ctx, db, in.OpportunityID, access.Read)
		if fault.Is(err, fault.NotFound) {
			return fault.Reference("body.opportunity_id", "there is no such opportunity", in.OpportunityID)
		}
		if err != nil {
			return err
		}
		if o.Status != string(Open) {
			return fault.Newf(fault.Conflict, "opportunity_closed", "the opportunity is %s: no new tasks", o.Status)
		}
		title := strings.TrimSpace(in.Title)
		if n := utf8.RuneCountInString(title); n == 0 || n > MaxTitleLen {
			return fault.Field("body.title", fmt.Sprintf("must have 1 to %d characters", MaxTitleLen), in.Title)
		}
		now := s.now()
		if in.DueAt.IsZero() {
			return fault.Field("body.due_at", "is required", "")
		}
		owner := o.OwnerID
		if in.OwnerID != nil {
			owner = *in.OwnerID
		}
		t := taskRow{ID: identity.NewID(), OpportunityID: o.ID, StageID: o.StageID, Title: title, OwnerID: owner,
			RegionPath: o.RegionPath, Required: in.Required, Status: string(TaskOpen),
			DueAt: in.DueAt.UTC().Truncate(time.Microsecond), CreatedAt: now, UpdatedAt: now}
		res := access.Resource{Kind: access.KindTask, OwnerID: owner, RegionPath: o.RegionPath}
		if err := s.warden.Check(ctx, access.Create, res); err != nil {
			return err
		}
		if err := db.Create(&t).Error; err != nil {
			return err
		}
		if err := s.scheduleOverdue(ctx, t); err != nil {
			return err
		}
		if err := s.touch(ctx, db, &p, &o); err != nil {
			return err
		}
		out = toTask(t, &p, now)
		return nil
	})
	if err != nil {
		return Task{}, fmt.Errorf("create task: %w", err)
	}
	return out, nil
}

// CompleteTask marks an open task done; the last required task of a stage runs the stage's
// tasks_completed rules.
func (s *Service) CompleteTask(ctx context.Context, id uuid.UUID) (Task, error) {
	me, err := identity.SignedIn(ctx, "complete a task")
	if err != nil {
		return Task{}, err
	}
	var out Task
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		t, o, p, err := s.loadTask(ctx, db, id, access.Update)
		if err != nil {
			return err
		}
		if t.Status != string(TaskOpen) {
			return fault.Newf(fault.Conflict, "task_not_open", "the task is %s already", t.Status)
		}
		now := s.now()
		t.Status, t.DoneAt, t.DoneBy, t.UpdatedAt = string(TaskDone), &now, &me.UserID, now
		if err := db.Save(&t).Error; err != nil {
			return err
		}
		if err := s.touch(ctx, db, &p, &o); err != nil {
			return err
		}
		if t.Required && t.StageID == o.StageID && o.Status == string(Open) {
			if err := s.checkTasksCompleted(ctx, db, &p, &o, 0); err != nil {
				return err
			}
		}
		out = toTask(t, &p, now)
		return nil
	})
	if err != nil {
		return Task{}, fmt.Errorf("complete task %s: %w", id, err)
	}
	return out, nil
}

// RescheduleTask moves an open task's due time; its old overdue timer becomes stale.
func (s *Service) RescheduleTask(ctx context.Context, id uuid.UUID, due time.Time) (Task, error) {
	var out Task
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		t, o, p, err := s.loadTask(ctx, db, id, access.Update)
		if err != nil {
			return err
		}
		if t.Status != string(TaskOpen) {
			return fault.Newf(fault.Conflict, "task_not_open", "the task is %s: only an open task is rescheduled", t.Status)
		}
		if due.IsZero() {
			return fault.Field("body.due_at", "is required", "")
		}
		now := s.now()
		t.DueAt, t.UpdatedAt = due.UTC().Truncate(time.Microsecond), now
		if err := db.Save(&t).Error; err != nil {
			return err
		}
		if err := s.scheduleOverdue(ctx, t); err != nil {
			return err
		}
		if err := s.touch(ctx, db, &p, &o); err != nil {
			return err
		}
		out = toTask(t, &p, now)
		return nil
	})
	if err != nil {
		return Task{}, fmt.Errorf("reschedule task %s: %w", id, err)
	}
	return out, nil
}

// loadTask loads a task the caller may act on with a, with its opportunity (locked) and pipeline.
func (s *Service) loadTask(ctx context.Context, db *gorm.DB, id uuid.UUID, a access.Action) (taskRow, opportunityRow, Pipeline, error) {
	var t taskRow
	err := db.Where("id = ?", id).Take(&t).Error
	if store.IsNotFound(err) {
		return t, opportunityRow{}, Pipeline{}, fault.NotFoundf("task")
	}
	if err != nil {
		return t, opportunityRow{}, Pipeline{}, err
	}
	res := access.Resource{Kind: access.KindTask, ID: t.ID, OwnerID: t.OwnerID, RegionPath: t.RegionPath}
	if err := s.warden.CheckRow(ctx, a, res, "task"); err != nil {
		return t, opportunityRow{}, Pipeline{}, err
	}
	o, err := lockOpportunity(s.store, db, t.OpportunityID)
	if err != nil {
		return t, o, Pipeline{}, err
	}
	p, err := loadPipeline(db, o.PipelineID)
	return t, o, p, err
}

func toTask(t taskRow, p *Pipeline, now time.Time) Task {
	st, _ := p.stageByID(t.StageID)
	return Task{ID: t.ID, OpportunityID: t.OpportunityID, StageKey: st.Key, Title: t.Title, OwnerID: t.OwnerID,
		Required: t.Required, Status: TaskStatus(t.Status), DueAt: t.DueAt,
		Overdue: t.Status == string(TaskOpen) && now.After(t.DueAt), DoneAt: t.DoneAt, DoneBy: t.DoneBy, CreatedAt: t.CreatedAt}
}
