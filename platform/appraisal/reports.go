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

// MakeReport computes the month's appraisal of the active reps in scope and freezes it as the
// next version of that month and scope. The month must have begun; a month still running is a
// report so far.
func (s *Service) MakeReport(ctx context.Context, month string, scope Scope) (report.Report, error) {
	return s.makeReport(ctx, month, scope, false)
}

// makeReport makes the report, by hand or by the schedule.
func (s *Service) makeReport(ctx context.Context, month string, scope Scope, scheduled bool) (report.Report, error) {
	me, err := identity.SignedIn(ctx, "make an appraisal report")
	if err != nil {
		return report.Report{}, err
	}
	if err := s.warden.Check(ctx, access.Create, access.Resource{Kind: access.KindAppraisalReport}); err != nil {
		return report.Report{}, err
	}
	from, to, err := s.month(ctx, month, "body.period")
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
	figures, err := s.gatherComparable(ctx, from, to, ids)
	if err != nil {
		return report.Report{}, err
	}
	pay, err := s.payments(ctx, figures.lastYear)
	if err != nil {
		return report.Report{}, err
	}
	var out report.Report
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		tmpl, err := repTemplate(db)
		if err != nil {
			return err
		}
		targets, err := monthTargets(db, month)
		if err != nil {
			return err
		}
		out = report.Report{ID: identity.NewID(), Period: month, Scope: scope.String(), TemplateID: tmpl.ID, TemplateVersion: tmpl.Version,
			CreatedBy: me.UserID, CreatedAt: s.now(), Scheduled: scheduled}
		for _, r := range reps {
			card, err := kpi.Score(tmpl.Body, figures.now[r.ID].Actuals, targets[r.ID], kpi.Period{From: from, To: to})
			if err != nil {
				return fmt.Errorf("score rep %s: %w", r.ID, err)
			}
			card.Compare(figures.lastMonth[r.ID].Actuals, figures.lastYear[r.ID].Actuals)
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
		if err := db.Model(&reportRow{}).Where("period = ? AND scope = ?", month, out.Scope).
			Select("COALESCE(MAX(version), 0)").Scan(&last).Error; err != nil {
			return err
		}
		out.Version = last + 1
		body, err := json.Marshal(out)
		if err != nil {
			return err
		}
		return db.Create(&reportRow{ID: out.ID, Period: month, Scope: out.Scope, Version: out.Version, Body: string(body),
			CreatedBy: me.UserID, CreatedAt: out.CreatedAt}).Error
	})
	if err != nil {
		return report.Report{}, fmt.Errorf("make report %s: %w", month, err)
	}
	return out, nil
}

// monthFigures are the reps' figures of a month, of the month before it and of the same month a
// year before: the report compares each metric month on month and year on year, and pays the
// growth multiplier on last year's.
type monthFigures struct {
	now, lastMonth, lastYear map[uuid.UUID]Figures
}

func (s *Service) gatherComparable(ctx context.Context, from, to time.Time, reps []uuid.UUID) (monthFigures, error) {
	figs, err := s.gather(ctx, []span{{from, to}, {from.AddDate(0, -1, 0), from}, {from.AddDate(-1, 0, 0), to.AddDate(-1, 0, 0)}}, reps)
	if err != nil {
		return monthFigures{}, err
	}
	return monthFigures{now: figs[0], lastMonth: figs[1], lastYear: figs[2]}, nil
}

// payroll is what a report pays by: the plan in force (nil: none, and no commissions) and the
// reps' figures of the same month a year earlier, for the growth multiplier.
type payroll struct {
	plan      *CommissionPlan
	priorYear map[uuid.UUID]Figures
}

func (s *Service) payments(ctx context.Context, priorYear map[uuid.UUID]Figures) (payroll, error) {
	plan, err := s.GetCommissionPlan(ctx)
	if fault.Is(err, fault.NotFound) {
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

// ReportVersion names one version of a month's report of a scope.
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

// ListReports lists the report versions of a month, or of every month when month is "", of one
// scope or of all (nil), newest first, at most MaxReportVersions.
func (s *Service) ListReports(ctx context.Context, month string, scope *Scope) ([]ReportVersion, error) {
	if month != "" && !period.MatchString(month) {
		return nil, fault.Field("query.period", "is not a month written YYYY-MM", month)
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
		if month != "" {
			q = q.Where("period = ?", month)
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
