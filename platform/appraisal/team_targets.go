package appraisal

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
)

// TeamTarget is a team's own goal for one metric in one month: its dashboard is scored against
// it rather than against its members' targets put together.
type TeamTarget struct {
	TeamID uuid.UUID
	Period string // YYYY-MM
	Metric string // a kpi library key scored at team level
	Value  float64
	SetBy  uuid.UUID
	SetAt  time.Time
}

type teamTargetRow struct {
	TenantID uuid.UUID
	TeamID   uuid.UUID
	Period   string
	Metric   string
	Value    float64
	SetBy    uuid.UUID
	SetAt    time.Time
}

func (teamTargetRow) TableName() string { return "appraisal_team_targets" }

// NewTeamTarget is one team target to set.
type NewTeamTarget struct {
	Metric string
	Value  float64
}

// SetTeamTargets sets (or replaces) a team's targets of a month, all or none. Only who may set
// the targets of every rep of the team may set the team's: a team partly out of reach is not
// theirs to set.
func (s *Service) SetTeamTargets(ctx context.Context, team uuid.UUID, month string, in []NewTeamTarget) ([]TeamTarget, error) {
	me, err := identity.SignedIn(ctx, "set team targets")
	if err != nil {
		return nil, err
	}
	if !period.MatchString(month) {
		return nil, fault.Field("body.period", "is not a month written YYYY-MM", month)
	}
	if len(in) == 0 || len(in) > len(kpi.Library()) {
		return nil, fault.Field("body.targets", fmt.Sprintf("must hold 1 to %d targets, one per metric", len(kpi.Library())), len(in))
	}
	for i, t := range in {
		at := fmt.Sprintf("body.targets[%d]", i)
		m, ok := kpi.Lookup(t.Metric)
		if !ok {
			return nil, fault.Field(at+".metric", "is not a metric of the KPI library", t.Metric)
		}
		if !slices.Contains(m.Levels, kpi.LevelTeam) {
			return nil, fault.Field(at+".metric", "is not scored at team level", t.Metric)
		}
		if slices.ContainsFunc(in[:i], func(o NewTeamTarget) bool { return o.Metric == t.Metric }) {
			return nil, fault.Field(at+".metric", "is set twice", t.Metric)
		}
		if t.Value < 0 || math.IsNaN(t.Value) || math.IsInf(t.Value, 0) {
			return nil, fault.Field(at+".value", "must be a number of 0 or more", t.Value)
		}
	}
	if _, err := s.teamReps(ctx, team, access.Update); fault.Is(err, fault.NotFound) || fault.Is(err, fault.Forbidden) {
		return nil, fault.Reference("body.team_id", "is not a team whose every rep's targets you may set", team)
	} else if err != nil {
		return nil, err
	}
	out := make([]TeamTarget, len(in))
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		now := s.now()
		for i, t := range in {
			row := teamTargetRow{TeamID: team, Period: month, Metric: t.Metric, Value: t.Value, SetBy: me.UserID, SetAt: now}
			err := db.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "tenant_id"}, {Name: "team_id"}, {Name: "period"}, {Name: "metric"}},
				DoUpdates: clause.AssignmentColumns([]string{"value", "set_by", "set_at"}),
			}).Create(&row).Error
			if err != nil {
				return err
			}
			out[i] = row.target()
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("set team targets: %w", err)
	}
	return out, nil
}

func (r teamTargetRow) target() TeamTarget {
	return TeamTarget{TeamID: r.TeamID, Period: r.Period, Metric: r.Metric, Value: r.Value, SetBy: r.SetBy, SetAt: r.SetAt.UTC()}
}

// ListTeamTargets returns a team's own targets of a month, for whoever may read the targets of
// every rep of the team.
func (s *Service) ListTeamTargets(ctx context.Context, team uuid.UUID, month string) ([]TeamTarget, error) {
	if !period.MatchString(month) {
		return nil, fault.Field("query.period", "is not a month written YYYY-MM", month)
	}
	if _, err := s.teamReps(ctx, team, access.Read); err != nil {
		return nil, err
	}
	var rows []teamTargetRow
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		return db.Where("team_id = ? AND period = ?", team, month).Order("metric").Find(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("list team targets: %w", err)
	}
	out := make([]TeamTarget, len(rows))
	for i, r := range rows {
		out[i] = r.target()
	}
	return out, nil
}

// teamReps are the reps of a team whose targets the caller may act on (a for all of them);
// a team partly out of reach, or with no rep, is not found.
func (s *Service) teamReps(ctx context.Context, team uuid.UUID, a access.Action) ([]uuid.UUID, error) {
	ids, err := s.deps.TeamMembers(ctx, team)
	if err != nil {
		return nil, err
	}
	var members []uuid.UUID
	for _, id := range ids {
		rep, err := s.deps.Rep(ctx, id)
		if fault.Is(err, fault.NotFound) || (err == nil && !rep.IsRep) {
			continue // a member who left, or a manager of the team: not scored with it
		}
		if err != nil {
			return nil, err
		}
		res := access.Resource{Kind: access.KindTarget, OwnerID: rep.ID, RegionPath: rep.RegionPath}
		if err := s.warden.CheckRow(ctx, a, res, "team"); err != nil {
			return nil, err
		}
		members = append(members, rep.ID)
	}
	if len(members) == 0 {
		return nil, fault.NotFoundf("team")
	}
	return members, nil
}

// ownTeamTargets are the team's own targets of the month, by metric.
func ownTeamTargets(db *gorm.DB, team uuid.UUID, month string) (map[string]float64, error) {
	var rows []teamTargetRow
	if err := db.Where("team_id = ? AND period = ?", team, month).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]float64, len(rows))
	for _, r := range rows {
		out[r.Metric] = r.Value
	}
	return out, nil
}
