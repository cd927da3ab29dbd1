package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// Page sizes of the lists.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// OpportunityFilter narrows ListOpportunities; zero fields do not filter.
type OpportunityFilter struct {
	Status     Status
	PipelineID *uuid.UUID
	Stage      string // key, with PipelineID or in any pipeline
	OwnerID    *uuid.UUID
	CustomerID *uuid.UUID
	// ClosedFrom and ClosedTo keep the opportunities won or lost in [ClosedFrom, ClosedTo): what
	// a rep's win rate and sales cycle of that period count. Zero: no such filter.
	ClosedFrom, ClosedTo time.Time
	// OpenAt keeps the opportunities open at that instant: what a rep's pipeline value at the
	// end of a period is the amount of. Zero: no such filter.
	OpenAt time.Time
	After  *uuid.UUID // cursor: the last id of the previous page
	Limit  int
}

// OpportunityPage is one page of opportunities, oldest first.
type OpportunityPage struct {
	Opportunities []Opportunity
	Next          *uuid.UUID
}

var opportunityColumns = access.Columns{Owner: "opportunities.owner_id", RegionPath: "opportunities.region_path"}

// ListOpportunities returns the opportunities the caller may list.
func (s *Service) ListOpportunities(ctx context.Context, f OpportunityFilter) (OpportunityPage, error) {
	f.Limit = pageSize(f.Limit)
	var page OpportunityPage
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, access.KindOpportunity, opportunityColumns)
		if err != nil {
			return err
		}
		q := db.Model(&opportunityRow{}).Scopes(scope)
		if f.Status != "" {
			q = q.Where("opportunities.status = ?", string(f.Status))
		}
		if f.PipelineID != nil {
			q = q.Where("opportunities.pipeline_id = ?", *f.PipelineID)
		}
		if f.Stage != "" {
			q = q.Where("opportunities.stage_id IN (SELECT st.id FROM pipeline_stages st WHERE st.tenant_id = opportunities.tenant_id AND st.key = ?)", f.Stage)
		}
		if f.OwnerID != nil {
			q = q.Where("opportunities.owner_id = ?", *f.OwnerID)
		}
		if f.CustomerID != nil {
			q = q.Where("opportunities.customer_id = ?", *f.CustomerID)
		}
		if !f.ClosedFrom.IsZero() {
			q = q.Where("opportunities.closed_at >= ?", f.ClosedFrom.UTC())
		}
		if !f.ClosedTo.IsZero() {
			q = q.Where("opportunities.closed_at < ?", f.ClosedTo.UTC())
		}
		if !f.OpenAt.IsZero() {
			q = q.Where(openAtSQL(f.OpenAt))
		}
		if f.After != nil {
			q = q.Where("opportunities.id > ?", *f.After)
		}
		var rows []opportunityRow
		if err := q.Order("opportunities.id").Limit(f.Limit + 1).Find(&rows).Error; err != nil {
			return err
		}
		rows, page.Next = cut(rows, f.Limit, func(o opportunityRow) uuid.UUID { return o.ID })
		page.Opportunities, err = s.opportunities(db, rows)
		return err
	})
	if err != nil {
		return OpportunityPage{}, fmt.Errorf("list opportunities: %w", err)
	}
	return page, nil
}

// opportunities turns rows into the opportunities they are, each in its pipeline's stage.
func (s *Service) opportunities(db *gorm.DB, rows []opportunityRow) ([]Opportunity, error) {
	pipelines := map[uuid.UUID]*Pipeline{}
	now := s.now()
	var out []Opportunity
	for _, r := range rows {
		p, ok := pipelines[r.PipelineID]
		if !ok {
			loaded, err := loadPipeline(db, r.PipelineID)
			if err != nil {
				return nil, err
			}
			p = &loaded
			pipelines[r.PipelineID] = p
		}
		o, err := toOpportunity(r, p, now)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// TaskFilter narrows ListTasks.
type TaskFilter struct {
	Status        TaskStatus
	OpportunityID *uuid.UUID
	OwnerID       *uuid.UUID
	DueBefore     time.Time // open tasks due before: overdue ones with the current time
	After         *uuid.UUID
	Limit         int
}

// TaskPage is one page of tasks.
type TaskPage struct {
	Tasks []Task
	Next  *uuid.UUID
}

// ListTasks returns the tasks the caller may list, oldest first.
func (s *Service) ListTasks(ctx context.Context, f TaskFilter) (TaskPage, error) {
	f.Limit = pageSize(f.Limit)
	var page TaskPage
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, access.KindTask, access.Columns{Owner: "tasks.owner_id", RegionPath: "tasks.region_path"})
		if err != nil {
			return err
		}
		q := db.Model(&taskRow{}).Scopes(scope)
		if f.Status != "" {
			q = q.Where("tasks.status = ?", string(f.Status))
		}
		if f.OpportunityID != nil {
			q = q.Where("tasks.opportunity_id = ?", *f.OpportunityID)
		}
		if f.OwnerID != nil {
			q = q.Where("tasks.owner_id = ?", *f.OwnerID)
		}
		if !f.DueBefore.IsZero() {
			q = q.Where("tasks.status = ? AND tasks.due_at < ?", string(TaskOpen), f.DueBefore.UTC())
		}
		if f.After != nil {
			q = q.Where("tasks.id > ?", *f.After)
		}
		var rows []taskRow
		if err := q.Order("tasks.id").Limit(f.Limit + 1).Find(&rows).Error; err != nil {
			return err
		}
		rows, page.Next = cut(rows, f.Limit, func(t taskRow) uuid.UUID { return t.ID })
		stages := map[uuid.UUID]*Pipeline{}
		now := s.now()
		for _, r := range rows {
			p, ok := stages[r.StageID]
			if !ok {
				var st stageRow
				if err := db.Where("id = ?", r.StageID).Take(&st).Error; err != nil {
					return err
				}
				p = &Pipeline{Stages: []Stage{{ID: st.ID, StageDef: StageDef{Key: st.Key}}}}
				stages[r.StageID] = p
			}
			page.Tasks = append(page.Tasks, toTask(r, p, now))
		}
		return nil
	})
	if err != nil {
		return TaskPage{}, fmt.Errorf("list tasks: %w", err)
	}
	return page, nil
}

// ListReminders returns the caller's own reminders, newest first; unread only when asked.
func (s *Service) ListReminders(ctx context.Context, unreadOnly bool, before *uuid.UUID, limit int) ([]Reminder, *uuid.UUID, error) {
	me, err := identity.SignedIn(ctx, "read your reminders")
	if err != nil {
		return nil, nil, err
	}
	limit = pageSize(limit)
	var rows []reminderRow
	var next *uuid.UUID
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		q := db.Where("user_id = ?", me.UserID)
		if unreadOnly {
			q = q.Where("read_at IS NULL")
		}
		if before != nil {
			q = q.Where("id < ?", *before)
		}
		if err := q.Order("id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
			return err
		}
		rows, next = cut(rows, limit, func(r reminderRow) uuid.UUID { return r.ID })
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("list reminders: %w", err)
	}
	out := make([]Reminder, len(rows))
	for i, r := range rows {
		out[i] = Reminder{ID: r.ID, Kind: r.Kind, OpportunityID: r.OpportunityID, TaskID: r.TaskID, Message: r.Message, CreatedAt: r.CreatedAt, ReadAt: r.ReadAt}
	}
	return out, next, nil
}

// Remind puts a reminder from another domain's timer in a user's inbox (the replenishment due
// at a customer), unless one with its key exists. It is the platform's own work, run inside the
// timer's transaction: there is no caller to check.
func (s *Service) Remind(ctx context.Context, userID uuid.UUID, kind, message, key string) error {
	return s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		return insertReminder(db, reminderRow{ID: identity.NewID(), UserID: userID, Kind: kind, Message: message,
			DedupeKey: kind + ":" + key, CreatedAt: s.now()})
	})
}

// MarkReminderRead marks one of the caller's reminders read; another user's is not found.
func (s *Service) MarkReminderRead(ctx context.Context, id uuid.UUID) error {
	me, err := identity.SignedIn(ctx, "read your reminders")
	if err != nil {
		return err
	}
	return s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var r reminderRow
		err := db.Where("id = ? AND user_id = ?", id, me.UserID).Take(&r).Error
		if store.IsNotFound(err) {
			return fault.NotFoundf("reminder")
		}
		if err != nil || r.ReadAt != nil {
			return err
		}
		now := s.now()
		return db.Model(&reminderRow{}).Where("id = ?", id).Update("read_at", now).Error
	})
}

func pageSize(n int) int {
	if n <= 0 {
		return DefaultPageSize
	}
	return min(n, MaxPageSize)
}

// cut trims a page fetched with one extra row and returns the cursor of the next page.
func cut[T any](rows []T, limit int, id func(T) uuid.UUID) ([]T, *uuid.UUID) {
	if len(rows) <= limit {
		return rows, nil
	}
	rows = rows[:limit]
	last := id(rows[len(rows)-1])
	return rows, &last
}
