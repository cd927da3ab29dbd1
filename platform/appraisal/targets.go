package appraisal

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
)

// MaxTargets bounds one request's targets: a manager sets a month for a team at once.
const MaxTargets = 2000

// Target is a rep's goal for one metric in one month or quarter.
type Target struct {
	RepID  uuid.UUID
	Period string // YYYY-MM or YYYY-Qn
	Metric string // a kpi library key
	Value  float64
	SetBy  uuid.UUID
	SetAt  time.Time
}

type targetRow struct {
	TenantID   uuid.UUID
	ID         uuid.UUID
	RepID      uuid.UUID
	RegionPath string
	Period     string
	Metric     string
	Value      float64
	SetBy      uuid.UUID
	SetAt      time.Time
}

func (targetRow) TableName() string { return "appraisal_targets" }

// NewTarget is one target to set.
type NewTarget struct {
	RepID  uuid.UUID
	Metric string
	Value  float64
}

// SetTargets sets (or replaces) the targets of a month or a quarter, all or none: a rep the
// caller may not set targets for, an unknown metric or a negative value refuses the whole
// request, naming the offending entry. A quarter's own target of a metric overrides the one its
// months' would make.
func (s *Service) SetTargets(ctx context.Context, period string, in []NewTarget) ([]Target, error) {
	p, err := ParsePeriod(period, "body.period")
	if err != nil {
		return nil, err
	}
	if len(in) == 0 || len(in) > MaxTargets {
		return nil, fault.Field("body.targets", fmt.Sprintf("must hold 1 to %d targets", MaxTargets), len(in))
	}
	return s.setTargets(ctx, p, in, func(i int) string { return fmt.Sprintf("body.targets[%d]", i) })
}

// setTargets sets in, all or none; at names the i-th target in an error (its fields follow).
func (s *Service) setTargets(ctx context.Context, p Period, in []NewTarget, at func(i int) string) ([]Target, error) {
	me, err := identity.SignedIn(ctx, "set targets")
	if err != nil {
		return nil, err
	}
	var out []Target
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		reps := map[uuid.UUID]Rep{}
		now := s.now()
		for i, t := range in {
			at := at(i)
			if _, ok := kpi.Lookup(t.Metric); !ok {
				return fault.Field(at+".metric", "is not a metric of the KPI library", t.Metric)
			}
			if t.Value < 0 || math.IsNaN(t.Value) || math.IsInf(t.Value, 0) {
				return fault.Field(at+".value", "must be a number of 0 or more", t.Value)
			}
			rep, ok := reps[t.RepID]
			if !ok {
				if rep, err = s.targetRep(ctx, t.RepID, at+".rep_id"); err != nil {
					return err
				}
				reps[t.RepID] = rep
			}
			row := targetRow{ID: identity.NewID(), RepID: rep.ID, RegionPath: rep.RegionPath, Period: p.String(), Metric: t.Metric,
				Value: t.Value, SetBy: me.UserID, SetAt: now}
			err := db.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "tenant_id"}, {Name: "rep_id"}, {Name: "period"}, {Name: "metric"}},
				DoUpdates: clause.AssignmentColumns([]string{"value", "region_path", "set_by", "set_at"}),
			}).Create(&row).Error
			if err != nil {
				return err
			}
			out = append(out, Target{RepID: rep.ID, Period: p.String(), Metric: t.Metric, Value: t.Value, SetBy: me.UserID, SetAt: now})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("set targets: %w", err)
	}
	return out, nil
}

// targetRep finds a rep the caller may set targets for; anyone else, or a rep out of the
// caller's reach, is an invalid reference at location.
func (s *Service) targetRep(ctx context.Context, id uuid.UUID, location string) (Rep, error) {
	rep, err := s.deps.Rep(ctx, id)
	if fault.Is(err, fault.NotFound) || (err == nil && !rep.IsRep) {
		return Rep{}, fault.Reference(location, "there is no such rep", id)
	}
	if err != nil {
		return Rep{}, err
	}
	res := access.Resource{Kind: access.KindTarget, OwnerID: rep.ID, RegionPath: rep.RegionPath}
	if err := s.warden.Check(ctx, access.Update, res); err != nil {
		if fault.Is(err, fault.Forbidden) {
			return Rep{}, fault.Reference(location, "is not a rep whose targets you may set", id)
		}
		return Rep{}, err
	}
	return rep, nil
}

// ListTargets returns the period's targets the caller may see, as set for it (a quarter's own,
// not its months'), of one rep when repID is set.
func (s *Service) ListTargets(ctx context.Context, period string, repID *uuid.UUID) ([]Target, error) {
	p, err := ParsePeriod(period, "query.period")
	if err != nil {
		return nil, err
	}
	var rows []targetRow
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, access.KindTarget,
			access.Columns{Owner: "appraisal_targets.rep_id", RegionPath: "appraisal_targets.region_path"})
		if err != nil {
			return err
		}
		q := db.Model(&targetRow{}).Scopes(scope).Where("appraisal_targets.period = ?", p.String())
		if repID != nil {
			q = q.Where("appraisal_targets.rep_id = ?", *repID)
		}
		return q.Order("appraisal_targets.rep_id, appraisal_targets.metric").Find(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("list targets: %w", err)
	}
	out := make([]Target, len(rows))
	for i, r := range rows {
		out[i] = Target{RepID: r.RepID, Period: r.Period, Metric: r.Metric, Value: r.Value, SetBy: r.SetBy, SetAt: r.SetAt}
	}
	return out, nil
}
