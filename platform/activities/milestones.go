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

// NewMilestone is the input of AddMilestone; DoneOn is "" for a milestone not done yet.
type NewMilestone struct {
	Name, PlannedOn, DoneOn string
}

// MilestoneChanges is the input of UpdateMilestone; nil fields stay as they are, and a DoneOn
// of "" marks the milestone not done again.
type MilestoneChanges struct {
	Name, PlannedOn, DoneOn *string
}

type milestoneRow struct {
	TenantID, ID, ProjectID uuid.UUID
	Name, PlannedOn         string
	DoneOn                  *string
	CreatedAt, UpdatedAt    time.Time
}

func (milestoneRow) TableName() string { return "project_milestones" }

func toMilestone(r milestoneRow) Milestone {
	return Milestone{ID: r.ID, ProjectID: r.ProjectID, Name: r.Name, PlannedOn: r.PlannedOn, DoneOn: deref[string](r.DoneOn),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// AddMilestone adds a milestone to a project the caller may update.
func (s *Service) AddMilestone(ctx context.Context, project uuid.UUID, in NewMilestone) (Milestone, error) {
	m := Milestone{ID: identity.NewID(), ProjectID: project}
	today, err := s.today(ctx)
	if err != nil {
		return Milestone{}, err
	}
	if err := m.apply(MilestoneChanges{Name: &in.Name, PlannedOn: &in.PlannedOn, DoneOn: &in.DoneOn}, today, true); err != nil {
		return Milestone{}, err
	}
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if _, err := s.loadProject(ctx, db, project, access.Update); err != nil {
			return err
		}
		m.CreatedAt = s.now()
		m.UpdatedAt = m.CreatedAt
		return db.Create(&milestoneRow{ID: m.ID, ProjectID: project, Name: m.Name, PlannedOn: m.PlannedOn,
			DoneOn: optional(m.DoneOn), CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}).Error
	})
	if err != nil {
		return Milestone{}, fmt.Errorf("add milestone to project %s: %w", project, err)
	}
	return m, nil
}

// UpdateMilestone renames, re-plans or marks done a milestone of a project the caller may update.
func (s *Service) UpdateMilestone(ctx context.Context, project, id uuid.UUID, ch MilestoneChanges) (Milestone, error) {
	today, err := s.today(ctx)
	if err != nil {
		return Milestone{}, err
	}
	var m Milestone
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if _, err := s.loadProject(ctx, db, project, access.Update); err != nil {
			return err
		}
		var r milestoneRow
		err := db.Where("id = ? AND project_id = ?", id, project).Take(&r).Error
		if store.IsNotFound(err) {
			return fault.NotFoundf("milestone")
		}
		if err != nil {
			return err
		}
		m = toMilestone(r)
		if err := m.apply(ch, today, false); err != nil {
			return err
		}
		m.UpdatedAt = s.now()
		return db.Model(&milestoneRow{}).Where("id = ?", id).Updates(map[string]any{"name": m.Name, "planned_on": m.PlannedOn,
			"done_on": optional(m.DoneOn), "updated_at": m.UpdatedAt}).Error
	})
	if err != nil {
		return Milestone{}, fmt.Errorf("update milestone %s: %w", id, err)
	}
	return m, nil
}

// apply validates ch against today (the tenant's day). A milestone is done on a day that has
// come; and its planned day is moved only while that day is still ahead and the milestone not
// done, so that a missed date stays missed in the on-time rate.
func (m *Milestone) apply(ch MilestoneChanges, today string, creating bool) error {
	var err error
	if ch.Name != nil {
		if m.Name, err = text(*ch.Name, "body.name", MaxNameLen, true); err != nil {
			return err
		}
	}
	if ch.PlannedOn != nil && *ch.PlannedOn != m.PlannedOn {
		if !creating && (m.DoneOn != "" || m.PlannedOn <= today) {
			return fault.Newf(fault.Conflict, "milestone_date_passed",
				"the milestone was planned for %s, which has come (or it is done): a missed date stays on the record; add a new milestone instead", m.PlannedOn)
		}
		if err := validDay(*ch.PlannedOn, "body.planned_on"); err != nil {
			return err
		}
		m.PlannedOn = *ch.PlannedOn
	}
	if ch.DoneOn != nil {
		if *ch.DoneOn != "" {
			if err := validDay(*ch.DoneOn, "body.done_on"); err != nil {
				return err
			}
			if *ch.DoneOn > today {
				return fault.Field("body.done_on", "is in the future: mark a milestone done once it is", *ch.DoneOn)
			}
		}
		m.DoneOn = *ch.DoneOn
	}
	return nil
}

func validDay(d, location string) error {
	if _, err := time.Parse(time.DateOnly, d); err != nil {
		return fault.Field(location, "is not a date (YYYY-MM-DD)", d)
	}
	return nil
}

// today is the tenant's current day, YYYY-MM-DD.
func (s *Service) today(ctx context.Context) (string, error) {
	loc, err := s.timeZone(ctx)
	if err != nil {
		return "", err
	}
	return s.opts.Now().In(loc).Format(time.DateOnly), nil
}

// Milestones returns a project's milestones by planned date.
func (s *Service) Milestones(ctx context.Context, project uuid.UUID) ([]Milestone, error) {
	pr, err := s.GetProject(ctx, project)
	return pr.Milestones, err
}

func loadMilestones(db *gorm.DB, ps []Project) error {
	if len(ps) == 0 {
		return nil
	}
	at := map[uuid.UUID]int{}
	ids := make([]uuid.UUID, len(ps))
	for i, p := range ps {
		ids[i], at[p.ID] = p.ID, i
	}
	var rows []milestoneRow
	if err := db.Where("project_id IN ?", ids).Order("planned_on, id").Find(&rows).Error; err != nil {
		return fmt.Errorf("load milestones: %w", err)
	}
	for _, r := range rows {
		ps[at[r.ProjectID]].Milestones = append(ps[at[r.ProjectID]].Milestones, toMilestone(r))
	}
	return nil
}

// Punctuality counts milestones for the on-time rate over a period of days [From, To):
//
//   - a milestone is due in the period when its planned day lies in [From, To) and either that
//     day is before today (it has fully passed) or the milestone is done; a milestone planned for
//     today or later and not yet done is not judged yet, so a running period is fair;
//   - it is on time when it was done on or before its planned day.
//
// Rate is OnTime / Due, and 1 when nothing was due.
type Punctuality struct {
	Due, OnTime int
	Rate        float64
}

// punctuality applies the rule to milestones.
func punctuality(ms []Milestone, from, to, today string) Punctuality {
	var p Punctuality
	for _, m := range ms {
		due, onTime := judge(m, from, to, today)
		if due {
			p.Due++
		}
		if onTime {
			p.OnTime++
		}
	}
	p.Rate = ratio(p.OnTime, p.Due)
	return p
}

// judge says whether m is due in [from, to) as of today, and whether it was on time (only ever
// when due); days are YYYY-MM-DD, which sort as dates.
func judge(m Milestone, from, to, today string) (due, onTime bool) {
	if m.PlannedOn < from || m.PlannedOn >= to || (m.DoneOn == "" && m.PlannedOn >= today) {
		return false, false
	}
	return true, m.DoneOn != "" && m.DoneOn <= m.PlannedOn
}
