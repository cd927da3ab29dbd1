package org

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

var teamColumns = access.Columns{RegionID: "teams.region_id"}

// ListTeams returns the teams the caller may list, by name, with their member ids.
func (s *Service) ListTeams(ctx context.Context) ([]Team, error) {
	var out []Team
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, access.KindTeam, teamColumns)
		if err != nil {
			return err
		}
		var rows []teamRow
		if err := db.Model(&teamRow{}).Scopes(scope).Order("teams.name").Find(&rows).Error; err != nil {
			return err
		}
		out, err = withMembers(db, rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	return out, nil
}

// GetTeam returns one team the caller may read.
func (s *Service) GetTeam(ctx context.Context, id uuid.UUID) (Team, error) {
	var out Team
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		t, err := s.loadTeam(ctx, db, id, access.Read)
		if err != nil {
			return err
		}
		out, err = teamWithMembers(db, t)
		return err
	})
	if err != nil {
		return Team{}, fmt.Errorf("get team: %w", err)
	}
	return out, nil
}

// CreateTeam adds a team to a region.
func (s *Service) CreateTeam(ctx context.Context, in NewTeam) (Team, error) {
	name, err := validName(in.Name, "body.name")
	if err != nil {
		return Team{}, err
	}
	var out Team
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		region, err := s.referencedRegion(ctx, db, in.RegionID, "body.region_id")
		if err != nil {
			return err
		}
		if err := s.warden.Check(ctx, access.Create, access.Resource{Kind: access.KindTeam, RegionPath: region.Path}); err != nil {
			return err
		}
		if in.LeadID != nil {
			if _, err := s.activeUser(ctx, db, *in.LeadID, "body.lead_id"); err != nil {
				return err
			}
		}
		t := now()
		row := teamRow{ID: identity.NewID(), Name: name, RegionID: region.ID, LeadID: in.LeadID, CreatedAt: t, UpdatedAt: t}
		if err := db.Create(&row).Error; err != nil {
			if store.IsUniqueViolation(err) {
				return teamNameTaken(name)
			}
			return err
		}
		out = toTeam(row, nil)
		return nil
	})
	if err != nil {
		return Team{}, fmt.Errorf("create team: %w", err)
	}
	return out, nil
}

// UpdateTeam renames a team, moves it to another region or changes its lead.
func (s *Service) UpdateTeam(ctx context.Context, id uuid.UUID, ch TeamChanges) (Team, error) {
	if ch.Name != nil {
		n, err := validName(*ch.Name, "body.name")
		if err != nil {
			return Team{}, err
		}
		ch.Name = &n
	}
	var out Team
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		cur, err := s.loadTeam(ctx, db, id, access.Update)
		if err != nil {
			return err
		}
		set := map[string]any{}
		if ch.Name != nil && *ch.Name != cur.Name {
			set["name"] = *ch.Name
		}
		if ch.RegionID != nil && *ch.RegionID != cur.RegionID {
			region, err := s.referencedRegion(ctx, db, *ch.RegionID, "body.region_id")
			if err != nil {
				return err
			}
			if err := s.warden.Check(ctx, access.Update, teamResource(cur, region.Path)); err != nil {
				return err
			}
			set["region_id"] = region.ID
		}
		if ch.SetLead && !sameID(ch.LeadID, cur.LeadID) {
			if ch.LeadID != nil {
				if _, err := s.activeUser(ctx, db, *ch.LeadID, "body.lead_id"); err != nil {
					return err
				}
			}
			set["lead_id"] = ch.LeadID
		}
		if len(set) > 0 {
			set["updated_at"] = now()
			if err := db.Model(&teamRow{}).Where("id = ?", id).Updates(set).Error; err != nil {
				if store.IsUniqueViolation(err) {
					return teamNameTaken(*ch.Name) // only a new name can clash
				}
				return fmt.Errorf("write team: %w", err)
			}
		}
		t, err := findTeam(db, id)
		if err != nil {
			return err
		}
		out, err = teamWithMembers(db, t)
		return err
	})
	if err != nil {
		return Team{}, fmt.Errorf("update team: %w", err)
	}
	return out, nil
}

// DeleteTeam removes a team and its memberships; the users stay.
func (s *Service) DeleteTeam(ctx context.Context, id uuid.UUID) error {
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if _, err := s.loadTeam(ctx, db, id, access.Delete); err != nil {
			return err
		}
		if err := db.Where("team_id = ?", id).Delete(&teamMemberRow{}).Error; err != nil {
			return err
		}
		return db.Where("id = ?", id).Delete(&teamRow{}).Error
	})
	if err != nil {
		return fmt.Errorf("delete team: %w", err)
	}
	return nil
}

// AddTeamMember puts an active user into a team; adding a member twice changes nothing.
func (s *Service) AddTeamMember(ctx context.Context, teamID, userID uuid.UUID) (Team, error) {
	var out Team
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		t, err := s.loadTeam(ctx, db, teamID, access.Update)
		if err != nil {
			return err
		}
		u, err := s.loadUser(ctx, db, userID, access.Read)
		if err != nil {
			return err
		}
		if u.Status != StatusActive {
			return fault.New(fault.Conflict, "user_disabled", u.Name+" is disabled and cannot join a team")
		}
		var n int64
		if err := db.Model(&teamMemberRow{}).Where("team_id = ? AND user_id = ?", teamID, userID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			if err := db.Create(&teamMemberRow{TeamID: teamID, UserID: userID}).Error; err != nil {
				return fmt.Errorf("add member: %w", err)
			}
		}
		out, err = teamWithMembers(db, t)
		return err
	})
	if err != nil {
		return Team{}, fmt.Errorf("add team member: %w", err)
	}
	return out, nil
}

// RemoveTeamMember takes a user out of a team; removing a non-member changes nothing.
func (s *Service) RemoveTeamMember(ctx context.Context, teamID, userID uuid.UUID) error {
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if _, err := s.loadTeam(ctx, db, teamID, access.Update); err != nil {
			return err
		}
		if _, err := s.loadUser(ctx, db, userID, access.Read); err != nil {
			return err
		}
		return db.Where("team_id = ? AND user_id = ?", teamID, userID).Delete(&teamMemberRow{}).Error
	})
	if err != nil {
		return fmt.Errorf("remove team member: %w", err)
	}
	return nil
}

// teamsOf returns the teams user belongs to, as far as the caller may list teams.
func (s *Service) teamsOf(ctx context.Context, db *gorm.DB, userID uuid.UUID) ([]Team, error) {
	scope, err := s.warden.Scope(ctx, access.List, access.KindTeam, teamColumns)
	if fault.Is(err, fault.Forbidden) {
		return []Team{}, nil
	}
	if err != nil {
		return nil, err
	}
	var rows []teamRow
	err = db.Model(&teamRow{}).Scopes(scope).
		Where("EXISTS (SELECT 1 FROM team_members tm WHERE tm.tenant_id = teams.tenant_id AND tm.team_id = teams.id AND tm.user_id = ?)", userID).
		Order("teams.name").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load teams: %w", err)
	}
	return withMembers(db, rows)
}

func (s *Service) loadTeam(ctx context.Context, db *gorm.DB, id uuid.UUID, a access.Action) (teamRow, error) {
	t, err := findTeam(db, id)
	if store.IsNotFound(err) {
		return teamRow{}, fault.NotFoundf("team")
	}
	if err != nil {
		return teamRow{}, fmt.Errorf("load team: %w", err)
	}
	r, err := findRegion(db, t.RegionID)
	if err != nil {
		return teamRow{}, fmt.Errorf("load team region: %w", err)
	}
	if err := s.warden.CheckRow(ctx, a, teamResource(t, r.Path), "team"); err != nil {
		return teamRow{}, err
	}
	return t, nil
}

// activeUser loads a user named in a body (a team lead) who must be active.
func (s *Service) activeUser(ctx context.Context, db *gorm.DB, id uuid.UUID, location string) (User, error) {
	u, err := s.referencedUser(ctx, db, id, location)
	if err != nil {
		return User{}, err
	}
	if u.Status != StatusActive {
		return User{}, fault.New(fault.Invalid, "user_disabled", u.Name+" is disabled",
			fault.Detail{Location: location, Message: "is disabled", Value: id.String()})
	}
	return u, nil
}

func withMembers(db *gorm.DB, rows []teamRow) ([]Team, error) {
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	members, err := teamMembers(db, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Team, len(rows))
	for i, r := range rows {
		out[i] = toTeam(r, members[r.ID])
	}
	return out, nil
}

func teamWithMembers(db *gorm.DB, t teamRow) (Team, error) {
	ts, err := withMembers(db, []teamRow{t})
	if err != nil {
		return Team{}, err
	}
	return ts[0], nil
}

func teamNameTaken(name string) error {
	return fault.New(fault.Conflict, "team_name_taken", "a team named "+name+" already exists",
		fault.Detail{Location: "body.name", Message: "is taken", Value: name})
}
