package appraisal

import (
	"context"
	"fmt"
	"maps"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/appraisal/kpi"
)

// TeamCard is a team's KPI dashboard for a month: the team's figures (its members' aggregated
// by each metric's rule: work and money added up, ratios recomputed from their parts) scored
// under the reps' template against the team's target: its own (SetTeamTargets), or else its
// members' added up for work and money and their mean for rates and averages.
type TeamCard struct {
	TeamID     uuid.UUID
	Period     string
	TemplateID uuid.UUID
	Version    int
	Members    int
	kpi.Scorecard
}

// TeamScorecard scores a team's month so far (or a past month whole). The caller must be able
// to read the targets of every member: a team partly out of sight is not theirs to judge.
func (s *Service) TeamScorecard(ctx context.Context, team uuid.UUID, month string) (TeamCard, error) {
	members, err := s.teamReps(ctx, team, access.Read)
	if err != nil {
		return TeamCard{}, err
	}
	from, to, err := s.month(ctx, month, "query.period")
	if err != nil {
		return TeamCard{}, err
	}
	tmpl, targets, err := s.scoring(ctx, month)
	if err != nil {
		return TeamCard{}, err
	}
	goals := teamTargets(tmpl.Body, targets, members)
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		own, err := ownTeamTargets(db, team, month)
		maps.Copy(goals, own)
		return err
	})
	if err != nil {
		return TeamCard{}, err
	}
	figs, err := s.gatherComparable(ctx, from, to, members)
	if err != nil {
		return TeamCard{}, err
	}
	now, err := aggregate(tmpl.Body, figs.now, members)
	if err != nil {
		return TeamCard{}, err
	}
	card, err := kpi.Score(tmpl.Body, now, goals, s.period(from, to))
	if err != nil {
		return TeamCard{}, fmt.Errorf("score team %s: %w", team, err)
	}
	lastMonth, err := aggregate(tmpl.Body, figs.lastMonth, members)
	if err != nil {
		return TeamCard{}, err
	}
	lastYear, err := aggregate(tmpl.Body, figs.lastYear, members)
	if err != nil {
		return TeamCard{}, err
	}
	card.Compare(lastMonth, lastYear)
	return TeamCard{TeamID: team, Period: month, TemplateID: tmpl.ID, Version: tmpl.Version, Members: len(members), Scorecard: card}, nil
}

// aggregate makes the team's actual of each of the template's metrics that a member has.
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

// teamTargets are the team's targets: for each metric, its members' (their own, or the
// template's default) added up where the metric adds up, their mean otherwise.
func teamTargets(t kpi.Template, targets map[uuid.UUID]map[string]float64, members []uuid.UUID) map[string]float64 {
	out := map[string]float64{}
	for _, it := range t.Metrics {
		m, _ := kpi.Lookup(it.Key)
		var sum float64
		for _, rep := range members {
			v, set := targets[rep][it.Key]
			if !set && it.Target != nil {
				v = *it.Target
			}
			sum += v
		}
		if m.Aggregation != kpi.Sum {
			sum /= float64(len(members))
		}
		out[it.Key] = sum
	}
	return out
}
