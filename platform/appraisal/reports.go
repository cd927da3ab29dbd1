package appraisal

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/appraisal/commission"
	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/appraisal/report"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// RepInfo is a rep as a report names them.
type RepInfo struct {
	ID         uuid.UUID
	Name       string
	Team       string // the name of the rep's first team; "" for none
	TeamIDs    []uuid.UUID
	Region     string
	RegionPath string
}

type reportRow struct {
	TenantID  uuid.UUID
	ID        uuid.UUID
	Period    string
	Scope     string
	Version   int
	Body      string
	CreatedBy uuid.UUID
	CreatedAt time.Time
}

func (reportRow) TableName() string { return "appraisal_reports" }

// MakeReport computes the period's appraisal (a month's or a quarter's) of the active reps in
// scope and freezes it as the next version of that period and scope. The period must have begun;
// one still running is a report so far.
func (s *Service) MakeReport(ctx context.Context, period string, scope Scope) (report.Report, error) {
	return s.makeReport(ctx, period, scope, false)
}

// makeReport makes the report, by hand or by the schedule.
func (s *Service) makeReport(ctx context.Context, period string, scope Scope, scheduled bool) (report.Report, error) {
	me, err := identity.SignedIn(ctx, "make an appraisal report")
	if err != nil {
		return report.Report{}, err
	}
	if err := s.warden.Check(ctx, access.Create, access.Resource{Kind: access.KindAppraisalReport}); err != nil {
		return report.Report{}, err
	}
	p, from, to, err := s.span(ctx, period, "body.period")
	if err != nil {
		return report.Report{}, err
	}
	all, err := s.deps.Reps(ctx)
	if err != nil {
		return report.Report{}, err
	}
	reps, err := scope.repsIn(all, "body.scope")
	if err != nil {
		return report.Report{}, err
	}
	ids := make([]uuid.UUID, len(reps))
	for i, r := range reps {
		ids[i] = r.ID
	}
	figures, err := s.gatherComparable(ctx, p, from, to, ids)
	if err != nil {
		return report.Report{}, err
	}
	pay, err := s.payments(ctx, p, figures.yearBefore)
	if err != nil {
		return report.Report{}, err
	}
	var out report.Report
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		tmpl, err := repTemplate(db)
		if err != nil {
			return err
		}
		targets, err := periodTargets(db, tmpl.Body, p, ids)
		if err != nil {
			return err
		}
		out = report.Report{ID: identity.NewID(), Period: p.String(), Scope: scope.String(), TemplateID: tmpl.ID, TemplateVersion: tmpl.Version,
			CreatedBy: me.UserID, CreatedAt: s.now(), Scheduled: scheduled}
		for _, r := range reps {
			card, err := kpi.Score(tmpl.Body, figures.now[r.ID].Actuals, targets[r.ID], kpi.Period{From: from, To: to})
			if err != nil {
				return fmt.Errorf("score rep %s: %w", r.ID, err)
			}
			card.Compare(figures.before[r.ID].Actuals, figures.yearBefore[r.ID].Actuals)
			drillDown(&card, figures.now[r.ID])
			line := report.RepResult{RepID: r.ID, Name: r.Name, Team: r.Team, Region: r.Region, Card: card}
			if line.Commission, err = pay.commission(r.ID, figures.now[r.ID], card.Total); err != nil {
				return fmt.Errorf("commission of rep %s: %w", r.ID, err)
			}
			out.Reps = append(out.Reps, line)
		}
		if pay.plan != nil {
			out.Currency, out.CommissionPlanVersion = pay.plan.Plan.Currency, pay.plan.Version
		}
		rank(out.Reps)
		var last int
		if err := db.Model(&reportRow{}).Where("period = ? AND scope = ?", out.Period, out.Scope).
			Select("COALESCE(MAX(version), 0)").Scan(&last).Error; err != nil {
			return err
		}
		out.Version = last + 1
		body, err := json.Marshal(out)
		if err != nil {
			return err
		}
		return db.Create(&reportRow{ID: out.ID, Period: out.Period, Scope: out.Scope, Version: out.Version, Body: string(body),
			CreatedBy: me.UserID, CreatedAt: out.CreatedAt}).Error
	})
	if err != nil {
		return report.Report{}, fmt.Errorf("make report %s: %w", period, err)
	}
	return out, nil
}

// comparableFigures are the reps' figures of a period [from, to), of the period of the same kind
// before it and of the same period a year before: the scorecards compare each metric with both,
// and the report pays the growth multiplier on last year's.
type comparableFigures struct {
	now, before, yearBefore map[uuid.UUID]Figures
}

func (s *Service) gatherComparable(ctx context.Context, p Period, from, to time.Time, reps []uuid.UUID) (comparableFigures, error) {
	figs, err := s.gather(ctx, []span{{from, to}, {from.AddDate(0, -p.Months, 0), from}, {from.AddDate(-1, 0, 0), to.AddDate(-1, 0, 0)}}, reps)
	if err != nil {
		return comparableFigures{}, err
	}
	return comparableFigures{now: figs[0], before: figs[1], yearBefore: figs[2]}, nil
}

// payroll is what a report pays by: the plan in force (nil: none, or one sized for the other kind
// of period, and no commissions) and the reps' figures of the same period a year earlier, for
// the growth multiplier.
type payroll struct {
	plan      *CommissionPlan
	priorYear map[uuid.UUID]Figures
}

func (s *Service) payments(ctx context.Context, p Period, priorYear map[uuid.UUID]Figures) (payroll, error) {
	plan, err := s.GetCommissionPlan(ctx)
	if fault.Is(err, fault.NotFound) || (err == nil && !plan.Plan.Pays(p.Months)) {
		return payroll{}, nil
	}
	if err != nil {
		return payroll{}, err
	}
	return payroll{plan: &plan, priorYear: priorYear}, nil
}

// commission computes a rep's commission on the plan's base. The score gate reads the appraisal
// total, capped at 100: a gate's thresholds are on a 0 to 100 scale, and scoring above every
// target passes the highest.
func (p payroll) commission(rep uuid.UUID, f Figures, total float64) (*commission.Result, error) {
	if p.plan == nil {
		return nil, nil
	}
	base := string(p.plan.Plan.Base)
	score := decimal.NewFromFloat(min(total, 100)).Round(4)
	r, err := commission.Compute(p.plan.Plan, commission.Inputs{Base: f.Money[base], PriorYearBase: p.priorYear[rep].Money[base], Score: &score})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// rank orders the reps by total score, best first, and numbers them among all of them, and among
// those of their region and of their team; equal totals share a rank.
func rank(reps []report.RepResult) {
	sort.SliceStable(reps, func(i, j int) bool { return reps[i].Card.Total > reps[j].Card.Total })
	all, byRegion, byTeam := ranker{}, map[string]*ranker{}, map[string]*ranker{}
	for i := range reps {
		r := &reps[i]
		if byRegion[r.Region] == nil {
			byRegion[r.Region] = &ranker{}
		}
		if byTeam[r.Team] == nil {
			byTeam[r.Team] = &ranker{}
		}
		r.Rank, r.RankInRegion, r.RankInTeam = all.next(r.Card.Total), byRegion[r.Region].next(r.Card.Total), byTeam[r.Team].next(r.Card.Total)
	}
}

// ranker numbers totals given best first: 1, 2, 2, 4 for 90, 80, 80, 70.
type ranker struct {
	seen  int
	last  float64
	place int
}

func (k *ranker) next(total float64) int {
	k.seen++
	if k.seen == 1 || total != k.last {
		k.place = k.seen
	}
	k.last = total
	return k.place
}

// GetReport returns one frozen report version.
func (s *Service) GetReport(ctx context.Context, id uuid.UUID) (report.Report, error) {
	var out report.Report
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.Read, access.Resource{Kind: access.KindAppraisalReport, ID: id}); err != nil {
			return err
		}
		var r reportRow
		err := db.Where("id = ?", id).Take(&r).Error
		if store.IsNotFound(err) {
			return fault.NotFoundf("appraisal report")
		}
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(r.Body), &out)
	})
	if err != nil {
		return report.Report{}, fmt.Errorf("get report %s: %w", id, err)
	}
	return out, nil
}

// PreviousReport returns the version of r's month made before r, if there is one.
func (s *Service) PreviousReport(ctx context.Context, r report.Report) (report.Report, bool, error) {
	var prev reportRow
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		return db.Where("period = ? AND scope = ? AND version = ?", r.Period, r.Scope, r.Version-1).Take(&prev).Error
	})
	if store.IsNotFound(err) || r.Version <= 1 {
		return report.Report{}, false, nil
	}
	if err != nil {
		return report.Report{}, false, err
	}
	out, err := s.GetReport(ctx, prev.ID)
	return out, err == nil, err
}

// ReportVersion names one version of a period's report of a scope.
type ReportVersion struct {
	ID        uuid.UUID `json:"id"`
	Period    string    `json:"period"`
	Scope     string    `json:"scope"`
	Version   int       `json:"version"`
	CreatedBy uuid.UUID `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// MaxReportVersions bounds a list of report versions.
const MaxReportVersions = 200

// ListReports lists the report versions of a period, or of every period when period is "", of
// one scope or of all (nil), newest first, at most MaxReportVersions.
func (s *Service) ListReports(ctx context.Context, period string, scope *Scope) ([]ReportVersion, error) {
	if period != "" {
		p, err := ParsePeriod(period, "query.period")
		if err != nil {
			return nil, err
		}
		period = p.String()
	}
	var rows []reportRow
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.List, access.Resource{Kind: access.KindAppraisalReport}); err != nil {
			return err
		}
		q := db.Select("id, period, scope, version, created_by, created_at")
		if scope != nil {
			q = q.Where("scope = ?", scope.String())
		}
		if period != "" {
			q = q.Where("period = ?", period)
		}
		return q.Order("period DESC, version DESC").Limit(MaxReportVersions).Find(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	out := make([]ReportVersion, len(rows))
	for i, r := range rows {
		out[i] = ReportVersion{ID: r.ID, Period: r.Period, Scope: r.Scope, Version: r.Version, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// ExportReport returns a frozen report version for export (an Excel download): the export
// right, not only the read right.
func (s *Service) ExportReport(ctx context.Context, id uuid.UUID) (report.Report, error) {
	if err := s.warden.Check(ctx, access.Export, access.Resource{Kind: access.KindAppraisalReport, ID: id}); err != nil {
		if fault.Is(err, fault.Forbidden) {
			return report.Report{}, fault.NotFoundf("appraisal report")
		}
		return report.Report{}, err
	}
	return s.GetReport(ctx, id)
}
