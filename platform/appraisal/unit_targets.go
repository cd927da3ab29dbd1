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

// UnitTarget is a unit's own goal for one metric in one period: its dashboard is scored against
// it rather than against its members' targets put together.
type UnitTarget struct {
	Unit   Scope
	Period string // YYYY-MM or YYYY-Qn
	Metric string // a kpi library key scored at the unit's level
	Value  float64
	SetBy  uuid.UUID
	SetAt  time.Time
}

// unitTargetRow is a row of appraisal_team_targets or appraisal_region_targets, less the unit's
// id, whose column differs: read with the table named, written as a teamTargetRow or a
// regionTargetRow (gorm maps no unexported embedded struct, so they spell their fields out).
type unitTargetRow struct {
	TenantID uuid.UUID
	Period   string
	Metric   string
	Value    float64
	SetBy    uuid.UUID
	SetAt    time.Time
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

type regionTargetRow struct {
	TenantID uuid.UUID
	RegionID uuid.UUID
	Period   string
	Metric   string
	Value    float64
	SetBy    uuid.UUID
	SetAt    time.Time
}

func (regionTargetRow) TableName() string { return "appraisal_region_targets" }

// written is r as the row of unit's table.
func (r unitTargetRow) written(unit Scope) any {
	if unit.Kind == ScopeRegion {
		return &regionTargetRow{RegionID: unit.ID, Period: r.Period, Metric: r.Metric, Value: r.Value, SetBy: r.SetBy, SetAt: r.SetAt}
	}
	return &teamTargetRow{TeamID: unit.ID, Period: r.Period, Metric: r.Metric, Value: r.Value, SetBy: r.SetBy, SetAt: r.SetAt}
}

// unitTargetTable is where a unit's own targets are kept, and the column naming the unit.
func unitTargetTable(u Scope) (table, column string) {
	return "appraisal_" + u.Kind + "_targets", u.Kind + "_id"
}

// NewUnitTarget is one unit target to set.
type NewUnitTarget struct {
	Metric string
	Value  float64
}

// SetUnitTargets sets (or replaces) a unit's targets of a period, all or none. Only who may set
// the targets of every rep of the unit may set the unit's: a unit partly out of reach is not
// theirs to set.
func (s *Service) SetUnitTargets(ctx context.Context, unit Scope, period string, in []NewUnitTarget) ([]UnitTarget, error) {
	me, err := identity.SignedIn(ctx, "set "+unit.Kind+" targets")
	if err != nil {
		return nil, err
	}
	p, err := ParsePeriod(period, "body.period")
	if err != nil {
		return nil, err
	}
	level := map[string]kpi.Level{ScopeTeam: kpi.LevelTeam, ScopeRegion: kpi.LevelRegion}[unit.Kind]
	if len(in) == 0 || len(in) > len(kpi.Library()) {
		return nil, fault.Field("body.targets", fmt.Sprintf("must hold 1 to %d targets, one per metric", len(kpi.Library())), len(in))
	}
	for i, t := range in {
		at := fmt.Sprintf("body.targets[%d]", i)
		m, ok := kpi.Lookup(t.Metric)
		if !ok {
			return nil, fault.Field(at+".metric", "is not a metric of the KPI library", t.Metric)
		}
		if !slices.Contains(m.Levels, level) {
			return nil, fault.Field(at+".metric", "is not scored at "+unit.Kind+" level", t.Metric)
		}
		if slices.ContainsFunc(in[:i], func(o NewUnitTarget) bool { return o.Metric == t.Metric }) {
			return nil, fault.Field(at+".metric", "is set twice", t.Metric)
		}
		if t.Value < 0 || math.IsNaN(t.Value) || math.IsInf(t.Value, 0) {
			return nil, fault.Field(at+".value", "must be a number of 0 or more", t.Value)
		}
	}
	if _, err := s.unitReps(ctx, unit, access.Update); fault.Is(err, fault.NotFound) || fault.Is(err, fault.Forbidden) {
		return nil, fault.Reference("body.unit", "is not a "+unit.Kind+" whose every rep's targets you may set", unit)
	} else if err != nil {
		return nil, err
	}
	out := make([]UnitTarget, len(in))
	_, column := unitTargetTable(unit)
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		now := s.now()
		for i, t := range in {
			row := unitTargetRow{Period: p.String(), Metric: t.Metric, Value: t.Value, SetBy: me.UserID, SetAt: now}
			err := db.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "tenant_id"}, {Name: column}, {Name: "period"}, {Name: "metric"}},
				DoUpdates: clause.AssignmentColumns([]string{"value", "set_by", "set_at"}),
			}).Create(row.written(unit)).Error
			if err != nil {
				return err
			}
			out[i] = row.target(unit)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("set %s targets: %w", unit.Kind, err)
	}
	return out, nil
}

func (r unitTargetRow) target(u Scope) UnitTarget {
	return UnitTarget{Unit: u, Period: r.Period, Metric: r.Metric, Value: r.Value, SetBy: r.SetBy, SetAt: r.SetAt.UTC()}
}

// ListUnitTargets returns a unit's own targets of a period, for whoever may read the targets of
// every rep of the unit.
func (s *Service) ListUnitTargets(ctx context.Context, unit Scope, period string) ([]UnitTarget, error) {
	p, err := ParsePeriod(period, "query.period")
	if err != nil {
		return nil, err
	}
	if _, err := s.unitReps(ctx, unit, access.Read); err != nil {
		return nil, err
	}
	var rows []unitTargetRow
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		rows, err = unitTargetRows(db, unit, p.String())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list %s targets: %w", unit.Kind, err)
	}
	out := make([]UnitTarget, len(rows))
	for i, r := range rows {
		out[i] = r.target(unit)
	}
	return out, nil
}

func unitTargetRows(db *gorm.DB, unit Scope, period string) ([]unitTargetRow, error) {
	table, column := unitTargetTable(unit)
	var rows []unitTargetRow
	err := db.Table(table).Where(column+" = ? AND period = ?", unit.ID, period).Order("metric").Find(&rows).Error
	return rows, err
}

// ownUnitTargets are the unit's own targets of the period, by metric.
func ownUnitTargets(db *gorm.DB, unit Scope, period string) (map[string]float64, error) {
	rows, err := unitTargetRows(db, unit, period)
	out := make(map[string]float64, len(rows))
	for _, r := range rows {
		out[r.Metric] = r.Value
	}
	return out, err
}

// unitReps are the reps of a unit whose targets the caller may act on (a, for all of them); a
// unit partly out of reach, or with no rep, is not found. A team's members are checked one by
// one; a region is checked as a whole, by its path: a region the caller's reach covers covers
// every rep in it, those of its subregions too.
func (s *Service) unitReps(ctx context.Context, unit Scope, a access.Action) ([]uuid.UUID, error) {
	if unit.Kind == ScopeRegion {
		return s.regionReps(ctx, unit, a)
	}
	ids, err := s.deps.TeamMembers(ctx, unit.ID)
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

func (s *Service) regionReps(ctx context.Context, unit Scope, a access.Action) ([]uuid.UUID, error) {
	path, err := s.deps.RegionPath(ctx, unit.ID)
	if err != nil {
		return nil, err
	}
	if err := s.warden.CheckRow(ctx, a, access.Resource{Kind: access.KindTarget, RegionPath: path}, "region"); err != nil {
		return nil, err
	}
	all, err := s.deps.Reps(ctx)
	if err != nil {
		return nil, err
	}
	var members []uuid.UUID
	for _, r := range all {
		if unit.covers(r) {
			members = append(members, r.ID)
		}
	}
	if len(members) == 0 {
		return nil, fault.NotFoundf("region")
	}
	return members, nil
}
