package activities

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/store"
)

// The gorm rows mirror migrations/0009_activities.go, plus a read-only view of the regions table
// that places rows for access checks. Only this package's *_store code and queries touch them.

type activityRow struct {
	TenantID      uuid.UUID
	ID            uuid.UUID
	Kind          string
	OwnerID       uuid.UUID
	CustomerID    uuid.UUID
	RegionID      uuid.UUID
	ContactID     *uuid.UUID
	OpportunityID *uuid.UUID
	OccurredAt    time.Time
	EndedAt       *time.Time
	Direction     *string
	DurationS     *int
	Outcome       *string
	Channel       *string
	RepliedAt     *time.Time
	ReplyToID     *uuid.UUID
	HasReply      bool // a message some reply names in its ReplyToID (set when the reply is logged)
	Notes         string
	Fingerprint   string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (activityRow) TableName() string { return "activities" }

type activityContactRow struct {
	TenantID   uuid.UUID
	ActivityID uuid.UUID
	CustomerID uuid.UUID
	ContactID  uuid.UUID
}

func (activityContactRow) TableName() string { return "activity_contacts" }

type regionRow struct {
	TenantID uuid.UUID
	ID       uuid.UUID
	Path     string
}

func (regionRow) TableName() string { return "regions" }

func regionPath(db *gorm.DB, id uuid.UUID) (string, error) {
	var r regionRow
	if err := db.Where("id = ?", id).Take(&r).Error; err != nil {
		return "", fmt.Errorf("load region %s: %w", id, err)
	}
	return r.Path, nil
}

func optional[T ~string](v T) *string {
	if v == "" {
		return nil
	}
	s := string(v)
	return &s
}

func deref[T ~string](p *string) T {
	if p == nil {
		return ""
	}
	return T(*p)
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func toActivityRow(a Activity, fingerprint string) activityRow {
	r := activityRow{ID: a.ID, Kind: string(a.Kind), OwnerID: a.OwnerID, CustomerID: a.CustomerID, RegionID: a.RegionID,
		ContactID: a.ContactID, OpportunityID: a.OpportunityID, OccurredAt: a.OccurredAt, EndedAt: a.EndedAt,
		Direction: optional(a.Direction), Outcome: optional(a.Outcome), Channel: optional(a.Channel),
		RepliedAt: a.RepliedAt, ReplyToID: a.ReplyTo, Notes: a.Notes, Fingerprint: fingerprint,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	if a.Kind == KindCall {
		d := a.DurationS
		r.DurationS = &d
	}
	return r
}

func toActivity(r activityRow) Activity {
	a := Activity{ID: r.ID, Kind: Kind(r.Kind), OwnerID: r.OwnerID, CustomerID: r.CustomerID, RegionID: r.RegionID,
		ContactID: r.ContactID, OpportunityID: r.OpportunityID, OccurredAt: r.OccurredAt.UTC(), EndedAt: utc(r.EndedAt),
		Direction: deref[Direction](r.Direction), Outcome: deref[Outcome](r.Outcome), Channel: deref[Channel](r.Channel),
		RepliedAt: utc(r.RepliedAt), ReplyTo: r.ReplyToID, Notes: r.Notes, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.DurationS != nil {
		a.DurationS = *r.DurationS
	}
	return a
}

// loadActivityDetails fills in the attendees of meetings and the replies to messages.
func loadActivityDetails(db *gorm.DB, as []Activity) error {
	if len(as) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(as))
	at := make(map[uuid.UUID]int, len(as))
	for i, a := range as {
		ids[i], at[a.ID] = a.ID, i
	}
	var attendees []activityContactRow
	if err := db.Where("activity_id IN ?", ids).Order("activity_id, contact_id").Find(&attendees).Error; err != nil {
		return fmt.Errorf("load attendees: %w", err)
	}
	for _, r := range attendees {
		as[at[r.ActivityID]].Attendees = append(as[at[r.ActivityID]].Attendees, r.ContactID)
	}
	var replies []struct{ ID, ReplyToID uuid.UUID }
	err := db.Model(&activityRow{}).Select("id, reply_to_id").Where("reply_to_id IN ?", ids).Order("occurred_at, id").Find(&replies).Error
	if err != nil {
		return fmt.Errorf("load replies: %w", err)
	}
	for _, r := range replies {
		as[at[r.ReplyToID]].Replies = append(as[at[r.ReplyToID]].Replies, r.ID)
	}
	return nil
}

func findActivity(db *gorm.DB, id uuid.UUID) (activityRow, bool, error) {
	var r activityRow
	err := db.Where("id = ?", id).Take(&r).Error
	if store.IsNotFound(err) {
		return r, false, nil
	}
	return r, err == nil, err
}
