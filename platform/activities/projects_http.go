package activities

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

var projectTags = []string{"Projects"}

func (h *HTTP) registerProjects(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "create-project", Method: http.MethodPost, Path: "/api/v1/projects",
		Summary: "Start a project with an account", Tags: projectTags, DefaultStatus: http.StatusCreated}, h.createProject)
	huma.Register(api, huma.Operation{OperationID: "list-projects", Method: http.MethodGet, Path: "/api/v1/projects",
		Summary: "Projects the caller may see with their milestones, oldest first", Tags: projectTags}, h.listProjects)
	huma.Register(api, huma.Operation{OperationID: "get-project", Method: http.MethodGet, Path: "/api/v1/projects/{id}",
		Summary: "One project with its milestones", Tags: projectTags}, h.getProject)
	huma.Register(api, huma.Operation{OperationID: "update-project", Method: http.MethodPatch, Path: "/api/v1/projects/{id}",
		Summary: "Rename a project or change its status", Tags: projectTags}, h.updateProject)
	huma.Register(api, huma.Operation{OperationID: "list-milestones", Method: http.MethodGet, Path: "/api/v1/projects/{id}/milestones",
		Summary: "A project's milestones by planned day", Tags: projectTags}, h.milestones)
	huma.Register(api, huma.Operation{OperationID: "add-milestone", Method: http.MethodPost, Path: "/api/v1/projects/{id}/milestones",
		Summary: "Add a milestone to a project", Tags: projectTags, DefaultStatus: http.StatusCreated}, h.addMilestone)
	huma.Register(api, huma.Operation{OperationID: "update-milestone", Method: http.MethodPatch, Path: "/api/v1/projects/{id}/milestones/{milestone_id}",
		Summary:     "Rename, re-plan or mark done a milestone",
		Description: "The planned day moves only while it is ahead and the milestone not done: a missed date stays missed.",
		Tags:        projectTags}, h.updateMilestone)
}

// MilestoneDTO is a project milestone; days are YYYY-MM-DD in the tenant's time zone.
type MilestoneDTO struct {
	ID        uuid.UUID `json:"id"`
	ProjectID uuid.UUID `json:"project_id"`
	Name      string    `json:"name"`
	PlannedOn string    `json:"planned_on"`
	DoneOn    *string   `json:"done_on" doc:"null while not done"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func milestoneDTO(m Milestone) MilestoneDTO {
	return MilestoneDTO{ID: m.ID, ProjectID: m.ProjectID, Name: m.Name, PlannedOn: m.PlannedOn, DoneOn: optional(m.DoneOn),
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

// ProjectDTO is a project with its milestones.
type ProjectDTO struct {
	ID         uuid.UUID      `json:"id"`
	CustomerID uuid.UUID      `json:"customer_id"`
	OwnerID    uuid.UUID      `json:"owner_id"`
	RegionID   uuid.UUID      `json:"region_id"`
	Name       string         `json:"name"`
	Status     string         `json:"status" enum:"active,completed,cancelled"`
	Milestones []MilestoneDTO `json:"milestones"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
}

func projectDTO(p Project) ProjectDTO {
	out := ProjectDTO{ID: p.ID, CustomerID: p.CustomerID, OwnerID: p.OwnerID, RegionID: p.RegionID, Name: p.Name,
		Status: string(p.Status), Milestones: make([]MilestoneDTO, len(p.Milestones)), CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	for i, m := range p.Milestones {
		out.Milestones[i] = milestoneDTO(m)
	}
	return out
}

type projectOutput struct{ Body ProjectDTO }

// NewProjectDTO is the body that starts a project.
type NewProjectDTO struct {
	CustomerID string `json:"customer_id" format:"uuid"`
	Name       string `json:"name" maxLength:"200"`
}

type createProjectInput struct{ Body NewProjectDTO }

func (h *HTTP) createProject(ctx context.Context, in *createProjectInput) (*projectOutput, error) {
	customer, err := web.ParseID(in.Body.CustomerID, "body.customer_id")
	if err != nil {
		return nil, err
	}
	p, err := h.svc.CreateProject(ctx, NewProject{CustomerID: customer, Name: in.Body.Name})
	if err != nil {
		return nil, err
	}
	return &projectOutput{Body: projectDTO(p)}, nil
}

// ProjectPageDTO is one page of projects.
type ProjectPageDTO struct {
	Projects   []ProjectDTO `json:"projects"`
	NextCursor *uuid.UUID   `json:"next_cursor" doc:"pass as cursor for the next page; null on the last page"`
}

type projectPageOutput struct{ Body ProjectPageDTO }

type listProjectsInput struct {
	CustomerID string `query:"customer_id" format:"uuid"`
	Status     string `query:"status" enum:"active,completed,cancelled"`
	Limit      int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor     string `query:"cursor" format:"uuid" doc:"next_cursor of the previous page"`
}

func (h *HTTP) listProjects(ctx context.Context, in *listProjectsInput) (*projectPageOutput, error) {
	f := ProjectFilter{Status: ProjectStatus(in.Status), Limit: in.Limit}
	var err error
	if f.CustomerID, err = web.ParseOptionalID(in.CustomerID, "query.customer_id"); err != nil {
		return nil, err
	}
	if f.After, err = web.ParseOptionalID(in.Cursor, "query.cursor"); err != nil {
		return nil, err
	}
	page, err := h.svc.ListProjects(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &projectPageOutput{Body: ProjectPageDTO{Projects: make([]ProjectDTO, len(page.Projects)), NextCursor: page.Next}}
	for i, p := range page.Projects {
		out.Body.Projects[i] = projectDTO(p)
	}
	return out, nil
}

type projectPath struct {
	ID string `path:"id" format:"uuid" doc:"the project's id"`
}

func (h *HTTP) getProject(ctx context.Context, in *projectPath) (*projectOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	p, err := h.svc.GetProject(ctx, id)
	if err != nil {
		return nil, err
	}
	return &projectOutput{Body: projectDTO(p)}, nil
}

// ProjectChangesDTO changes a project; absent fields stay as they are.
type ProjectChangesDTO struct {
	Name   *string `json:"name,omitempty" maxLength:"200"`
	Status *string `json:"status,omitempty" enum:"active,completed,cancelled"`
}

type updateProjectInput struct {
	ID   string `path:"id" format:"uuid" doc:"the project's id"`
	Body ProjectChangesDTO
}

func (h *HTTP) updateProject(ctx context.Context, in *updateProjectInput) (*projectOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	ch := ProjectChanges{Name: in.Body.Name}
	if in.Body.Status != nil {
		st := ProjectStatus(*in.Body.Status)
		ch.Status = &st
	}
	p, err := h.svc.UpdateProject(ctx, id, ch)
	if err != nil {
		return nil, err
	}
	return &projectOutput{Body: projectDTO(p)}, nil
}

// MilestonesDTO lists a project's milestones.
type MilestonesDTO struct {
	Milestones []MilestoneDTO `json:"milestones"`
}

type milestonesOutput struct{ Body MilestonesDTO }

func (h *HTTP) milestones(ctx context.Context, in *projectPath) (*milestonesOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	ms, err := h.svc.Milestones(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &milestonesOutput{Body: MilestonesDTO{Milestones: make([]MilestoneDTO, len(ms))}}
	for i, m := range ms {
		out.Body.Milestones[i] = milestoneDTO(m)
	}
	return out, nil
}

// NewMilestoneDTO is the body that adds a milestone.
type NewMilestoneDTO struct {
	Name      string `json:"name" maxLength:"200"`
	PlannedOn string `json:"planned_on" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"YYYY-MM-DD, tenant's time zone"`
	DoneOn    string `json:"done_on,omitempty" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"YYYY-MM-DD, when already done"`
}

type addMilestoneInput struct {
	ID   string `path:"id" format:"uuid" doc:"the project's id"`
	Body NewMilestoneDTO
}

type milestoneOutput struct{ Body MilestoneDTO }

func (h *HTTP) addMilestone(ctx context.Context, in *addMilestoneInput) (*milestoneOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	m, err := h.svc.AddMilestone(ctx, id, NewMilestone{Name: in.Body.Name, PlannedOn: in.Body.PlannedOn, DoneOn: in.Body.DoneOn})
	if err != nil {
		return nil, err
	}
	return &milestoneOutput{Body: milestoneDTO(m)}, nil
}

// MilestoneChangesDTO changes a milestone; done_on "" marks it not done again.
type MilestoneChangesDTO struct {
	Name      *string `json:"name,omitempty" maxLength:"200"`
	PlannedOn *string `json:"planned_on,omitempty" pattern:"^\\d{4}-\\d{2}-\\d{2}$"`
	DoneOn    *string `json:"done_on,omitempty" pattern:"^(\\d{4}-\\d{2}-\\d{2})?$" doc:"YYYY-MM-DD, or empty for not done"`
}

type updateMilestoneInput struct {
	ID          string `path:"id" format:"uuid" doc:"the project's id"`
	MilestoneID string `path:"milestone_id" format:"uuid"`
	Body        MilestoneChangesDTO
}

func (h *HTTP) updateMilestone(ctx context.Context, in *updateMilestoneInput) (*milestoneOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	mid, err := web.ParseID(in.MilestoneID, "path.milestone_id")
	if err != nil {
		return nil, err
	}
	m, err := h.svc.UpdateMilestone(ctx, id, mid, MilestoneChanges{Name: in.Body.Name, PlannedOn: in.Body.PlannedOn, DoneOn: in.Body.DoneOn})
	if err != nil {
		return nil, err
	}
	return &milestoneOutput{Body: milestoneDTO(m)}, nil
}
