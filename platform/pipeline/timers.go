package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/platform/store"
)

// The workflow's timers are jobs. Each carries the state it was set for (a task's due time, an
// opportunity's last touch); when it fires, a changed state means a newer timer replaced it, and
// it does nothing. Its reminders have keys, so even a timer worked twice reminds once.

// taskOverdue fires when a task is due.
type taskOverdue struct {
	jobs.Tenant
	TaskID uuid.UUID `json:"task_id"`
	DueAt  time.Time `json:"due_at"`
}

func (taskOverdue) Kind() string { return "pipeline.task_overdue" }

// taskEscalation fires a rule's delay after a task went overdue.
type taskEscalation struct {
	jobs.Tenant
	TaskID uuid.UUID `json:"task_id"`
	DueAt  time.Time `json:"due_at"`
	Rule   string    `json:"rule"`
	Action int       `json:"action"`
}

func (taskEscalation) Kind() string { return "pipeline.task_escalation" }

// opportunityIdle fires IdleDays after an opportunity's last touch.
type opportunityIdle struct {
	jobs.Tenant
	OpportunityID uuid.UUID `json:"opportunity_id"`
	TouchedAt     time.Time `json:"touched_at"`
	IdleDays      int       `json:"idle_days"`
}

func (opportunityIdle) Kind() string { return "pipeline.opportunity_idle" }

func (s *Service) scheduleOverdue(ctx context.Context, t taskRow) error {
	args := taskOverdue{Tenant: jobs.Tenant{TenantID: identity.TenantID(ctx)}, TaskID: t.ID, DueAt: t.DueAt}
	return s.queue.Enqueue(ctx, args, t.DueAt)
}

// liveTask loads the task and its opportunity and pipeline if the task is still open and due at
// due; ok is false when the timer is stale.
func (s *Service) liveTask(db *gorm.DB, id uuid.UUID, due time.Time) (t taskRow, o opportunityRow, p Pipeline, ok bool, err error) {
	if err = db.Where("id = ?", id).Take(&t).Error; err != nil {
		if store.IsNotFound(err) {
			err = nil
		}
		return
	}
	if t.Status != string(TaskOpen) || !t.DueAt.Equal(due) {
		return
	}
	if o, err = lockOpportunity(s.store, db, t.OpportunityID); err != nil {
		return
	}
	if o.Status != string(Open) {
		return
	}
	p, err = loadPipeline(db, o.PipelineID)
	return t, o, p, err == nil, err
}

func (s *Service) onTaskOverdue(ctx context.Context, a taskOverdue) error {
	return s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		t, o, p, ok, err := s.liveTask(db, a.TaskID, a.DueAt)
		if err != nil || !ok {
			return err
		}
		stage, _ := p.stageByID(t.StageID)
		for _, r := range p.rules(TaskOverdue, stage.Key) {
			for i, act := range r.Then {
				key := fmt.Sprintf("task_overdue:%s:%s:%s:%d", t.ID, t.DueAt.Format(time.RFC3339Nano), r.Name, i)
				switch act.Do {
				case Remind:
					msg := fmt.Sprintf("task %q of %q is overdue since %s", t.Title, o.Name, t.DueAt.Format(time.RFC3339))
					if err := s.remind(ctx, db, &o, &t, act.To, string(TaskOverdue), msg, key); err != nil {
						return err
					}
				case Escalate:
					esc := taskEscalation{Tenant: a.Tenant, TaskID: t.ID, DueAt: t.DueAt, Rule: r.Name, Action: i}
					if err := s.queue.Enqueue(ctx, esc, s.now().Add(act.after())); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

func (s *Service) onTaskEscalation(ctx context.Context, a taskEscalation) error {
	return s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		t, o, _, ok, err := s.liveTask(db, a.TaskID, a.DueAt)
		if err != nil || !ok {
			return err
		}
		key := fmt.Sprintf("escalation:%s:%s:%s:%d", t.ID, t.DueAt.Format(time.RFC3339Nano), a.Rule, a.Action)
		msg := fmt.Sprintf("escalated: task %q of %q, owned by your team, is still undone since %s", t.Title, o.Name, t.DueAt.Format(time.RFC3339))
		return s.remind(ctx, db, &o, &t, ToManager, "escalation", msg, key)
	})
}

func (s *Service) onOpportunityIdle(ctx context.Context, a opportunityIdle) error {
	return s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		o, err := lockOpportunity(s.store, db, a.OpportunityID)
		if store.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if o.Status != string(Open) || !o.LastTouchedAt.Equal(a.TouchedAt) {
			return nil // touched since, or closed: a newer timer (or none) applies
		}
		p, err := loadPipeline(db, o.PipelineID)
		if err != nil {
			return err
		}
		stage, _ := p.stageByID(o.StageID)
		for _, r := range p.rules(OpportunityIdle, stage.Key) {
			if r.When.IdleDays != a.IdleDays {
				continue
			}
			for i, act := range r.Then {
				key := fmt.Sprintf("idle:%s:%s:%s:%d", o.ID, o.LastTouchedAt.Format(time.RFC3339Nano), r.Name, i)
				msg := fmt.Sprintf("%q has not been touched for %d days", o.Name, a.IdleDays)
				if err := s.remind(ctx, db, &o, nil, act.To, string(OpportunityIdle), msg, key); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
