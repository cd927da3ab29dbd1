package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
)

// The workflow engine. It runs inside the transaction of the change that triggers it (a move, a
// task done, a timer firing), so a rule's effects commit with their cause or not at all.

// entry is an opportunity entering a stage.
type entry struct {
	p      *Pipeline
	o      *opportunityRow
	to     Stage
	by     *uuid.UUID // nil when the workflow moves it
	reason string
	depth  int // automatic moves so far in this chain
}

// enter moves the opportunity into e.to: records the move, closes it on a won or lost stage,
// cancels the optional tasks left behind, and runs the stage's rules.
func (s *Service) enter(ctx context.Context, db *gorm.DB, e entry) error {
	if e.depth > len(e.p.Stages) {
		// Validation refuses loops of automatic moves; this is the second wall.
		return fault.Newf(fault.Conflict, "workflow_loop", "the workflow kept moving the opportunity without end; check the pipeline's move_to_stage rules")
	}
	now := s.now()
	move := moveRow{ID: identity.NewID(), OpportunityID: e.o.ID, ToStageID: e.to.ID, MovedAt: now, MovedBy: e.by, Reason: e.reason}
	if e.o.StageID != uuid.Nil {
		from := e.o.StageID
		move.FromStageID = &from
		if err := db.Model(&taskRow{}).Where("opportunity_id = ? AND stage_id = ? AND status = ?", e.o.ID, from, string(TaskOpen)).
			Updates(map[string]any{"status": string(TaskCancelled), "updated_at": now}).Error; err != nil {
			return err
		}
	}
	if err := db.Create(&move).Error; err != nil {
		return err
	}
	e.o.StageID, e.o.StageEnteredAt, e.o.Status = e.to.ID, now, string(e.to.Outcome)
	if e.to.Outcome != Open {
		e.o.ClosedAt, e.o.OutcomeReason = &now, e.reason
	}
	if err := s.touch(ctx, db, e.p, e.o); err != nil {
		return err
	}
	var next *Stage
	var nextRule string
	for _, r := range e.p.rules(StageEntered, e.to.Key) {
		for i, a := range r.Then {
			switch a.Do {
			case CreateTasks:
				if err := s.createChecklist(ctx, db, e.o, e.to, now); err != nil {
					return err
				}
			case Remind:
				key := fmt.Sprintf("stage_entered:%s:%s:%d", move.ID, r.Name, i)
				msg := fmt.Sprintf("%q entered stage %q", e.o.Name, e.to.Name)
				if err := s.remind(ctx, db, e.o, nil, a.To, string(StageEntered), msg, key); err != nil {
					return err
				}
			case MoveToStage:
				if st, ok := e.p.stage(a.Stage); ok && next == nil {
					next, nextRule = &st, r.Name
				}
			}
		}
	}
	if next != nil {
		return s.enter(ctx, db, entry{p: e.p, o: e.o, to: *next, reason: "workflow rule: " + nextRule, depth: e.depth + 1})
	}
	if e.to.Outcome == Open {
		return s.checkTasksCompleted(ctx, db, e.p, e.o, e.depth)
	}
	return nil
}

// checkTasksCompleted runs the tasks_completed rules of the opportunity's stage once none of its
// required tasks is open.
func (s *Service) checkTasksCompleted(ctx context.Context, db *gorm.DB, p *Pipeline, o *opportunityRow, depth int) error {
	open, err := openRequired(db, o)
	if err != nil || len(open) > 0 {
		return err
	}
	stage, ok := p.stageByID(o.StageID)
	if !ok {
		return nil
	}
	for _, r := range p.rules(TasksCompleted, stage.Key) {
		for i, a := range r.Then {
			switch a.Do {
			case Remind:
				key := fmt.Sprintf("tasks_completed:%s:%s:%s:%d", o.ID, o.StageEnteredAt.Format(time.RFC3339Nano), r.Name, i)
				msg := fmt.Sprintf("every required task of %q in stage %q is done", o.Name, stage.Name)
				if err := s.remind(ctx, db, o, nil, a.To, string(TasksCompleted), msg, key); err != nil {
					return err
				}
			case MoveToStage:
				if st, ok := p.stage(a.Stage); ok {
					return s.enter(ctx, db, entry{p: p, o: o, to: st, reason: "workflow rule: " + r.Name, depth: depth + 1})
				}
			}
		}
	}
	return nil
}

// openRequired lists the required tasks of the opportunity's current stage not yet done.
func openRequired(db *gorm.DB, o *opportunityRow) ([]taskRow, error) {
	var open []taskRow
	err := db.Where("opportunity_id = ? AND stage_id = ? AND required = ? AND status = ?", o.ID, o.StageID, true, string(TaskOpen)).
		Order("created_at, id").Find(&open).Error
	return open, err
}

// createChecklist creates the stage's checklist tasks, each with its overdue timer.
func (s *Service) createChecklist(ctx context.Context, db *gorm.DB, o *opportunityRow, st Stage, now time.Time) error {
	for _, t := range st.Checklist {
		owner, err := s.assignee(ctx, o, t.Assignee)
		if err != nil {
			return err
		}
		task := taskRow{ID: identity.NewID(), OpportunityID: o.ID, StageID: st.ID, Title: t.Title, OwnerID: owner,
			RegionPath: o.RegionPath, Required: t.Required, Status: string(TaskOpen),
			DueAt: now.Add(time.Duration(t.DueAfterDays) * 24 * time.Hour), CreatedAt: now, UpdatedAt: now}
		if err := db.Create(&task).Error; err != nil {
			return err
		}
		if err := s.scheduleOverdue(ctx, task); err != nil {
			return err
		}
	}
	return nil
}

// assignee is the user an Assignee names for an opportunity: its owner, or the owner's manager
// (the owner when there is none, so the work is never handed to nobody).
func (s *Service) assignee(ctx context.Context, o *opportunityRow, a Assignee) (uuid.UUID, error) {
	if a != ToManager {
		return o.OwnerID, nil
	}
	m, ok, err := s.deps.ManagerOf(ctx, o.OwnerID)
	if err != nil || !ok {
		return o.OwnerID, err
	}
	return m, nil
}

// remind stores a reminder for the user a names, unless one with key exists.
func (s *Service) remind(ctx context.Context, db *gorm.DB, o *opportunityRow, task *taskRow, to Assignee, kind, msg, key string) error {
	var user uuid.UUID
	var err error
	if task != nil && to == ToOwner {
		user = task.OwnerID
	} else if user, err = s.assignee(ctx, o, to); err != nil {
		return err
	}
	r := reminderRow{ID: identity.NewID(), UserID: user, Kind: kind, OpportunityID: &o.ID, Message: msg, DedupeKey: key, CreatedAt: s.now()}
	if task != nil {
		r.TaskID = &task.ID
	}
	return insertReminder(db, r)
}

// touch marks the opportunity worked on now, saves it, and starts an idle timer for each idle
// period the rules name; a later touch makes the earlier timers stale.
func (s *Service) touch(ctx context.Context, db *gorm.DB, p *Pipeline, o *opportunityRow) error {
	now := s.now()
	o.LastTouchedAt, o.UpdatedAt = now, now
	if err := db.Save(o).Error; err != nil {
		return err
	}
	if o.Status != string(Open) {
		return nil
	}
	seen := map[int]bool{}
	for _, r := range p.Rules {
		if r.When.Event != OpportunityIdle || seen[r.When.IdleDays] {
			continue
		}
		seen[r.When.IdleDays] = true
		args := opportunityIdle{Tenant: jobs.Tenant{TenantID: identity.TenantID(ctx)}, OpportunityID: o.ID, TouchedAt: now, IdleDays: r.When.IdleDays}
		if err := s.queue.Enqueue(ctx, args, now.Add(time.Duration(r.When.IdleDays)*24*time.Hour)); err != nil {
			return err
		}
	}
	return nil
}
