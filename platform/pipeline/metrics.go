package pipeline

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/store"
)

// MetricsQuery asks for the pipeline figures of a period [From, To), for the reps named (all
// the caller may see when empty).
type MetricsQuery struct {
	From, To time.Time
	RepIDs   []uuid.UUID
}

// RepMetrics are one rep's pipeline figures for a period, as the appraisal consumes them. A
// ratio with nothing to judge is 1, as elsewhere in the product; the counts beside it tell.
type RepMetrics struct {
	RepID uuid.UUID
	// NewOpportunities were opened in the period.
	NewOpportunities int
	// Won and Lost were closed in the period; WinRate = Won / (Won + Lost).
	Won, Lost int
	WinRate   float64
	// WonValue is the amount of the opportunities won in the period.
	WonValue decimal.Decimal
	// OpenValue is the amount of the opportunities open at To; WeightedValue weighs each by its
	// stage's win probability as it stands now.
	OpenValue, WeightedValue decimal.Decimal
	// AvgSalesCycleDays is the mean time from opening to winning of those won in the period.
	AvgSalesCycleDays float64
	// Conversion is, per stage in pipeline order, how many opportunities entered it in the
	// period and how many of those moved on to a later stage (or were won) by To.
	Conversion []StageConversion
	// Judged are the opportunities that entered an open stage in the period, each once, and
	// whether one of those entries was followed by a move to a later stage or a won one by To:
	// what the conversion weighted by follow-up is judged on.
	Judged []Judged
}

// Judged is one opportunity judged for conversion in a period.
type Judged struct {
	OpportunityID uuid.UUID
	Converted     bool
}

// StageConversion is one stage's conversion in a period.
type StageConversion struct {
	Stage             string // key
	Entered, Advanced int
	Rate              float64
}

// Metrics computes the pipeline figures per rep, over the opportunities the caller may list.
func (s *Service) Metrics(ctx context.Context, q MetricsQuery) ([]RepMetrics, error) {
	ctx = store.Analytical(ctx)
	if !q.From.Before(q.To) {
		return nil, fault.Field("query.to", "must be after from", q.To.String())
	}
	var out []RepMetrics
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var err error
		out, err = s.metrics(ctx, db, q)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("pipeline metrics: %w", err)
	}
	return out, nil
}

// metrics loads what the figures of q are computed from, as far as the caller may list it, and
// computes them: for Metrics, and for the list of the opportunities judged for conversion.
func (s *Service) metrics(ctx context.Context, db *gorm.DB, q MetricsQuery) ([]RepMetrics, error) {
	scope, err := s.warden.Scope(ctx, access.List, access.KindOpportunity, opportunityColumns)
	if err != nil {
		return nil, err
	}
	opps := db.Model(&opportunityRow{}).Scopes(scope).Where("opportunities.created_at < ?", q.To.UTC())
	if len(q.RepIDs) > 0 {
		opps = opps.Where("opportunities.owner_id IN ?", q.RepIDs)
	}
	var rows []opportunityRow
	if err := opps.Find(&rows).Error; err != nil {
		return nil, err
	}
	var moves []moveRow
	if len(rows) > 0 {
		ids := db.Model(&opportunityRow{}).Scopes(scope).Select("opportunities.id")
		if err := db.Where("opportunity_id IN (?) AND moved_at < ?", ids, q.To.UTC()).Order("moved_at, id").Find(&moves).Error; err != nil {
			return nil, err
		}
	}
	stages, err := stagesOf(db, rows)
	if err != nil {
		return nil, err
	}
	return compute(q, rows, moves, stages), nil
}

// openAt is whether o is open at t, as OpenValue and WeightedValue count it: opened before t and
// not closed before it.
func (o opportunityRow) openAt(t time.Time) bool {
	return o.CreatedAt.Before(t) && (o.ClosedAt == nil || !o.ClosedAt.Before(t))
}

// openAtSQL is openAt as SQL on opportunities, for the list that pipeline value drills down to.
func openAtSQL(t time.Time) clause.Expr {
	return gorm.Expr("(opportunities.created_at < ? AND (opportunities.closed_at IS NULL OR opportunities.closed_at >= ?))", t.UTC(), t.UTC())
}

// stagesOf loads every stage of the opportunities' pipelines, retired ones included.
func stagesOf(db *gorm.DB, rows []opportunityRow) (map[uuid.UUID]stageRow, error) {
	seen := map[uuid.UUID]bool{}
	var pipelines []uuid.UUID
	for _, o := range rows {
		if !seen[o.PipelineID] {
			seen[o.PipelineID] = true
			pipelines = append(pipelines, o.PipelineID)
		}
	}
	out := map[uuid.UUID]stageRow{}
	if len(pipelines) == 0 {
		return out, nil
	}
	var stages []stageRow
	if err := db.Where("pipeline_id IN ?", pipelines).Find(&stages).Error; err != nil {
		return nil, err
	}
	for _, st := range stages {
		out[st.ID] = st
	}
	return out, nil
}

// compute is the arithmetic of Metrics, over rows loaded already.
func compute(q MetricsQuery, rows []opportunityRow, moves []moveRow, stages map[uuid.UUID]stageRow) []RepMetrics {
	in := func(t time.Time) bool { return !t.Before(q.From) && t.Before(q.To) }
	byRep := map[uuid.UUID]*RepMetrics{}
	rep := func(id uuid.UUID) *RepMetrics {
		if byRep[id] == nil {
			byRep[id] = &RepMetrics{RepID: id}
		}
		return byRep[id]
	}
	for _, id := range q.RepIDs {
		rep(id)
	}
	owner := map[uuid.UUID]uuid.UUID{}
	cycles := map[uuid.UUID][]float64{}
	for _, o := range rows {
		owner[o.ID] = o.OwnerID
		m := rep(o.OwnerID)
		if in(o.CreatedAt) {
			m.NewOpportunities++
		}
		if o.ClosedAt != nil && in(*o.ClosedAt) {
			switch Outcome(o.Status) {
			case Won:
				m.Won++
				m.WonValue = m.WonValue.Add(o.Amount)
				cycles[o.OwnerID] = append(cycles[o.OwnerID], o.ClosedAt.Sub(o.CreatedAt).Hours()/24)
			case Lost:
				m.Lost++
			}
		}
		if o.openAt(q.To) {
			m.OpenValue = m.OpenValue.Add(o.Amount)
			p := decimal.NewFromInt(int64(stages[o.StageID].Probability))
			m.WeightedValue = m.WeightedValue.Add(o.Amount.Mul(p).Div(decimal.NewFromInt(100)))
		}
	}
	conversion, judged := stageConversion(in, moves, stages, owner)
	var out []RepMetrics
	for id, m := range byRep {
		m.WinRate = ratio(m.Won, m.Won+m.Lost)
		if c := cycles[id]; len(c) > 0 {
			sum := 0.0
			for _, d := range c {
				sum += d
			}
			m.AvgSalesCycleDays = sum / float64(len(c))
		}
		m.Conversion, m.Judged = conversion[id], judged[id]
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].RepID.String() < out[j].RepID.String() })
	return out
}

// stageConversion counts, per rep and open stage, the entries in the period and those followed
// by a move to a later stage or a won one; and lists per rep the opportunities so judged.
func stageConversion(in func(time.Time) bool, moves []moveRow, stages map[uuid.UUID]stageRow,
	owner map[uuid.UUID]uuid.UUID) (map[uuid.UUID][]StageConversion, map[uuid.UUID][]Judged) {
	type key struct {
		rep   uuid.UUID
		stage uuid.UUID
	}
	entered, advanced := map[key]int{}, map[key]int{}
	judged := map[uuid.UUID][]Judged{}
	byOpp := map[uuid.UUID][]moveRow{}
	for _, m := range moves {
		byOpp[m.OpportunityID] = append(byOpp[m.OpportunityID], m)
	}
	for opp, ms := range byOpp {
		rep, counted := owner[opp]
		if !counted {
			continue // another rep's, outside the query
		}
		var j *Judged
		for i, m := range ms {
			st := stages[m.ToStageID]
			if !in(m.MovedAt) || Outcome(st.Outcome) != Open {
				continue
			}
			if j == nil {
				j = &Judged{OpportunityID: opp}
			}
			k := key{rep, m.ToStageID}
			entered[k]++
			if i+1 < len(ms) {
				next := stages[ms[i+1].ToStageID]
				if Outcome(next.Outcome) == Won || (Outcome(next.Outcome) == Open && next.Position > st.Position) {
					advanced[k]++
					j.Converted = true
				}
			}
		}
		if j != nil {
			judged[rep] = append(judged[rep], *j)
		}
	}
	out := map[uuid.UUID][]StageConversion{}
	for k, n := range entered {
		st := stages[k.stage]
		out[k.rep] = append(out[k.rep], StageConversion{Stage: st.Key, Entered: n, Advanced: advanced[k], Rate: ratio(advanced[k], n)})
	}
	for rep, cs := range out {
		sort.Slice(cs, func(i, j int) bool { return positionOf(stages, cs[i].Stage) < positionOf(stages, cs[j].Stage) })
		out[rep] = cs
	}
	for _, js := range judged {
		sort.Slice(js, func(i, j int) bool { return js[i].OpportunityID.String() < js[j].OpportunityID.String() })
	}
	return out, judged
}

func positionOf(stages map[uuid.UUID]stageRow, key string) int {
	for _, st := range stages {
		if st.Key == key {
			return st.Position
		}
	}
	return 0
}

func ratio(n, d int) float64 {
	if d == 0 {
		return 1
	}
	return float64(n) / float64(d)
}
