package appraisal

import (
	"context"
	"fmt"
	"maps"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/fault"
)

// A unit is a team or a region (its whole subtree): reps scored together, written as a scope,
// "team:<id>" or "region:<id>".

// ParseUnit reads a unit as written in a request.
func ParseUnit(s, location string) (Scope, error) {
	u, err := ParseScope(s, location)
	if err == nil && u.Kind != ScopeTeam && u.Kind != ScopeRegion {
		err = fault.Field(location, `is "team:<id>" or "region:<id>"`, s)
	}
	return u, err
}

// UnitCard is a unit's KPI dashboard for a period: the unit's figures (its members' aggregated
// by each metric's rule: work and money added up, ratios recomputed from their parts) scored
// under the reps' template against the unit's target: its own (SetUnitTargets), or else its
// members' added up for work and money and their mean for rates and averages.
type UnitCard struct {
	Unit       Scope
	Period     string
	TemplateID uuid.UUID
	Version    int
	Members    int
	kpi.Scorecard
}

// UnitScorecard scores a unit's period so far (or a past period whole). The caller must be able
// to read the targets of every member: a unit partly out of sight is not theirs to judge.
func (s *Service) UnitScorecard(ctx context.Context, unit Scope, period string) (UnitCard, error) {
	members, err := s.unitReps(ctx, unit, access.Read)
	if err != nil {
		return UnitCard{}, err
	}
	p, from, to, err := s.span(ctx, period, "query.period")
	if err != nil {
		return UnitCard{}, err
	}
	tmpl, targets, err := s.scoring(ctx, p, members)
	if err != nil {
		return UnitCard{}, err
	}
	goals := unitTargets(tmpl.Body, p, targets, members)
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		own, err := ownUnitTargets(db, unit, p.String())
		maps.Copy(goals, own)
		return err
	})
	if err != nil {
		return UnitCard{}, err
	}
	figs, err := s.gatherComparable(ctx, p, from, to, members)
	if err != nil {
		return UnitCard{}, err
	}
	now, err := aggregate(tmpl.Body, figs.now, members)
	if err != nil {
		return UnitCard{}, err
	}
	card, err := kpi.Score(tmpl.Body, now, goals, s.scored(from, to))
	if err != nil {
		return UnitCard{}, fmt.Errorf("score %s: %w", unit, err)
	}
	before, err := aggregate(tmpl.Body, figs.before, members)
	if err != nil {
		return UnitCard{}, err
	}
	yearBefore, err := aggregate(tmpl.Body, figs.yearBefore, members)
	if err != nil {
		return UnitCard{}, err
	}
	card.Compare(before, yearBefore)
	return UnitCard{Unit: unit, Period: p.String(), TemplateID: tmpl.ID, Version: tmpl.Version, Members: len(members), Scorecard: card}, nil
}

// aggregate makes the unit's actual of each of the template's metrics that a member has.
func aggregate(t kpi.Template, figs map[uuid.UUID]Figures, members []uuid.UUID) (map[string]kpi.Actual, error) {
	out := map[string]kpi.Actual{}
	for _, it := range t.Metrics {
		var of []kpi.Actual
		for _, m := range members {
			if a, ok := figs[m].Actuals[it.Key]; ok {
				of = append(of, a)
			}
		}
		if len(of) == 0 {
			continue
		}
		a, err := kpi.Aggregate(it.Key, of)
		if err != nil {
			return nil, err
		}
		out[it.Key] = a
	}
	return out, nil
}

// unitTargets are the unit's targets of period p: for each metric, its members' (as
// periodTargets gives them, or the template's default) added up where the metric adds up,
// their mean otherwise. A month's default is the template's; a quarter's is made of its
// months', so periodTargets has already given every member theirs or none.
func unitTargets(t kpi.Template, p Period, targets map[uuid.UUID]map[string]float64, members []uuid.UUID) map[string]float64 {
	out := map[string]float64{}
	for _, it := range t.Metrics {
		m, _ := kpi.Lookup(it.Key)
		var sum float64
		var n int
		for _, rep := range members {
			v, set := targets[rep][it.Key]
			if !set && it.Target != nil && !p.Quarter() {
				v, set = *it.Target, true
			}
			if set {
				sum, n = sum+v, n+1
			}
		}
		if n < len(members) {
			continue // a member with no target: the unit's would be short of theirs
		}
		if m.Aggregation != kpi.Sum {
			sum /= float64(n)
		}
		out[it.Key] = sum
	}
	return out
}
