package report

import (
	"github.com/google/uuid"
)

// RepChange is how a rep's line differs between two versions of a month's report.
type RepChange struct {
	RepID          uuid.UUID      `json:"rep_id"`
	Name           string         `json:"name"`
	Before         *float64       `json:"total_before"` // nil where the rep is absent from that version
	After          *float64       `json:"total_after"`
	MetricsChanged []MetricChange `json:"metrics_changed,omitempty"`
}

// MetricChange is one metric whose actual or target moved.
type MetricChange struct {
	Key          string  `json:"key"`
	ActualBefore float64 `json:"actual_before"`
	ActualAfter  float64 `json:"actual_after"`
	TargetBefore float64 `json:"target_before"`
	TargetAfter  float64 `json:"target_after"`
	ScoreBefore  float64 `json:"score_before"`
	ScoreAfter   float64 `json:"score_after"`
}

// Diff lists the reps whose line changed from prev to cur, in cur's order then those gone.
func Diff(prev, cur Report) []RepChange {
	before := map[uuid.UUID]RepResult{}
	for _, r := range prev.Reps {
		before[r.RepID] = r
	}
	var out []RepChange
	seen := map[uuid.UUID]bool{}
	for _, r := range cur.Reps {
		seen[r.RepID] = true
		after := r.Card.Total
		old, ok := before[r.RepID]
		if !ok {
			out = append(out, RepChange{RepID: r.RepID, Name: r.Name, After: &after})
			continue
		}
		was := old.Card.Total
		ch := RepChange{RepID: r.RepID, Name: r.Name, Before: &was, After: &after, MetricsChanged: metricChanges(old, r)}
		if was != after || len(ch.MetricsChanged) > 0 {
			out = append(out, ch)
		}
	}
	for _, r := range prev.Reps {
		if !seen[r.RepID] {
			was := r.Card.Total
			out = append(out, RepChange{RepID: r.RepID, Name: r.Name, Before: &was})
		}
	}
	return out
}

func metricChanges(old, cur RepResult) []MetricChange {
	prev := map[string]int{}
	for i, m := range old.Card.Metrics {
		prev[m.Key] = i
	}
	var out []MetricChange
	for _, m := range cur.Card.Metrics {
		i, ok := prev[m.Key]
		if !ok {
			out = append(out, MetricChange{Key: m.Key, ActualAfter: m.Actual, TargetAfter: m.Target, ScoreAfter: m.Score})
			continue
		}
		o := old.Card.Metrics[i]
		if o.Actual != m.Actual || o.Target != m.Target || o.Score != m.Score {
			out = append(out, MetricChange{Key: m.Key, ActualBefore: o.Actual, ActualAfter: m.Actual,
				TargetBefore: o.Target, TargetAfter: m.Target, ScoreBefore: o.Score, ScoreAfter: m.Score})
		}
	}
	return out
}
