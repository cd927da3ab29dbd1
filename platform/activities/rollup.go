package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/rollup"
	"github.com/repflow/repflow/platform/store"
)

// activityRollupRow is a row of activity_rollups (migrations/0018_metric_rollups.go): what one
// rep's activities at the customers of one region that occurred in one month add up to, by the
// rules of tallySQL, which these rows answer for a period of whole months. Kept per region
// because what a caller may see of activities is decided by their owner and region.
type activityRollupRow struct {
	TenantID                uuid.UUID
	Month                   string
	OwnerID                 uuid.UUID
	RegionID                uuid.UUID
	Calls                   int
	OutboundCalls           int
	AnsweredOutboundCalls   int
	AnsweredCalls           int
	CallSeconds             int64
	Messages                int
	OutboundMessages        int
	RepliedOutboundMessages int
	Meetings                int
}

func (activityRollupRow) TableName() string { return "activity_rollups" }

// rollupColumns are the counters of activity_rollups, in the order of the table.
var rollupColumns = []string{"calls", "outbound_calls", "answered_outbound_calls", "answered_calls", "call_seconds",
	"messages", "outbound_messages", "replied_outbound_messages", "meetings"}

// rolledUp is what the activity adds to its rollup row, by the rules of perKindSelect and
// tallySQL.
func (r *activityRow) rolledUp(loc *time.Location) activityRollupRow {
	out := activityRollupRow{Month: rollup.Month(r.OccurredAt, loc), OwnerID: r.OwnerID, RegionID: r.RegionID}
	outbound := r.Direction != nil && *r.Direction == string(Outbound)
	switch Kind(r.Kind) {
	case KindCall:
		out.Calls = 1
		answered := r.Outcome != nil && *r.Outcome == string(OutcomeAnswered)
		if outbound {
			out.OutboundCalls = 1
		}
		if answered {
			out.AnsweredCalls = 1
			if r.DurationS != nil {
				out.CallSeconds = int64(*r.DurationS)
			}
			if outbound {
				out.AnsweredOutboundCalls = 1
			}
		}
	case KindMessage:
		out.Messages = 1
		if outbound {
			out.OutboundMessages = 1
			if r.RepliedAt != nil || r.HasReply {
				out.RepliedOutboundMessages = 1
			}
		}
	case KindMeeting:
		out.Meetings = 1
	}
	return out
}

func (r activityRollupRow) Key() string {
	return r.Month + string(r.OwnerID[:]) + string(r.RegionID[:])
}

func (r activityRollupRow) Plus(d activityRollupRow, sign int) activityRollupRow {
	r.Calls += sign * d.Calls
	r.OutboundCalls += sign * d.OutboundCalls
	r.AnsweredOutboundCalls += sign * d.AnsweredOutboundCalls
	r.AnsweredCalls += sign * d.AnsweredCalls
	r.CallSeconds += int64(sign) * d.CallSeconds
	r.Messages += sign * d.Messages
	r.OutboundMessages += sign * d.OutboundMessages
	r.RepliedOutboundMessages += sign * d.RepliedOutboundMessages
	r.Meetings += sign * d.Meetings
	return r
}

func (r activityRollupRow) IsZero() bool {
	return r == activityRollupRow{TenantID: r.TenantID, Month: r.Month, OwnerID: r.OwnerID, RegionID: r.RegionID}
}

// activityChange is an activity before and after a write; nil before means it is new.
type activityChange struct{ before, after *activityRow }

// rollActivities moves the rollups by what the changes did to the activities (rollup.Move), in
// the months of the tenant's zone loc: looked up before the transaction, since on the embedded
// database a lookup on another connection inside it would wait for it.
func rollActivities(db *gorm.DB, loc *time.Location, changes ...activityChange) error {
	var after, before []activityRollupRow
	for _, c := range changes {
		if c.after != nil {
			after = append(after, c.after.rolledUp(loc))
		}
		if c.before != nil {
			before = append(before, c.before.rolledUp(loc))
		}
	}
	return rollup.Move(db, []string{"tenant_id", "month", "owner_id", "region_id"}, rollupColumns, after, before)
}

// lockActivity loads an activity the caller is about to change, keeping others from changing
// it until the transaction ends (SQLite's transactions hold the write lock from BEGIN).
func (s *Service) lockActivity(db *gorm.DB, id uuid.UUID) (*activityRow, error) {
	var r activityRow
	q := db.Where("id = ?", id)
	if s.store.Dialect() == store.Postgres {
		q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	if err := q.Take(&r).Error; err != nil {
		return nil, fmt.Errorf("load activity %s: %w", id, err)
	}
	return &r, nil
}

// rolledUpTallies is tallies over whole months, from the rollups, with the same access filter.
func (s *Service) rolledUpTallies(ctx context.Context, db *gorm.DB, reps []uuid.UUID, months []string) (map[uuid.UUID]Tally, error) {
	scope, err := s.warden.Scope(ctx, access.List, access.KindActivity,
		access.Columns{Owner: "activity_rollups.owner_id", RegionID: "activity_rollups.region_id"})
	if err != nil {
		return nil, err
	}
	sel := "activity_rollups.owner_id"
	for _, c := range rollupColumns {
		sel += ", SUM(activity_rollups." + c + ") AS " + c
	}
	var rows []tallyRow
	err = db.Model(&activityRollupRow{}).Scopes(scope).Select(sel).
		Where("activity_rollups.owner_id IN ? AND activity_rollups.month IN ?", reps, months).
		Group("activity_rollups.owner_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("sum activity rollups: %w", err)
	}
	out := make(map[uuid.UUID]Tally, len(rows))
	for _, r := range rows {
		out[r.OwnerID] = r.tally()
	}
	return out, nil
}

// RebuildRollups recomputes the tenant's activity rollups from its activities (see
// rollup.Rebuild): after an upgrade that introduced them, or a bulk load that wrote activities
// directly.
func (s *Service) RebuildRollups(ctx context.Context) error {
	loc, err := s.timeZone(ctx)
	if err != nil {
		return err
	}
	bounds := func(db *gorm.DB) (*time.Time, *time.Time, error) {
		var first, last activityRow
		err := db.Order("occurred_at").Limit(1).Find(&first).Error
		if err == nil {
			err = db.Order("occurred_at DESC").Limit(1).Find(&last).Error
		}
		if err != nil || first.ID == uuid.Nil {
			return nil, nil, err
		}
		return &first.OccurredAt, &last.OccurredAt, nil
	}
	fill := func(db *gorm.DB, m rollup.Span) error {
		perKind := db.Model(&activityRow{}).Select("activities.region_id, "+perKindSelect).
			Where("activities.occurred_at >= ? AND activities.occurred_at < ?", m.From, m.To).
			Group("activities.owner_id, activities.region_id, activities.kind, activities.direction")
		cols := "tenant_id, month, owner_id, region_id"
		for _, c := range rollupColumns {
			cols += ", " + c
		}
		return db.Exec("INSERT INTO activity_rollups ("+cols+") SELECT ?, ?, owner_id, region_id, "+tallySums+
			" FROM (?) per_kind GROUP BY owner_id, region_id", identity.TenantID(ctx), m.Month, perKind).Error
	}
	return rollup.Rebuild(ctx, s.store, rollup.Activities, activityRollupRow{}, loc, bounds, fill)
}
