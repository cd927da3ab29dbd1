package visits

import (
	"context"
	"fmt"
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

func (r visitRollupRow) Key() string { return r.Month + string(r.RepID[:]) + string(r.CustomerID[:]) }

func (r visitRollupRow) Plus(d visitRollupRow, sign int) visitRollupRow {
	r.CheckIns += sign * d.CheckIns
	r.VerifiedCheckIns += sign * d.VerifiedCheckIns
	r.Visits += sign * d.Visits
	r.Seconds += float64(sign) * d.Seconds
	return r
}

func (r visitRollupRow) IsZero() bool {
	return r.CheckIns == 0 && r.VerifiedCheckIns == 0 && r.Visits == 0 && r.Seconds == 0
}

// visitChange is a visit before and after a write; nil before means it is new.
type visitChange struct{ before, after *visitRow }

// rollVisits moves the rollups by what the changes did to the visits (rollup.Move), in the
// months of the tenant's zone loc: looked up before the transaction, since on the embedded
// database a lookup on another connection inside it would wait for it.
func rollVisits(db *gorm.DB, loc *time.Location, changes ...visitChange) error {
	var after, before []visitRollupRow
	for _, c := range changes {
		if r, ok := c.after.rolledUp(loc); ok {
			after = append(after, r)
		}
		if r, ok := c.before.rolledUp(loc); ok {
			before = append(before, r)
		}
	}
	return rollup.Move(db, []string{"tenant_id", "month", "rep_id", "customer_id"},
		[]string{"check_ins", "verified_check_ins", "visits", "seconds"}, after, before)
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
