package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
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

// fact is what the figures need of one activity.
type fact struct {
	OwnerID    uuid.UUID
	CustomerID uuid.UUID
	Kind       string
	Direction  *string
	DurationS  *int
	Outcome    *string
	Replied    bool
	KeyAccount bool
}

// tally counts facts (all of one rep).
func tally(facts []fact) Tally {
	var t Tally
	keys := map[uuid.UUID]bool{}
	for _, f := range facts {
		out := deref[Direction](f.Direction) == Outbound
		switch Kind(f.Kind) {
		case KindCall:
			t.Calls++
			answered := deref[Outcome](f.Outcome) == OutcomeAnswered
			if answered {
				t.AnsweredCalls++
				if f.DurationS != nil {
					t.CallTime += time.Duration(*f.DurationS) * time.Second
				}
			}
			if out {
				t.OutboundCalls++
				if answered {
					t.AnsweredOutboundCalls++
				}
			}
		case KindMessage:
			t.Messages++
			if out {
				t.OutboundMessages++
				if f.Replied {
					t.RepliedOutboundMessages++
				}
			}
		case KindMeeting:
			t.Meetings++
		}
		if f.KeyAccount {
			t.KeyAccountTouches++
			keys[f.CustomerID] = true
		}
	}
	t.KeyAccountsTouched = len(keys)
	return t
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
		facts, err := s.facts(ctx, db, reps, from.UTC(), to.UTC())
		if err != nil {
			return err
		}
		milestones, err := s.repMilestones(ctx, db, reps, q.From, q.To)
		if err != nil {
			return err
		}
		for _, rep := range reps {
			out = append(out, figures(rep, tally(facts[rep]), punctuality(milestones[rep], q.From, q.To, today)))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("activity metrics: %w", err)
	}
	return out, nil
}

// facts loads the reps' activities that occurred in [from, to), as far as the caller may list them.
func (s *Service) facts(ctx context.Context, db *gorm.DB, reps []uuid.UUID, from, to time.Time) (map[uuid.UUID][]fact, error) {
	scope, err := s.warden.Scope(ctx, access.List, access.KindActivity, activityColumns)
	if err != nil {
		return nil, err
	}
	var rows []fact
	err = db.Model(&activityRow{}).Scopes(scope).
		Select(`activities.owner_id, activities.customer_id, activities.kind, activities.direction, activities.duration_s, activities.outcome,
			(activities.replied_at IS NOT NULL OR EXISTS (SELECT 1 FROM activities r
				WHERE r.tenant_id = activities.tenant_id AND r.reply_to_id = activities.id)) AS replied,
			EXISTS (SELECT 1 FROM key_accounts k
				WHERE k.tenant_id = activities.tenant_id AND k.customer_id = activities.customer_id) AS key_account`).
		Where("activities.owner_id IN ? AND activities.occurred_at >= ? AND activities.occurred_at < ?", reps, from, to).
		Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load activities: %w", err)
	}
	out := map[uuid.UUID][]fact{}
	for _, f := range rows {
		out[f.OwnerID] = append(out[f.OwnerID], f)
	}
	return out, nil
}

// repMilestones loads the milestones planned in [from, to) of projects the reps own.
func (s *Service) repMilestones(ctx context.Context, db *gorm.DB, reps []uuid.UUID, from, to string) (map[uuid.UUID][]Milestone, error) {
	scope, err := s.warden.Scope(ctx, access.List, access.KindProject, projectColumns)
	if fault.Is(err, fault.Forbidden) {
		return nil, nil // the caller's roles show no project: no milestone is judged
	}
	if err != nil {
		return nil, err
	}
	var rows []struct {
		OwnerID           uuid.UUID
		PlannedOn, DoneOn string
	}
	err = db.Model(&projectRow{}).Scopes(scope).
		Select("projects.owner_id, project_milestones.planned_on, COALESCE(project_milestones.done_on, '') AS done_on").
		Joins("JOIN project_milestones ON project_milestones.tenant_id = projects.tenant_id AND project_milestones.project_id = projects.id").
		Where("projects.owner_id IN ? AND project_milestones.planned_on >= ? AND project_milestones.planned_on < ?", reps, from, to).
		Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load milestones: %w", err)
	}
	out := map[uuid.UUID][]Milestone{}
	for _, r := range rows {
		out[r.OwnerID] = append(out[r.OwnerID], Milestone{PlannedOn: r.PlannedOn, DoneOn: r.DoneOn})
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
