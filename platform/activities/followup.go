package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
)

// FollowUpQuery names what is followed up, a customer or an opportunity (exactly one), and the
// period [From, To).
type FollowUpQuery struct {
	CustomerID, OpportunityID *uuid.UUID
	From, To                  time.Time
}

// FollowUp is how closely a customer or an opportunity was followed up over a period, for the
// pipeline domain (which declares its own interface for it):
//   - Touches: activities of any kind and direction that occurred in the period;
//   - TouchesPerWeek: Touches over the period's length in weeks (days / 7), the contact frequency;
//   - Kinds: distinct kinds of activity among them (call, meeting, message: 0 to 3);
//   - ContactsReached: distinct contacts actually reached, that is, the contact of an answered
//     call, the contact and attendees of a meeting, the contact of an inbound message or of an
//     outbound one that was replied to. A missed call or an unanswered message reaches nobody.
//
// Only activities the caller may list count.
type FollowUp struct {
	Touches         int
	Weeks           float64
	TouchesPerWeek  float64
	Kinds           int
	ContactsReached int
}

// FollowUp measures the follow-up of a customer (which the caller must be able to see) or of an
// opportunity.
func (s *Service) FollowUp(ctx context.Context, q FollowUpQuery) (FollowUp, error) {
	if (q.CustomerID == nil) == (q.OpportunityID == nil) {
		return FollowUp{}, fault.Field("query.customer_id", "name a customer or an opportunity, one of the two", nil)
	}
	if q.OpportunityID != nil {
		all, err := s.FollowUps(ctx, []uuid.UUID{*q.OpportunityID}, q.From, q.To)
		return all[*q.OpportunityID], err
	}
	if err := checkSpan(q.From, q.To); err != nil {
		return FollowUp{}, err
	}
	var acts []Activity
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if _, err := s.account(ctx, db, *q.CustomerID, ""); err != nil {
			return err
		}
		var err error
		acts, err = s.followedUp(ctx, db, "activities.customer_id = ?", *q.CustomerID, q.From, q.To)
		return err
	})
	if err != nil {
		return FollowUp{}, fmt.Errorf("follow-up: %w", err)
	}
	return followUp(acts, q.To.Sub(q.From)), nil
}

// FollowUps measures the follow-up of each opportunity over [from, to) at once, for the
// appraisal's conversion weighted by follow-up: every id is in the answer, those with no
// activity the caller may list at zero.
func (s *Service) FollowUps(ctx context.Context, opportunities []uuid.UUID, from, to time.Time) (map[uuid.UUID]FollowUp, error) {
	if err := checkSpan(from, to); err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]FollowUp, len(opportunities))
	if len(opportunities) == 0 {
		return out, nil
	}
	var acts []Activity
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var err error
		acts, err = s.followedUp(ctx, db, "activities.opportunity_id IN ?", opportunities, from, to)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("follow-ups: %w", err)
	}
	byOpportunity := map[uuid.UUID][]Activity{}
	for _, a := range acts {
		byOpportunity[*a.OpportunityID] = append(byOpportunity[*a.OpportunityID], a)
	}
	for _, id := range opportunities {
		out[id] = followUp(byOpportunity[id], to.Sub(from))
	}
	return out, nil
}

// checkSpan refuses a period [from, to) that is empty or longer than maxPeriod.
func checkSpan(from, to time.Time) error {
	if !to.After(from) || to.Sub(from) > maxPeriod {
		return fault.Field("query.to", "must be after from, and the period at most 400 days", to)
	}
	return nil
}

// followedUp loads, with their details, the activities the caller may list that occurred in
// [from, to) and match the condition on what was followed up.
func (s *Service) followedUp(ctx context.Context, db *gorm.DB, which string, id any, from, to time.Time) ([]Activity, error) {
	scope, err := s.warden.Scope(ctx, access.List, access.KindActivity, activityColumns)
	if err != nil {
		return nil, err
	}
	var rows []activityRow
	err = db.Model(&activityRow{}).Scopes(scope).
		Where("activities.occurred_at >= ? AND activities.occurred_at < ?", from.UTC(), to.UTC()).
		Where(which, id).Find(&rows).Error
	if err != nil {
		return nil, err
	}
	acts := make([]Activity, len(rows))
	for i, r := range rows {
		acts[i] = toActivity(r)
	}
	return acts, loadActivityDetails(db, acts)
}

// followUp applies FollowUp's rules to the activities of a period of length d.
func followUp(acts []Activity, d time.Duration) FollowUp {
	f := FollowUp{Touches: len(acts), Weeks: d.Hours() / (7 * 24)}
	if f.Weeks > 0 {
		f.TouchesPerWeek = float64(f.Touches) / f.Weeks
	}
	kinds := map[Kind]bool{}
	reached := map[uuid.UUID]bool{}
	for _, a := range acts {
		kinds[a.Kind] = true
		var ids []uuid.UUID
		if a.ContactID != nil {
			ids = append(ids, *a.ContactID)
		}
		switch {
		case a.Kind == KindCall && a.Outcome == OutcomeAnswered,
			a.Kind == KindMessage && (a.Direction == Inbound || a.Replied()):
		case a.Kind == KindMeeting:
			ids = append(ids, a.Attendees...)
		default:
			continue
		}
		for _, id := range ids {
			reached[id] = true
		}
	}
	f.Kinds, f.ContactsReached = len(kinds), len(reached)
	return f
}
