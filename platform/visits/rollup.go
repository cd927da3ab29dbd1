package visits

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/rollup"
)

// visitRollupRow is a row of visit_rollups (migrations/0018_metric_rollups.go): what one rep's
// closed visits to one customer that started in one month add up to, by the rules of
// visitSums, and stand in for them over a period of whole months (rolledUpSums).
type visitRollupRow struct {
	TenantID         uuid.UUID
	Month            string
	RepID            uuid.UUID
	CustomerID       uuid.UUID
	CheckIns         int
	VerifiedCheckIns int
	Visits           int
	Seconds          float64
}

func (visitRollupRow) TableName() string { return "visit_rollups" }

// rolledUp is what the visit adds to its rollup row, by the rules of visitSums; an open visit
// adds nothing (ok false).
func (r *visitRow) rolledUp(loc *time.Location) (visitRollupRow, bool) {
	if r == nil || r.Status != string(VisitClosed) || r.EndedAt == nil {
		return visitRollupRow{}, false
	}
	out := visitRollupRow{Month: rollup.Month(r.StartedAt, loc), RepID: r.RepID, CustomerID: r.CustomerID}
	rejected := r.ReviewStatus == string(ReviewRejected)
	if r.Source == string(SourceCheckIn) {
		out.CheckIns = 1
		if r.ReviewStatus == string(ReviewAccepted) || (r.Trusted && !rejected) {
			out.VerifiedCheckIns = 1
		}
	}
	if !rejected {
		out.Visits, out.Seconds = 1, r.EndedAt.Sub(r.StartedAt).Seconds()
	}
	return out, true
}

// visitChange is a visit before and after a write; nil before means it is new.
type visitChange struct{ before, after *visitRow }

// rollVisits moves the rollups by what the changes did to the visits, in the write's
// transaction: each visit's contribution after, minus before, in the months of the tenant's
// zone loc (looked up before the transaction: on the embedded database a lookup on another
// connection inside it would wait for it). The rows are upserted in key order, so two writers
// never take each other's rows in opposite orders.
func rollVisits(db *gorm.DB, loc *time.Location, changes ...visitChange) error {
	type key struct {
		month         string
		rep, customer uuid.UUID
	}
	sums := map[key]visitRollupRow{}
	add := func(v *visitRow, sign int) {
		r, ok := v.rolledUp(loc)
		if !ok {
			return
		}
		k := key{r.Month, r.RepID, r.CustomerID}
		t := sums[k]
		t.Month, t.RepID, t.CustomerID = r.Month, r.RepID, r.CustomerID
		t.CheckIns += sign * r.CheckIns
		t.VerifiedCheckIns += sign * r.VerifiedCheckIns
		t.Visits += sign * r.Visits
		t.Seconds += float64(sign) * r.Seconds
		sums[k] = t
	}
	for _, c := range changes {
		add(c.after, 1)
		add(c.before, -1)
	}
	rows := make([]visitRollupRow, 0, len(sums))
	for _, r := range sums {
		if r.CheckIns != 0 || r.VerifiedCheckIns != 0 || r.Visits != 0 || r.Seconds != 0 {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	slices.SortFunc(rows, func(a, b visitRollupRow) int {
		if c := cmp.Compare(a.Month, b.Month); c != 0 {
			return c
		}
		if c := compareIDs(a.RepID, b.RepID); c != 0 {
			return c
		}
		return compareIDs(a.CustomerID, b.CustomerID)
	})
	err := db.Clauses(rollup.Adding("visit_rollups", []string{"tenant_id", "month", "rep_id", "customer_id"},
		[]string{"check_ins", "verified_check_ins", "visits", "seconds"})).CreateInBatches(rows, 500).Error
	if err != nil {
		return fmt.Errorf("roll up visits: %w", err)
	}
	return nil
}

// rereadVisit loads a visit the caller has just changed: the row as its write left it, which
// may differ from what the caller loaded before if a concurrent change committed first (its
// write waited for it and then applied to the newer row).
func rereadVisit(db *gorm.DB, id uuid.UUID) (*visitRow, error) {
	var r visitRow
	if err := db.Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, fmt.Errorf("reload visit %s: %w", id, err)
	}
	return &r, nil
}

func compareIDs(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }

// rolledUpSums is visitSums over whole months, from the rollups. A month's rows are already one
// per rep and customer: grouping them again cost as much as the join that follows.
func rolledUpSums(db *gorm.DB, reps []uuid.UUID, months []string) *gorm.DB {
	if len(months) == 1 {
		return db.Model(&visitRollupRow{}).
			Select(`visit_rollups.tenant_id, visit_rollups.rep_id, visit_rollups.customer_id, visit_rollups.check_ins,
				visit_rollups.verified_check_ins, visit_rollups.visits, visit_rollups.seconds`).
			Where("visit_rollups.rep_id IN ? AND visit_rollups.month = ?", reps, months[0])
	}
	return db.Model(&visitRollupRow{}).
		Select(`visit_rollups.tenant_id, visit_rollups.rep_id, visit_rollups.customer_id,
			SUM(visit_rollups.check_ins) AS check_ins, SUM(visit_rollups.verified_check_ins) AS verified_check_ins,
			SUM(visit_rollups.visits) AS visits, SUM(visit_rollups.seconds) AS seconds`).
		Where("visit_rollups.rep_id IN ? AND visit_rollups.month IN ?", reps, months).
		Group("visit_rollups.tenant_id, visit_rollups.rep_id, visit_rollups.customer_id")
}

// visitedInMonths is visitedInPeriod over whole months, from the rollups.
func visitedInMonths(months []string) clause.Expr {
	return gorm.Expr(`EXISTS (SELECT 1 FROM visit_rollups r WHERE r.tenant_id = customers.tenant_id AND r.month IN ?
		AND r.rep_id = customers.owner_id AND r.customer_id = customers.id AND r.visits > 0)`, months)
}

// RebuildRollups recomputes the tenant's visit rollups from its visits (see rollup.Rebuild):
// after an upgrade that introduced them, or a bulk load that wrote visits directly.
func (s *Service) RebuildRollups(ctx context.Context) error {
	loc, err := s.timeZone(ctx)
	if err != nil {
		return err
	}
	bounds := func(db *gorm.DB) (*time.Time, *time.Time, error) {
		var b struct{ First, Last aggregateTime }
		err := db.Model(&visitRow{}).Select("MIN(started_at) AS first, MAX(started_at) AS last").
			Where("status = ?", VisitClosed).Scan(&b).Error
		if err != nil || b.First.IsZero() {
			return nil, nil, err
		}
		return &b.First.Time, &b.Last.Time, nil
	}
	fill := func(db *gorm.DB, m rollup.Span) error {
		sums := visitSums(db, s.store.Dialect()).
			Where("visits.started_at >= ? AND visits.started_at < ?", m.From, m.To)
		return db.Exec(`INSERT INTO visit_rollups (tenant_id, month, rep_id, customer_id, check_ins, verified_check_ins, visits, seconds)
			SELECT sums.tenant_id, ?, sums.rep_id, sums.customer_id, sums.check_ins, sums.verified_check_ins, sums.visits, sums.seconds
			FROM (?) AS sums`, m.Month, sums).Error
	}
	return rollup.Rebuild(ctx, s.store, rollup.Visits, visitRollupRow{}, loc, bounds, fill)
}

// useRollups reports whether the figures of [from, to) can come from the rollups, and of which
// months: the period is made of whole months and the tenant's rollups are built.
func useRollups(db *gorm.DB, from, to time.Time, loc *time.Location) ([]string, bool, error) {
	months, whole := rollup.WholeMonths(from, to, loc)
	if !whole {
		return nil, false, nil
	}
	ready, err := rollup.Ready(db, rollup.Visits)
	return months, ready, err
}
