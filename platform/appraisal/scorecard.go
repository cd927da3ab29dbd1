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

// Scorecard is a rep's KPI dashboard for a month or a quarter: the template (and version) that
// scored it, and each metric's actual, target, completion, colour and pace, compared with the
// period before and the same period a year before.
type Scorecard struct {
	RepID      uuid.UUID
	Period     string
	TemplateID uuid.UUID
	Version    int
	kpi.Scorecard
	// Actions are the suggested next steps, for a period still running.
	Actions []SuggestedAction
}

// RepScorecard scores a rep's period so far (or a past period whole) under the tenant's template
// for reps, with the rep's targets over the template's defaults. The caller must be allowed to
// see the rep's targets: the rep, their managers, HQ.
func (s *Service) RepScorecard(ctx context.Context, repID uuid.UUID, period string) (Scorecard, error) {
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
	p, from, to, err := s.span(ctx, period, "query.period")
	if err != nil {
		return Scorecard{}, err
	}
	reps := []uuid.UUID{rep.ID}
	tmpl, targets, err := s.scoring(ctx, p, reps)
	if err != nil {
		return Scorecard{}, err
	}
	figs, err := s.gatherComparable(ctx, p, from, to, reps)
	if err != nil {
		return Scorecard{}, err
	}
	scored := s.scored(from, to)
	card, err := kpi.Score(tmpl.Body, figs.now[rep.ID].Actuals, targets[rep.ID], scored)
	if err != nil {
		return Scorecard{}, fmt.Errorf("score rep %s: %w", rep.ID, err)
	}
	card.Compare(figs.before[rep.ID].Actuals, figs.yearBefore[rep.ID].Actuals)
	drillDown(&card, figs.now[rep.ID])
	out := Scorecard{RepID: rep.ID, Period: p.String(), TemplateID: tmpl.ID, Version: tmpl.Version, Scorecard: card}
	if !scored.Today.IsZero() && s.deps.Actions != nil {
		y, m, d := scored.Today.Date()
		if out.Actions, err = s.deps.Actions(ctx, rep.ID, time.Date(y, m, d, 0, 0, 0, 0, scored.Today.Location())); err != nil {
			return Scorecard{}, err
		}
	}
	return out, nil
}

// scoring loads what a period is scored by: the reps' template and the reps' targets of the
// period (periodTargets).
func (s *Service) scoring(ctx context.Context, p Period, reps []uuid.UUID) (Template, map[uuid.UUID]map[string]float64, error) {
	var tmpl Template
	var targets map[uuid.UUID]map[string]float64
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var err error
		if tmpl, err = repTemplate(db); err != nil {
			return err
		}
		targets, err = periodTargets(db, tmpl.Body, p, reps)
		return err
	})
	return tmpl, targets, err
}

// scored is what a dashboard scores: the period, and today while it runs, for the pace.
func (s *Service) scored(from, to time.Time) kpi.Period {
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

// periodTargets are the reps' targets of a period by rep and metric: a month's as set, a
// quarter's as quarterTargets makes them of its own and its months'.
func periodTargets(db *gorm.DB, t kpi.Template, p Period, reps []uuid.UUID) (map[uuid.UUID]map[string]float64, error) {
	periods := []string{p.String()}
	if p.Quarter() {
		for _, m := range p.MonthsIn() {
			periods = append(periods, m.String())
		}
	}
	var rows []targetRow
	if err := db.Where("period IN ?", periods).Find(&rows).Error; err != nil {
		return nil, err
	}
	set := map[string]map[uuid.UUID]map[string]float64{}
	for _, r := range rows {
		if set[r.Period] == nil {
			set[r.Period] = map[uuid.UUID]map[string]float64{}
		}
		if set[r.Period][r.RepID] == nil {
			set[r.Period][r.RepID] = map[string]float64{}
		}
		set[r.Period][r.RepID][r.Metric] = r.Value
	}
	if !p.Quarter() {
		return set[p.String()], nil
	}
	months := make([]map[uuid.UUID]map[string]float64, 0, p.Months)
	for _, m := range p.MonthsIn() {
		months = append(months, set[m.String()])
	}
	return quarterTargets(t, set[p.String()], months, reps), nil
}

func (s *Service) timeZone(ctx context.Context) (*time.Location, error) {
	if s.deps.TimeZone == nil {
		return time.UTC, nil
	}
	return s.deps.TimeZone(ctx)
}
