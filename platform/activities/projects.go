package activities

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

// ProjectStatus is where a key-account project stands.
type ProjectStatus string

const (
	ProjectActive    ProjectStatus = "active"
	ProjectCompleted ProjectStatus = "completed"
	ProjectCancelled ProjectStatus = "cancelled"
)

// Project is a piece of work with an account (an installation, a tender, a trial), placed like
// its account was when it began.
type Project struct {
	ID, CustomerID, OwnerID, RegionID uuid.UUID
	Name                              string
	Status                            ProjectStatus
	Milestones                        []Milestone // by planned date
	CreatedAt, UpdatedAt              time.Time
}

// Milestone is a step of a project with the day it is planned for and the day it was done, both
// days (YYYY-MM-DD) in the tenant's time zone.
type Milestone struct {
	ID, ProjectID        uuid.UUID
	Name                 string
	PlannedOn            string
	DoneOn               string // "" while not done
	CreatedAt, UpdatedAt time.Time
}

// NewProject is the input of CreateProject.
type NewProject struct {
	CustomerID uuid.UUID
	Name       string
}

// ProjectChanges is the input of UpdateProject; nil fields stay as they are.
type ProjectChanges struct {
	Name   *string
	Status *ProjectStatus
}

// ProjectFilter narrows ListProjects.
type ProjectFilter struct {
	CustomerID *uuid.UUID
	Status     ProjectStatus
	Limit      int
	After      *uuid.UUID
}

// ProjectPage is one page of projects ordered by id; Next is nil on the last page.
type ProjectPage struct {
	Projects []Project
	Next     *uuid.UUID
}

type projectRow struct {
	TenantID, ID, CustomerID, OwnerID, RegionID uuid.UUID
	Name, Status                                string
	CreatedAt, UpdatedAt                        time.Time
}

func (projectRow) TableName() string { return "projects" }

var projectColumns = access.Columns{Owner: "projects.owner_id", RegionID: "projects.region_id"}

func toProject(r projectRow) Project {
	return Project{ID: r.ID, CustomerID: r.CustomerID, OwnerID: r.OwnerID, RegionID: r.RegionID, Name: r.Name,
		Status: ProjectStatus(r.Status), Milestones: []Milestone{}, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func validStatus(st ProjectStatus, location string) error {
	if st != ProjectActive && st != ProjectCompleted && st != ProjectCancelled {
		return fault.Field(location, `must be "active", "completed" or "cancelled"`, string(st))
	}
	return nil
}

// CreateProject starts a project with an account the caller may see.
func (s *Service) CreateProject(ctx context.Context, in NewProject) (Project, error) {
	name, err := text(in.Name, "body.name", MaxNameLen, true)
	if err != nil {
		return Project{}, err
	}
	pr := Project{ID: identity.NewID(), CustomerID: in.CustomerID, Name: name, Status: ProjectActive, Milestones: []Milestone{}}
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		acc, err := s.account(ctx, db, in.CustomerID, "body.customer_id")
		if err != nil {
			return err
		}
		if err := s.warden.Check(ctx, access.Create, acc.resource(access.KindProject, uuid.Nil, acc.OwnerID)); err != nil {
			return err
		}
		pr.OwnerID, pr.RegionID = acc.OwnerID, acc.RegionID
		pr.CreatedAt = s.now()
		pr.UpdatedAt = pr.CreatedAt
		return db.Create(&projectRow{ID: pr.ID, CustomerID: pr.CustomerID, OwnerID: pr.OwnerID, RegionID: pr.RegionID,
			Name: pr.Name, Status: string(pr.Status), CreatedAt: pr.CreatedAt, UpdatedAt: pr.UpdatedAt}).Error
	})
	if err != nil {
		return Project{}, fmt.Errorf("create project: %w", err)
	}
	return pr, nil
}

// GetProject returns a project with its milestones.
func (s *Service) GetProject(ctx context.Context, id uuid.UUID) (Project, error) {
	var pr Project
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var err error
		pr, err = s.loadProject(ctx, db, id, access.Read)
		return err
	})
	if err != nil {
		return Project{}, fmt.Errorf("get project %s: %w", id, err)
	}
	return pr, nil
}

// UpdateProject renames a project or changes its status.
func (s *Service) UpdateProject(ctx context.Context, id uuid.UUID, ch ProjectChanges) (Project, error) {
	var pr Project
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var err error
		if pr, err = s.loadProject(ctx, db, id, access.Update); err != nil {
			return err
		}
		if ch.Name != nil {
			if pr.Name, err = text(*ch.Name, "body.name", MaxNameLen, true); err != nil {
				return err
			}
		}
		if ch.Status != nil {
			if err := validStatus(*ch.Status, "body.status"); err != nil {
				return err
			}
			pr.Status = *ch.Status
		}
		pr.UpdatedAt = s.now()
		return db.Model(&projectRow{}).Where("id = ?", id).
			Updates(map[string]any{"name": pr.Name, "status": string(pr.Status), "updated_at": pr.UpdatedAt}).Error
	})
	if err != nil {
		return Project{}, fmt.Errorf("update project %s: %w", id, err)
	}
	return pr, nil
}

// ListProjects returns the projects the caller may list, oldest first, with their milestones.
func (s *Service) ListProjects(ctx context.Context, f ProjectFilter) (ProjectPage, error) {
	if f.Limit <= 0 {
		f.Limit = DefaultPageSize
	}
	f.Limit = min(f.Limit, MaxPageSize)
	if f.Status != "" {
		if err := validStatus(f.Status, "query.status"); err != nil {
			return ProjectPage{}, err
		}
	}
	var page ProjectPage
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, access.KindProject, projectColumns)
		if err != nil {
			return err
		}
		q := db.Model(&projectRow{}).Scopes(scope)
		if f.CustomerID != nil {
			q = q.Where("projects.customer_id = ?", *f.CustomerID)
		}
		if f.Status != "" {
			q = q.Where("projects.status = ?", string(f.Status))
		}
		if f.After != nil {
			q = q.Where("projects.id > ?", *f.After)
		}
		var rows []projectRow
		if err := q.Order("projects.id").Limit(f.Limit + 1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) > f.Limit {
			rows = rows[:f.Limit]
			page.Next = &rows[len(rows)-1].ID
		}
		page.Projects = make([]Project, len(rows))
		for i, r := range rows {
			page.Projects[i] = toProject(r)
		}
		return loadMilestones(db, page.Projects)
	})
	if err != nil {
		return ProjectPage{}, fmt.Errorf("list projects: %w", err)
	}
	return page, nil
}

func (s *Service) loadProject(ctx context.Context, db *gorm.DB, id uuid.UUID, a access.Action) (Project, error) {
	var r projectRow
	err := db.Where("id = ?", id).Take(&r).Error
	if store.IsNotFound(err) {
		return Project{}, fault.NotFoundf("project")
	}
	if err != nil {
		return Project{}, fmt.Errorf("load project: %w", err)
	}
	if err := s.checkRow(ctx, db, a, access.KindProject, r.ID, r.OwnerID, r.RegionID, "project"); err != nil {
		return Project{}, err
	}
	ps := []Project{toProject(r)}
	return ps[0], loadMilestones(db, ps)
}
