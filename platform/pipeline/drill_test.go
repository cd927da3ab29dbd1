package pipeline

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
)

// recorded writes opportunities of the test pipeline with their moves as the store keeps them,
// at the times given.
type recorded struct {
	t      *testing.T
	w      *world
	f      *tenant
	like   opportunityRow // the placement and pipeline of the opened one
	stages map[string]uuid.UUID
	opps   []opportunityRow
	moves  []moveRow
}

func newRecorded(t *testing.T, w *world, f *tenant) *recorded {
	_, o := w.opened(t, f)
	h := &recorded{t: t, w: w, f: f, stages: map[string]uuid.UUID{}}
	h.tx(func(db *gorm.DB) error {
		if err := db.Where("id = ?", o.ID).Take(&h.like).Error; err != nil {
			return err
		}
		var stages []stageRow
		err := db.Where("pipeline_id = ?", h.like.PipelineID).Find(&stages).Error
		for _, st := range stages {
			h.stages[st.Key] = st.ID
		}
		return err
	})
	return h
}

func (h *recorded) tx(fn func(db *gorm.DB) error) {
	h.t.Helper()
	if err := h.w.s.Tx(identity.System(context.Background(), h.f.id), func(_ context.Context, db *gorm.DB) error { return fn(db) }); err != nil {
		h.t.Fatal(err)
	}
}

// opp adds an opportunity of owner's for amount, opened at path's first time in its first
// stage, then moved at each further time to the stage named; a won or lost stage closes it.
func (h *recorded) opp(owner, amount string, path ...any) uuid.UUID {
	o := h.like
	o.ID, o.OwnerID, o.Amount, o.Status, o.ClosedAt = identity.NewID(), h.f.users[owner].ID, decimal.RequireFromString(amount), string(Open), nil
	var from *uuid.UUID
	for i := 0; i < len(path); i += 2 {
		at, key := path[i].(time.Time).UTC(), path[i+1].(string) // as the service writes them: SQLite compares times as text
		if i == 0 {
			o.CreatedAt, o.UpdatedAt = at, at
		}
		o.StageID, o.StageEnteredAt, o.LastTouchedAt = h.stages[key], at, at
		if key == "won" || key == "lost" {
			o.Status, o.ClosedAt = key, &at
		}
		h.moves = append(h.moves, moveRow{ID: identity.NewID(), OpportunityID: o.ID, FromStageID: from, ToStageID: h.stages[key], MovedAt: at})
		stage := h.stages[key]
		from = &stage
	}
	h.opps = append(h.opps, o)
	return o.ID
}

func (h *recorded) save() {
	h.tx(func(db *gorm.DB) error {
		if err := db.Create(&h.opps).Error; err != nil {
			return err
		}
		return db.Create(&h.moves).Error
	})
}

// June 2026 in Shanghai: the conversion and the pipeline value drill down to exactly the
// opportunities they count, with moves and closes at the month's first and last instants.
func TestPipelineFiguresDrillDown(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0)
	f := w.tenant(t, "acme")
	h := newRecorded(t, w, f)
	sh := time.FixedZone("CST", 8*3600)
	from, to := time.Date(2026, 6, 1, 0, 0, 0, 0, sh), time.Date(2026, 7, 1, 0, 0, 0, 0, sh)
	may, june := time.Date(2026, 5, 10, 9, 0, 0, 0, sh), time.Date(2026, 6, 5, 9, 0, 0, 0, sh)
	// Entered proposal at the first instant, then negotiate: judged, converted; open at the end.
	atStart := h.opp("rep", "100", may, "qualify", from, "proposal", june, "negotiate")
	// Entered proposal just before the month: not judged; open at the end.
	before := h.opp("rep", "200", may, "qualify", from.Add(-time.Microsecond), "proposal")
	// Opened in June and lost: judged, not converted; closed.
	lost := h.opp("rep", "400", june, "qualify", june.Add(time.Hour), "lost")
	// Opened in June, won at the last instant: judged, converted; closed before the end.
	won := h.opp("rep", "800", june, "qualify", to.Add(-time.Second), "won")
	// A move at the end is the next period's: not judged; open at the end.
	movedAtEnd := h.opp("rep", "1600", may, "qualify", to, "proposal")
	// Won at the end: still open at it (weighed by its stage now, won: 100 %).
	wonAtEnd := h.opp("rep", "3200", may, "qualify", to, "won")
	// Opened at the end: neither.
	h.opp("rep", "6400", to, "qualify")
	colleagues := h.opp("rep2", "12800", june, "qualify")
	h.save()

	rep, q := f.users["rep"].ID.String(), url.Values{"from": {from.UTC().Format(time.RFC3339)}, "to": {to.UTC().Format(time.RFC3339)}, "limit": {"1"}}
	conversions := func(key string, q url.Values) map[uuid.UUID]bool {
		out := map[uuid.UUID]bool{}
		for {
			page := call[ConversionPageDTO](t, w, f, key, http.MethodGet, "/api/v1/opportunity-conversions?"+q.Encode(), nil, http.StatusOK)
			for _, j := range page.Opportunities {
				out[j.Opportunity.ID] = j.Converted
			}
			if page.NextCursor == nil {
				return out
			}
			q.Set("cursor", page.NextCursor.String())
		}
	}
	withOwner := func(q url.Values) url.Values {
		c := url.Values{}
		for k, v := range q {
			c[k] = v
		}
		c.Set("owner_id", rep)
		return c
	}
	judged := conversions("mgr", withOwner(q))
	if diff := cmp.Diff(map[uuid.UUID]bool{atStart: true, lost: false, won: true}, judged); diff != "" {
		t.Errorf("judged (-want +got):\n%s", diff)
	}
	ms, err := w.svc.Metrics(w.as(t, f, "mgr"), MetricsQuery{From: from, To: to, RepIDs: []uuid.UUID{f.users["rep"].ID}})
	if err != nil || len(ms) != 1 {
		t.Fatalf("metrics: %+v, %v", ms, err)
	}
	figure := map[uuid.UUID]bool{}
	for _, j := range ms[0].Judged {
		figure[j.OpportunityID] = j.Converted
	}
	if diff := cmp.Diff(figure, judged); diff != "" {
		t.Errorf("the figure's judged (-) and the list (+):\n%s", diff)
	}
	if all := conversions("mgr", q); len(all) != 4 || !all[atStart] || all[colleagues] {
		t.Errorf("every rep's judged: %v", all)
	}
	for _, key := range []string{"rep2", "mgrSouth"} {
		if got := conversions(key, withOwner(q)); len(got) != 0 {
			t.Errorf("%s sees the rep's judged opportunities: %v", key, got)
		}
	}

	open := func(key string) map[uuid.UUID]OpportunityDTO {
		out := map[uuid.UUID]OpportunityDTO{}
		page := call[OpportunityPageDTO](t, w, f, key, http.MethodGet, "/api/v1/opportunities?owner_id="+rep+"&open_at="+url.QueryEscape(to.UTC().Format(time.RFC3339)), nil, http.StatusOK)
		for _, o := range page.Opportunities {
			out[o.ID] = o
		}
		return out
	}
	listed := open("mgr")
	value, weighted := decimal.Zero, decimal.Zero
	for _, o := range listed {
		a := decimal.RequireFromString(o.Amount)
		value, weighted = value.Add(a), weighted.Add(a.Mul(decimal.NewFromInt(int64(o.Stage.Probability))).Div(decimal.NewFromInt(100)))
	}
	if len(listed) != 4 || listed[atStart].ID == uuid.Nil || listed[before].ID == uuid.Nil || listed[movedAtEnd].ID == uuid.Nil || listed[wonAtEnd].ID == uuid.Nil {
		t.Errorf("open at the end: %v", listed)
	}
	if !value.Equal(ms[0].OpenValue) || !weighted.Equal(ms[0].WeightedValue) {
		t.Errorf("the figure: %s open, %s weighted; the list: %s, %s", ms[0].OpenValue, ms[0].WeightedValue, value, weighted)
	}
	for _, key := range []string{"rep2", "mgrSouth"} {
		if got := open(key); len(got) != 0 {
			t.Errorf("%s sees the rep's open opportunities: %v", key, got)
		}
	}
}
