package appraisal

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
)

// Figures are a rep's actuals for a period, by KPI key.
type Figures map[string]kpi.Actual

// Source gives one domain's figures of the reps over [from, to), as far as the caller may see
// them. The appraisal reads the domains only through their sources, never their tables.
type Source func(ctx context.Context, from, to time.Time, reps []uuid.UUID) (map[uuid.UUID]Figures, error)

// Scorecard is a rep's KPI dashboard for a month: the template (and version) that scored it, and
// each metric's actual, target, completion, colour and pace.
type Scorecard struct {
	RepID      uuid.UUID
	Period     string
	TemplateID uuid.UUID
	Version    int
	kpi.Scorecard
}

// RepScorecard scores a rep's month so far (or a past month whole) under the tenant's template
// for reps, with the rep's targets over the template's defaults. The caller must be allowed to
// see the rep's targets: the rep, their managers, HQ.
func (s *Service) RepScorecard(ctx context.Context, repID uuid.UUID, month string) (Scorecard, error) {
	if !period.MatchString(month) {
		return Scorecard{}, fault.Field("query.period", "is not a month written YYYY-MM", month)
	}
	rep, err := s.deps.Rep(ctx, repID)
	if fault.Is(err, fault.NotFound) || (err == nil && !rep.IsRep) {
		return Scorecard{}, fault.NotFoundf("rep")
	}
	if err != nil {
		return Scorecard{}, err
	}
	res := access.Resource{Kind: access.KindTarget, OwnerID: rep.ID, RegionPath: rep.RegionPath}
	if err := s.warden.CheckRow(ctx, access.Read, res, "rep"); err != nil {
		return Scorecard{}, err
	}
	loc, err := s.timeZone(ctx)
	if err != nil {
		return Scorecard{}, err
	}
	from, _ := time.ParseInLocation("2006-01", month, loc)
	to := from.AddDate(0, 1, 0)
	now := s.now()
	if !now.After(from) {
		return Scorecard{}, fault.Field("query.period", "has not started", month)
	}
	tmpl, targets, err := s.scoringBasis(ctx, rep.ID, month)
	if err != nil {
		return Scorecard{}, err
	}
	actuals := Figures{}
	for _, src := range s.deps.Sources {
		figs, err := src(ctx, from, to, []uuid.UUID{rep.ID})
		if err != nil {
			return Scorecard{}, err
		}
		for k, v := range figs[rep.ID] {
			actuals[k] = v
		}
	}
	p := kpi.Period{From: from, To: to}
	if now.Before(to) {
		p.Today = now.In(loc)
	}
	card, err := kpi.Score(tmpl.Body, actuals, targets, p)
	if err != nil {
		return Scorecard{}, fmt.Errorf("score rep %s: %w", rep.ID, err)
	}
	return Scorecard{RepID: rep.ID, Period: month, TemplateID: tmpl.ID, Version: tmpl.Version, Scorecard: card}, nil
}

// scoringBasis returns the template for reps (the oldest that applies to the rep role) and the
// rep's targets for the month.
func (s *Service) scoringBasis(ctx context.Context, repID uuid.UUID, month string) (Template, map[string]float64, error) {
	var tmpl Template
	targets := map[string]float64{}
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var rows []templateRow
		if err := db.Order("created_at, id").Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			t, err := loadVersion(db, r, r.Version)
			if err != nil {
				return err
			}
			if slices.Contains(t.Body.AppliesTo.Roles, identity.RoleRep) {
				tmpl = t
				break
			}
		}
		if tmpl.ID == uuid.Nil {
			return fault.New(fault.Conflict, "no_template", "no KPI template applies to reps: a tenant admin sets one up first")
		}
		var ts []targetRow
		if err := db.Where("rep_id = ? AND period = ?", repID, month).Find(&ts).Error; err != nil {
			return err
		}
		for _, t := range ts {
			targets[t.Metric] = t.Value
		}
		return nil
	})
	return tmpl, targets, err
}

func (s *Service) timeZone(ctx context.Context) (*time.Location, error) {
	if s.deps.TimeZone == nil {
		return time.UTC, nil
	}
	return s.deps.TimeZone(ctx)
}
