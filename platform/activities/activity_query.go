package activities

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
)

// activityColumns place an activity for scopes: owned by the rep who logged it, in its
// customer's region.
var activityColumns = access.Columns{Owner: "activities.owner_id", RegionID: "activities.region_id"}

// ListActivities returns the activities the caller may list, newest first, one page at a time.
func (s *Service) ListActivities(ctx context.Context, f ActivityFilter) (ActivityPage, error) {
	if f.Limit <= 0 {
		f.Limit = DefaultPageSize
	}
	f.Limit = min(f.Limit, MaxPageSize)
	after, err := parseCursor(f.Cursor)
	if err != nil {
		return ActivityPage{}, err
	}
	if f.Kind != "" && f.Kind != KindCall && f.Kind != KindMeeting && f.Kind != KindMessage {
		return ActivityPage{}, fault.Field("query.kind", `must be "call", "meeting" or "message"`, string(f.Kind))
	}
	if f.Direction != "" {
		if err := validDirection(f.Direction); err != nil {
			return ActivityPage{}, fault.Field("query.direction", `must be "in" or "out"`, string(f.Direction))
		}
	}
	var page ActivityPage
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, access.KindActivity, activityColumns)
		if err != nil {
			return err
		}
		q := db.Model(&activityRow{}).Scopes(scope)
		if f.CustomerID != nil {
			q = q.Where("activities.customer_id = ?", *f.CustomerID)
		}
		if f.ContactID != nil {
			// The contact spoken to, or one of a meeting's attendees.
			q = q.Where(`(activities.contact_id = ? OR EXISTS (SELECT 1 FROM activity_contacts ac
				WHERE ac.tenant_id = activities.tenant_id AND ac.activity_id = activities.id AND ac.contact_id = ?))`, *f.ContactID, *f.ContactID)
		}
		if f.OpportunityID != nil {
			q = q.Where("activities.opportunity_id = ?", *f.OpportunityID)
		}
		if f.OwnerID != nil {
			q = q.Where("activities.owner_id = ?", *f.OwnerID)
		}
		if f.Kind != "" {
			q = q.Where("activities.kind = ?", f.Kind)
		}
		if f.Direction != "" {
			q = q.Where("activities.direction = ?", f.Direction)
		}
		if !f.From.IsZero() {
			q = q.Where("activities.occurred_at >= ?", f.From.UTC())
		}
		if !f.To.IsZero() {
			q = q.Where("activities.occurred_at < ?", f.To.UTC())
		}
		if after != nil {
			cond, args := after.before("activities.occurred_at", "activities.id", 0)
			q = q.Where(cond, args...)
		}
		var rows []activityRow
		if err := q.Order("activities.occurred_at DESC, activities.id DESC").Limit(f.Limit + 1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) > f.Limit {
			rows = rows[:f.Limit]
			last := rows[len(rows)-1]
			page.NextCursor = position{At: last.OccurredAt, ID: last.ID}.cursor()
		}
		page.Activities = make([]Activity, len(rows))
		for i, r := range rows {
			page.Activities[i] = toActivity(r)
		}
		return loadActivityDetails(db, page.Activities)
	})
	if err != nil {
		return ActivityPage{}, fmt.Errorf("list activities: %w", err)
	}
	return page, nil
}
