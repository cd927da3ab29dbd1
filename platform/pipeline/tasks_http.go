package pipeline

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

var taskTags = []string{"Tasks"}

func (h *HTTP) registerTasks(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "list-tasks", Method: http.MethodGet, Path: "/api/v1/tasks",
		Summary: "Tasks the caller may see, oldest first, one page at a time", Tags: taskTags}, h.listTasks)
	huma.Register(api, huma.Operation{OperationID: "create-task", Method: http.MethodPost, Path: "/api/v1/tasks",
		Summary: "Add a task to an opportunity's current stage", Tags: taskTags, DefaultStatus: http.StatusCreated}, h.createTask)
	huma.Register(api, huma.Operation{OperationID: "reschedule-task", Method: http.MethodPatch, Path: "/api/v1/tasks/{id}",
		Summary: "Move an open task's due time; its overdue reminder follows", Tags: taskTags}, h.rescheduleTask)
	huma.Register(api, huma.Operation{OperationID: "complete-task", Method: http.MethodPost, Path: "/api/v1/tasks/{id}/complete",
		Summary: "Mark a task done; the last required task of a stage runs the stage's tasks_completed rules", Tags: taskTags}, h.completeTask)
	huma.Register(api, huma.Operation{OperationID: "list-reminders", Method: http.MethodGet, Path: "/api/v1/reminders",
		Summary: "The caller's own reminders from the workflow, newest first", Tags: taskTags}, h.listReminders)
	huma.Register(api, huma.Operation{OperationID: "read-reminder", Method: http.MethodPost, Path: "/api/v1/reminders/{id}/read",
		Summary: "Mark one of the caller's reminders read", Tags: taskTags, DefaultStatus: http.StatusNoContent}, h.readReminder)
}

// TaskDTO is a task as the API shows it.
type TaskDTO struct {
	ID            uuid.UUID  `json:"id"`
	OpportunityID uuid.UUID  `json:"opportunity_id"`
	Stage         string     `json:"stage" doc:"the key of the stage it belongs to"`
	Title         string     `json:"title"`
	OwnerID       uuid.UUID  `json:"owner_id"`
	Required      bool       `json:"required"`
	Status        TaskStatus `json:"status" enum:"open,done,cancelled"`
	DueAt         time.Time  `json:"due_at"`
	Overdue       bool       `json:"overdue"`
	DoneAt        *time.Time `json:"done_at"`
	DoneBy        *uuid.UUID `json:"done_by" nullable:"true" doc:"who completed the task; null while it is open"`
	CreatedAt     time.Time  `json:"created_at"`
}

func taskDTO(t Task) TaskDTO {
	return TaskDTO{ID: t.ID, OpportunityID: t.OpportunityID, Stage: t.StageKey, Title: t.Title, OwnerID: t.OwnerID,
		Required: t.Required, Status: t.Status, DueAt: t.DueAt, Overdue: t.Overdue, DoneAt: t.DoneAt, DoneBy: t.DoneBy, CreatedAt: t.CreatedAt}
}

type taskOutput struct{ Body TaskDTO }

// TaskPageDTO is one page of tasks.
type TaskPageDTO struct {
	Tasks      []TaskDTO  `json:"tasks"`
	NextCursor *uuid.UUID `json:"next_cursor"`
}

type listTasksInput struct {
	Status        string `query:"status" enum:"open,done,cancelled"`
	OpportunityID string `query:"opportunity_id" format:"uuid"`
	OwnerID       string `query:"owner_id" format:"uuid"`
	Overdue       bool   `query:"overdue" doc:"only open tasks past their due time"`
	Limit         int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor        string `query:"cursor" format:"uuid"`
}

func (h *HTTP) listTasks(ctx context.Context, in *listTasksInput) (*struct{ Body TaskPageDTO }, error) {
	f := TaskFilter{Status: TaskStatus(in.Status), Limit: in.Limit}
	if in.Overdue {
		f.DueBefore = time.Now()
	}
	var err error
	if f.OpportunityID, err = web.ParseOptionalID(in.OpportunityID, "query.opportunity_id"); err != nil {
		return nil, err
	}
	if f.OwnerID, err = web.ParseOptionalID(in.OwnerID, "query.owner_id"); err != nil {
		return nil, err
	}
	if f.After, err = web.ParseOptionalID(in.Cursor, "query.cursor"); err != nil {
		return nil, err
	}
	page, err := h.svc.ListTasks(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &struct{ Body TaskPageDTO }{Body: TaskPageDTO{Tasks: []TaskDTO{}, NextCursor: page.Next}}
	for _, t := range page.Tasks {
		out.Body.Tasks = append(out.Body.Tasks, taskDTO(t))
	}
	return out, nil
}

// NewTaskDTO adds a task by hand.
type NewTaskDTO struct {
	OpportunityID uuid.UUID  `json:"opportunity_id"`
	Title         string     `json:"title" minLength:"1" maxLength:"200"`
	OwnerID       *uuid.UUID `json:"owner_id,omitempty" doc:"default: the opportunity's owner"`
	DueAt         time.Time  `json:"due_at"`
	Required      bool       `json:"required,omitempty" doc:"the opportunity cannot leave its stage while it is open"`
}

type createTaskInput struct{ Body NewTaskDTO }

func (h *HTTP) createTask(ctx context.Context, in *createTaskInput) (*taskOutput, error) {
	b := in.Body
	t, err := h.svc.CreateTask(ctx, NewTask{OpportunityID: b.OpportunityID, Title: b.Title, OwnerID: b.OwnerID, DueAt: b.DueAt, Required: b.Required})
	if err != nil {
		return nil, err
	}
	return &taskOutput{Body: taskDTO(t)}, nil
}

// RescheduleDTO moves a task's due time.
type RescheduleDTO struct {
	DueAt time.Time `json:"due_at"`
}

type rescheduleInput struct {
	ID   string `path:"id" format:"uuid" doc:"the task's id"`
	Body RescheduleDTO
}

func (h *HTTP) rescheduleTask(ctx context.Context, in *rescheduleInput) (*taskOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	t, err := h.svc.RescheduleTask(ctx, id, in.Body.DueAt)
	if err != nil {
		return nil, err
	}
	return &taskOutput{Body: taskDTO(t)}, nil
}

func (h *HTTP) completeTask(ctx context.Context, in *idPath) (*taskOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	t, err := h.svc.CompleteTask(ctx, id)
	if err != nil {
		return nil, err
	}
	return &taskOutput{Body: taskDTO(t)}, nil
}

// ReminderDTO is a reminder.
type ReminderDTO struct {
	ID            uuid.UUID  `json:"id"`
	Kind          string     `json:"kind" enum:"task_overdue,escalation,opportunity_idle,stage_entered,tasks_completed,replenishment_due"`
	OpportunityID *uuid.UUID `json:"opportunity_id"`
	TaskID        *uuid.UUID `json:"task_id"`
	Message       string     `json:"message"`
	CreatedAt     time.Time  `json:"created_at"`
	ReadAt        *time.Time `json:"read_at"`
}

// ReminderPageDTO is one page of reminders.
type ReminderPageDTO struct {
	Reminders  []ReminderDTO `json:"reminders"`
	NextCursor *uuid.UUID    `json:"next_cursor"`
}

type listRemindersInput struct {
	Unread bool   `query:"unread" doc:"only those not yet read"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor string `query:"cursor" format:"uuid"`
}

func (h *HTTP) listReminders(ctx context.Context, in *listRemindersInput) (*struct{ Body ReminderPageDTO }, error) {
	before, err := web.ParseOptionalID(in.Cursor, "query.cursor")
	if err != nil {
		return nil, err
	}
	rs, next, err := h.svc.ListReminders(ctx, in.Unread, before, in.Limit)
	if err != nil {
		return nil, err
	}
	out := &struct{ Body ReminderPageDTO }{Body: ReminderPageDTO{Reminders: []ReminderDTO{}, NextCursor: next}}
	for _, r := range rs {
		out.Body.Reminders = append(out.Body.Reminders, ReminderDTO{ID: r.ID, Kind: r.Kind, OpportunityID: r.OpportunityID,
			TaskID: r.TaskID, Message: r.Message, CreatedAt: r.CreatedAt, ReadAt: r.ReadAt})
	}
	return out, nil
}

func (h *HTTP) readReminder(ctx context.Context, in *idPath) (*struct{}, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	return nil, h.svc.MarkReminderRead(ctx, id)
}
