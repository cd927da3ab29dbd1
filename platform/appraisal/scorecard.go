package appraisal

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"golang.org/x/sync/errgroup"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// Figures are a rep's actuals for a period, by KPI key, and the exact amounts behind the money
// ones (revenue, collected), which commissions are computed from: a float is fine for a score,
// not for a payment.
type Figures struct {
	Actuals map[string]kpi.Actual
	Money   map[string]decimal.Decimal
	// Records are, by KPI key, the API paths listing the records an actual was computed from.
	Records map[string]string
}

// drillDown gives each metric line the path to its records.
func drillDown(card *kpi.Scorecard, f Figures) {
	for i := range card.Metrics {
		card.Metrics[i].Records = f.Records[card.Metrics[i].Key]
	}
}

// span is a period [from, to).
type span struct{ from, to time.Time }

// gather asks every source for the reps' figures over each period and merges them per rep,
// one map per period. On PostgreSQL the sources run side by side (at most concurrentSources at
// a time), each in a transaction of its own outside the caller's, so that the database's cores
// share the work; the embedded database takes one writer at a time anyway, so there they run in
// turn, in the caller's transaction if it has one.
func (s *Service) gather(ctx context.Context, periods []span, reps []uuid.UUID) ([]map[uuid.UUID]Figures, error) {
	got := make([][]map[uuid.UUID]Figures, len(periods))
	var g errgroup.Group
	g.SetLimit(1)
	if s.store.Dialect() == store.Postgres {
		// Each source in a transaction of its own: the request's one connection cannot serve
		// them side by side, and they read what is committed, which is what a report is of.
		ctx = store.Analytical(store.Outside(ctx))
		g.SetLimit(concurrentSources)
	}
	for i, p := range periods {
		got[i] = make([]map[uuid.UUID]Figures, len(s.deps.Sources))
		for j, src := range s.deps.Sources {
			g.Go(func() error {
				figs, err := src(ctx, p.from, p.to, reps)
				got[i][j] = figs
				return err
			})
		}
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := make([]map[uuid.UUID]Figures, len(periods))
	for i := range periods {
		out[i] = merge(got[i])
	}
	return out, nil
}

// concurrentSources bounds the sources running at once: one per core of the database. More only
// made them wait for each other: on two cores the 2,000-rep month's report took 2.9 s with four
// at once, 2.3 s with two.
const concurrentSources = 2

// merge joins the sources' figures per rep.
func merge(bySource []map[uuid.UUID]Figures) map[uuid.UUID]Figures {
	out := map[uuid.UUID]Figures{}
	for _, figs := range bySource {
		for rep, f := range figs {
			all, ok := out[rep]
			if !ok {
				all = Figures{Actuals: map[string]kpi.Actual{}, Money: map[string]decimal.Decimal{}, Records: map[string]string{}}
			}
			maps.Copy(all.Actuals, f.Actuals)
			maps.Copy(all.Money, f.Money)
			maps.Copy(all.Records, f.Records)
			out[rep] = all
		}
	}
	return out
}

// Source gives one domain's figures of the reps over [from, to), as far as the caller may see
// them. The appraisal reads the domains only through their sources, never their tables.
type Source func(ctx context.Context, from, to time.Time, reps []uuid.UUID) (map[uuid.UUID]Figures, error)

// Scorecard is a rep's KPI dashboard for a month: the template (and version) that scored it, and
// each metric's actual, target, completion, colour and pace, compared month on month and year on
// year.
type Scorecard struct {
	RepID      uuid.UUID
	Period     string
	TemplateID uuid.UUID
	Version    int
	kpi.Scorecard
	// Actions are the suggested next steps, for a month still running.
	Actions []SuggestedAction
}

// RepScorecard scores a rep's month so far (or a past month whole) under the tenant's template
// for reps, with the rep's targets over the template's defaults. The caller must be allowed to
// see the rep's targets: the rep, their managers, HQ.
func (s *Service) RepScorecard(ctx context.Context, repID uuid.UUID, month string) (Scorecard, error) {
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
	from, to, err := s.month(ctx, month, "query.period")
	if err != nil {
		return Scorecard{}, err
	}
	tmpl, targets, err := s.scoring(ctx, month)
	if err != nil {
		return Scorecard{}, err
	}
	figs, err := s.gatherComparable(ctx, from, to, []uuid.UUID{rep.ID})
	if err != nil {
		return Scorecard{}, err
	}
	p := s.period(from, to)
	card, err := kpi.Score(tmpl.Body, figs.now[rep.ID].Actuals, targets[rep.ID], p)
	if err != nil {
		return Scorecard{}, fmt.Errorf("score rep %s: %w", rep.ID, err)
	}
	card.Compare(figs.lastMonth[rep.ID].Actuals, figs.lastYear[rep.ID].Actuals)
	drillDown(&card, figs.now[rep.ID])
	out := Scorecard{RepID: rep.ID, Period: month, TemplateID: tmpl.ID, Version: tmpl.Version, Scorecard: card}
	if !p.Today.IsZero() && s.deps.Actions != nil {
		y, m, d := p.Today.Date()
		if out.Actions, err = s.deps.Actions(ctx, rep.ID, time.Date(y, m, d, 0, 0, 0, 0, p.Today.Location())); err != nil {
			return Scorecard{}, err
		}
	}
	return out, nil
}

// scoring loads what a month is scored by: the reps' template and the month's targets.
func (s *Service) scoring(ctx context.Context, month string) (Template, map[uuid.UUID]map[string]float64, error) {
	var tmpl Template
	var targets map[uuid.UUID]map[string]float64
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var err error
		if tmpl, err = repTemplate(db); err != nil {
			return err
		}
		targets, err = monthTargets(db, month)
		return err
	})
	return tmpl, targets, err
}

// period is what a dashboard scores: the month, and today while it runs, for the pace.
func (s *Service) period(from, to time.Time) kpi.Period {
	p := kpi.Period{From: from, To: to}
	if now := s.now(); now.Before(to) {
		p.Today = now.In(from.Location())
	}
	return p
}

// repTemplate is the template reps are scored with: the oldest that applies to the rep role, at
// its newest version.
func repTemplate(db *gorm.DB) (Template, error) {
	var rows []templateRow
	if err := db.Order("created_at, id").Find(&rows).Error; err != nil {
		return Template{}, err
	}
	for _, r := range rows {
		t, err := loadVersion(db, r, r.Version)
		if err != nil {
			return Template{}, err
		}
		if slices.Contains(t.Body.AppliesTo.Roles, identity.RoleRep) {
			return t, nil
		}
	}
	return Template{}, fault.New(fault.Conflict, "no_template", "no KPI template applies to reps: a tenant admin sets one up first")
}

// monthTargets returns the month's targets by rep and metric.
func monthTargets(db *gorm.DB, month string) (map[uuid.UUID]map[string]float64, error) {
	var rows []targetRow
	if err := db.Where("period = ?", month).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := map[uuid.UUID]map[string]float64{}
	for _, t := range rows {
		if out[t.RepID] == nil {
			out[t.RepID] = map[string]float64{}
		}
		out[t.RepID][t.Metric] = t.Value
	}
	return out, nil
}

// month is the span [from, to) of a month YYYY-MM in the tenant's time zone; a month that has
// not begun is refused at location.
func (s *Service) month(ctx context.Context, month, location string) (from, to time.Time, err error) {
	if !period.MatchString(month) {
		return from, to, fault.Field(location, "is not a month written YYYY-MM", month)
	}
	loc, err := s.timeZone(ctx)
	if err != nil {
		return from, to, err
	}
	from, _ = time.ParseInLocation("2006-01", month, loc)
	if !s.now().After(from) {
		return from, to, fault.Field(location, "has not started", month)
	}
	return from, from.AddDate(0, 1, 0), nil
}

func (s *Service) timeZone(ctx context.Context) (*time.Location, error) {
	if s.deps.TimeZone == nil {
		return time.UTC, nil
	}
	return s.deps.TimeZone(ctx)
}
