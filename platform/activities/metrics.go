package activities

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/rollup"
	"github.com/repflow/repflow/platform/store"
)

// What counts, for the figures the appraisal scores reps on (an activity counts for the rep who
// logged it, in the period it occurred in):
//   - call response rate: outbound calls answered / outbound calls (an inbound call is answered
//     by the rep, so it says nothing about reaching the customer);
//   - message response rate: outbound messages replied / outbound messages, where a message is
//     replied when it has a reply time or an inbound message names it as the one it answers
//     (even when the reply came after the period);
//   - response rate: both together, (answered + replied) / (outbound calls + outbound messages);
//   - average call duration: over answered calls, both ways; an unanswered call's ringing is not
//     a conversation;
//   - milestone punctuality: see Punctuality, over milestones of projects the rep owns;
//   - key-account touches: activities on accounts marked key now (see accounts.go), and the
//     number of distinct key accounts so touched.
// Every ratio is 1 when there was nothing to judge; the counts are given beside it.

// MetricsQuery selects reps and a period [From, To), both days in the tenant's time zone.
type MetricsQuery struct {
	From, To string      // YYYY-MM-DD; To is exclusive
	RepIDs   []uuid.UUID // empty: every rep the caller may see the activities of
}

// Tally is the activity counts of one rep over a period.
type Tally struct {
	Calls, OutboundCalls, AnsweredOutboundCalls, AnsweredCalls int
	CallTime                                                   time.Duration // of answered calls
	Messages, OutboundMessages, RepliedOutboundMessages        int
	Meetings                                                   int
	KeyAccountTouches                                          int
	KeyAccountsTouched                                         int
}

// RepMetrics are one rep's activity figures over a period.
type RepMetrics struct {
	RepID uuid.UUID
	Tally
	AvgCallDuration     time.Duration
	CallResponseRate    float64
	MessageResponseRate float64
	ResponseRate        float64
	Milestones          Punctuality
}

// figures turns counts into the rates.
func figures(rep uuid.UUID, t Tally, p Punctuality) RepMetrics {
	m := RepMetrics{RepID: rep, Tally: t, Milestones: p,
		CallResponseRate:    ratio(t.AnsweredOutboundCalls, t.OutboundCalls),
		MessageResponseRate: ratio(t.RepliedOutboundMessages, t.OutboundMessages),
		ResponseRate:        ratio(t.AnsweredOutboundCalls+t.RepliedOutboundMessages, t.OutboundCalls+t.OutboundMessages)}
	if t.AnsweredCalls > 0 {
		m.AvgCallDuration = (t.CallTime / time.Duration(t.AnsweredCalls)).Round(time.Second)
	}
	return m
}

// Metrics is the source of activity figures for the appraisal domain, which declares its own
// interface for it; it reads only what the caller may see.
func (s *Service) Metrics(ctx context.Context, q MetricsQuery) ([]RepMetrics, error) {
	ctx = store.Analytical(ctx)
	loc, err := s.timeZone(ctx)
	if err != nil {
		return nil, err
	}
	from, to, err := period(q.From, q.To, loc)
	if err != nil {
		return nil, err
	}
	today, err := s.today(ctx)
	if err != nil {
		return nil, err
	}
	out := []RepMetrics{}
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		reps, err := s.visibleReps(ctx, db, q.RepIDs)
		if err != nil || len(reps) == 0 {
			return err
		}
		tallies, err := s.tallies(ctx, db, reps, from.UTC(), to.UTC(), loc)
		if err != nil {
			return err
		}
		milestones, err := s.repMilestones(ctx, db, reps, q.From, q.To)
		if err != nil {
			return err
		}
		for _, rep := range reps {
			out = append(out, figures(rep, tallies[rep], punctuality(milestones[rep], q.From, q.To, today)))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("activity metrics: %w", err)
	}
	return out, nil
}

// perKindSelect counts the period's activities per rep, kind and direction, and tallySQL folds
// those few rows per rep into one, as the documentation above says. Two steps because the work
// per activity is what costs over millions of rows: four aggregates each instead of nine, which on
// PostgreSQL takes a third less time. The values are the stored ones (the CHECKs of
// migrations/0009_activities.go, and Outcome).
//
// A message is replied when it has a reply time or a reply names it: has_reply, which logging
// the reply sets, so every row answers for itself (a reply after the period, or logged by
// someone else, counts) and PostgreSQL's parallel workers can share the scan.
const perKindSelect = `activities.owner_id, activities.kind, activities.direction, COUNT(*) AS total,
	SUM(CASE WHEN activities.outcome = 'answered' THEN 1 ELSE 0 END) AS answered,
	SUM(CASE WHEN activities.outcome = 'answered' THEN activities.duration_s ELSE 0 END) AS answered_seconds,
	SUM(CASE WHEN activities.kind = 'message' AND activities.direction = 'out'
		AND (activities.replied_at IS NOT NULL OR activities.has_reply) THEN 1 ELSE 0 END) AS replied`

const tallySQL = `SELECT owner_id, ` + tallySums + ` FROM (?) per_kind GROUP BY owner_id`

// tallySums are the figures' counters summed from perKindSelect's rows, in the order of
// rollupColumns (the rebuild of the rollups inserts them in that order).
const tallySums = `SUM(CASE WHEN kind = 'call' THEN total ELSE 0 END) AS calls,
	SUM(CASE WHEN kind = 'call' AND direction = 'out' THEN total ELSE 0 END) AS outbound_calls,
	SUM(CASE WHEN kind = 'call' AND direction = 'out' THEN answered ELSE 0 END) AS answered_outbound_calls,
	SUM(CASE WHEN kind = 'call' THEN answered ELSE 0 END) AS answered_calls,
	SUM(CASE WHEN kind = 'call' THEN answered_seconds ELSE 0 END) AS call_seconds,
	SUM(CASE WHEN kind = 'message' THEN total ELSE 0 END) AS messages,
	SUM(CASE WHEN kind = 'message' AND direction = 'out' THEN total ELSE 0 END) AS outbound_messages,
	SUM(replied) AS replied_outbound_messages,
	SUM(CASE WHEN kind = 'meeting' THEN total ELSE 0 END) AS meetings`

// tallyRow is one rep's row of tallySQL.
type tallyRow struct {
	OwnerID                                                    uuid.UUID
	Calls, OutboundCalls, AnsweredOutboundCalls, AnsweredCalls int
	CallSeconds                                                int64
	Messages, OutboundMessages, RepliedOutboundMessages        int
	Meetings                                                   int
}

func (r tallyRow) tally() Tally {
	return Tally{Calls: r.Calls, OutboundCalls: r.OutboundCalls, AnsweredOutboundCalls: r.AnsweredOutboundCalls,
		AnsweredCalls: r.AnsweredCalls, CallTime: time.Duration(r.CallSeconds) * time.Second,
		Messages: r.Messages, OutboundMessages: r.OutboundMessages, RepliedOutboundMessages: r.RepliedOutboundMessages,
		Meetings: r.Meetings}
}

// tallies counts the reps' activities that occurred in [from, to), as far as the caller may list
// them. The database groups the period's rows by rep: a large tenant's month is millions of
// rows, and only one row per rep comes back. A rep with no activity has no entry.
//
// A period of whole months is read from the rollups once the tenant's are built: a few rows per
// rep and month instead of every activity.
func (s *Service) tallies(ctx context.Context, db *gorm.DB, reps []uuid.UUID, from, to time.Time, loc *time.Location) (map[uuid.UUID]Tally, error) {
	scope, err := s.warden.Scope(ctx, access.List, access.KindActivity, activityColumns)
	if err != nil {
		return nil, err
	}
	inPeriod := func() *gorm.DB {
		return db.Model(&activityRow{}).Scopes(scope).
			Where("activities.owner_id IN ? AND activities.occurred_at >= ? AND activities.occurred_at < ?", reps, from, to)
	}
	var out map[uuid.UUID]Tally
	months, rolled, err := rollup.Use(db, rollup.Activities, from, to, loc)
	if err != nil {
		return nil, err
	}
	if rolled {
		if out, err = s.rolledUpTallies(ctx, db, reps, months); err != nil {
			return nil, err
		}
		return out, countKeyAccounts(db, inPeriod, out)
	}
	perKind := inPeriod().Select(perKindSelect).Group("activities.owner_id, activities.kind, activities.direction")
	var rows []tallyRow
	if err := db.Raw(tallySQL, perKind).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count activities: %w", err)
	}
	out = make(map[uuid.UUID]Tally, len(rows))
	for _, r := range rows {
		out[r.OwnerID] = r.tally()
	}
	return out, countKeyAccounts(db, inPeriod, out)
}

// countKeyAccounts adds the key-account touches, and the distinct key accounts touched, of each
// rep among the activities q selects. Apart from the tally because COUNT(DISTINCT) beside its
// sums would make PostgreSQL sort the whole period by rep instead of hashing it. The key
// accounts are listed first and asked for by id, through activities_customer_time: joined, they
// made PostgreSQL walk that index over every customer (5.5 s against 1.1 s for 2,000 key accounts
// of a 2,000-rep month, EXPLAIN ANALYZE). A customer is in one list only, so the lists' distinct
// counts add up.
func countKeyAccounts(db *gorm.DB, q func() *gorm.DB, tallies map[uuid.UUID]Tally) error {
	var keys []uuid.UUID
	if err := db.Model(&keyAccountRow{}).Pluck("customer_id", &keys).Error; err != nil {
		return fmt.Errorf("list key accounts: %w", err)
	}
	for chunk := range slices.Chunk(keys, 5000) { // well under the 65,535 parameters of a statement
		var rows []struct {
			OwnerID           uuid.UUID
			Touches, Accounts int
		}
		err := q().Select("activities.owner_id, COUNT(*) AS touches, COUNT(DISTINCT activities.customer_id) AS accounts").
			Where("activities.customer_id IN ?", chunk).Group("activities.owner_id").Scan(&rows).Error
		if err != nil {
			return fmt.Errorf("count key accounts: %w", err)
		}
		for _, r := range rows {
			t := tallies[r.OwnerID]
			t.KeyAccountTouches += r.Touches
			t.KeyAccountsTouched += r.Accounts
			tallies[r.OwnerID] = t
		}
	}
	return nil
}

// repMilestones loads the milestones planned in [from, to) of projects the reps own, by
// planned day.
func (s *Service) repMilestones(ctx context.Context, db *gorm.DB, reps []uuid.UUID, from, to string) (map[uuid.UUID][]Milestone, error) {
	scope, err := s.warden.Scope(ctx, access.List, access.KindProject, projectColumns)
	if fault.Is(err, fault.Forbidden) {
		return nil, nil // the caller's roles show no project: no milestone is judged
	}
	if err != nil {
		return nil, err
	}
	var rows []struct {
		OwnerID, ID, ProjectID uuid.UUID
		Name, PlannedOn        string
		DoneOn                 *string
		CreatedAt, UpdatedAt   time.Time
	}
	err = db.Model(&projectRow{}).Scopes(scope).
		Select(`projects.owner_id, project_milestones.id, project_milestones.project_id, project_milestones.name,
			project_milestones.planned_on, project_milestones.done_on, project_milestones.created_at, project_milestones.updated_at`).
		Joins("JOIN project_milestones ON project_milestones.tenant_id = projects.tenant_id AND project_milestones.project_id = projects.id").
		Where("projects.owner_id IN ? AND project_milestones.planned_on >= ? AND project_milestones.planned_on < ?", reps, from, to).
		Order("project_milestones.planned_on, project_milestones.id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load milestones: %w", err)
	}
	out := map[uuid.UUID][]Milestone{}
	for _, r := range rows {
		out[r.OwnerID] = append(out[r.OwnerID], toMilestone(milestoneRow{ID: r.ID, ProjectID: r.ProjectID, Name: r.Name,
			PlannedOn: r.PlannedOn, DoneOn: r.DoneOn, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}))
	}
	return out, nil
}

type userRow struct {
	TenantID, ID uuid.UUID
}

func (userRow) TableName() string { return "users" }

// visibleReps returns the reps (optionally only those asked for) whose activities the caller may
// list, ordered by id.
func (s *Service) visibleReps(ctx context.Context, db *gorm.DB, only []uuid.UUID) ([]uuid.UUID, error) {
	scope, err := s.warden.Scope(ctx, access.List, access.KindActivity, access.Columns{Owner: "users.id", RegionPath: "regions.path"})
	if err != nil {
		return nil, err
	}
	q := db.Model(&userRow{}).
		Joins("JOIN regions ON regions.tenant_id = users.tenant_id AND regions.id = users.region_id").
		Where("EXISTS (SELECT 1 FROM user_roles ur WHERE ur.tenant_id = users.tenant_id AND ur.user_id = users.id AND ur.role = ?)", identity.RoleRep).
		Scopes(scope)
	if len(only) > 0 {
		q = q.Where("users.id IN ?", only)
	}
	var ids []uuid.UUID
	if err := q.Order("users.id").Pluck("users.id", &ids).Error; err != nil {
		return nil, fmt.Errorf("load reps: %w", err)
	}
	return ids, nil
}
