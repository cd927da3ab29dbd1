package pipeline

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

func TestMetricsByHand(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, time.UTC) }
	stages := map[uuid.UUID]stageRow{}
	st := map[string]uuid.UUID{}
	for i, s := range []struct {
		key     string
		p       int
		outcome Outcome
	}{{"qualify", 10, Open}, {"proposal", 40, Open}, {"negotiate", 70, Open}, {"won", 100, Won}, {"lost", 0, Lost}} {
		id := uuid.New()
		st[s.key] = id
		stages[id] = stageRow{ID: id, Key: s.key, Position: i, Probability: s.p, Outcome: string(s.outcome)}
	}
	a, b := uuid.New(), uuid.New()
	var rows []opportunityRow
	var moves []moveRow
	opp := func(owner uuid.UUID, amount string, path ...any) {
		o := opportunityRow{ID: uuid.New(), OwnerID: owner, Amount: decimal.RequireFromString(amount), Status: string(Open)}
		for i := 0; i < len(path); i += 2 {
			at, key := path[i].(time.Time), path[i+1].(string)
			if i == 0 {
				o.CreatedAt = at
			}
			o.StageID = st[key]
			if out := Outcome(stages[st[key]].Outcome); out != Open {
				o.Status, o.ClosedAt = string(out), &at
			}
			moves = append(moves, moveRow{OpportunityID: o.ID, ToStageID: st[key], MovedAt: at})
		}
		rows = append(rows, o)
	}
	opp(a, "1000", day(10, 20), "qualify", day(11, 3), "proposal", day(11, 10), "won")
	opp(a, "2000", day(11, 5), "qualify", day(11, 12), "proposal")
	opp(a, "500", day(11, 8), "qualify", day(11, 20), "lost")
	opp(a, "300", day(11, 25), "qualify")
	// b's deal is won on 3 December: after the period, so open at its end (the query loads no
	// move after To, so its last move here is the one into negotiate).
	opp(b, "4000", day(9, 1), "qualify", day(9, 10), "proposal", day(11, 15), "negotiate")
	won := day(12, 3)
	rows[4].Status, rows[4].ClosedAt, rows[4].StageID = string(Won), &won, st["won"]

	got := compute(MetricsQuery{From: day(11, 1).Truncate(24 * time.Hour), To: day(12, 1).Truncate(24 * time.Hour)}, rows, moves, stages)
	d := decimal.RequireFromString
	want := map[uuid.UUID]RepMetrics{
		// New: the 2000, 500 and 300 deals. Closed in November: 1000 won, 500 lost: 1/2.
		// Open at the end: 2000 in proposal (40 %: 800) and 300 in qualify (10 %: 30).
		// The won deal took 20 October to 10 November: 21 days.
		// Entries in November: qualify by the 2000 (moved on), 500 (lost) and 300 (still there):
		// 1 of 3; proposal by the 1000 (won) and the 2000 (still there): 1 of 2.
		// Judged for conversion, each once: the 1000 (into proposal, then won) and the 2000 (into
		// qualify, then proposal) converted; the 500 (lost) and the 300 (still in qualify) did not.
		a: {RepID: a, NewOpportunities: 3, Won: 1, Lost: 1, WinRate: 0.5, WonValue: d("1000"), OpenValue: d("2300"),
			WeightedValue: d("830"), AvgSalesCycleDays: 21,
			Conversion: []StageConversion{{"qualify", 3, 1, 1.0 / 3}, {"proposal", 2, 1, 0.5}},
			Judged:     []Judged{{rows[0].ID, true}, {rows[1].ID, true}, {rows[2].ID, false}, {rows[3].ID, false}}},
		// Nothing opened or closed in November: a win rate of 1 over nothing. Open at the end:
		// 4000, weighed by the stage it is in now (won, 100 %). It entered negotiate in November
		// and had not moved on by the end.
		b: {RepID: b, WinRate: 1, WonValue: d("0"), OpenValue: d("4000"), WeightedValue: d("4000"),
			Conversion: []StageConversion{{"negotiate", 1, 0, 0}}, Judged: []Judged{{rows[4].ID, false}}},
	}
	if len(got) != 2 {
		t.Fatalf("%d reps, want 2", len(got))
	}
	for _, m := range got {
		if diff := cmp.Diff(want[m.RepID], m, cmp.Comparer(func(x, y decimal.Decimal) bool { return x.Equal(y) }),
			cmpopts.SortSlices(func(x, y Judged) bool { return x.OpportunityID.String() < y.OpportunityID.String() })); diff != "" {
			t.Errorf("rep %s (-want +got):\n%s", m.RepID, diff)
		}
	}
}
