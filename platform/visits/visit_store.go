package visits

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/visits/trust"
)

// The rows of visits and what hangs off them (migrations/0007_visits.go).

type visitRow struct {
	TenantID           uuid.UUID
	ID                 uuid.UUID
	RepID              uuid.UUID
	CustomerID         uuid.UUID
	RegionID           uuid.UUID
	Source             string
	ClientID           *uuid.UUID
	Status             string
	StartedAt          time.Time
	EndedAt            *time.Time
	CheckinLat         *float64
	CheckinLon         *float64
	CheckinAccuracy    *float64
	CheckinDeviceTime  *time.Time
	CheckinMock        *bool
	CheckinProvider    *string
	CheckoutLat        *float64
	CheckoutLon        *float64
	CheckoutAccuracy   *float64
	CheckoutDeviceTime *time.Time
	Trusted            bool
	Verdict            string
	DistanceM          *float64
	ReviewStatus       string
	Revision           int
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

func (visitRow) TableName() string { return "visits" }

type revisionRow struct {
	TenantID  uuid.UUID
	VisitID   uuid.UUID
	Revision  int
	Notes     string
	Reason    string
	AuthorID  uuid.UUID
	CreatedAt time.Time
}

func (revisionRow) TableName() string { return "visit_revisions" }

type reviewRow struct {
	TenantID   uuid.UUID
	ID         uuid.UUID
	VisitID    uuid.UUID
	Decision   string
	Comment    string
	ReviewerID uuid.UUID
	CreatedAt  time.Time
}

func (reviewRow) TableName() string { return "visit_reviews" }

type photoRow struct {
	TenantID    uuid.UUID
	VisitID     uuid.UUID
	Sha256      string `gorm:"column:sha256"`
	ContentType string
	Size        int64
	UploadedBy  uuid.UUID
	CreatedAt   time.Time
}

func (photoRow) TableName() string { return "visit_photos" }

func toVisitRow(v Visit, clientID *uuid.UUID) (visitRow, error) {
	verdict, err := json.Marshal(v.Verdict)
	if err != nil {
		return visitRow{}, fmt.Errorf("encode verdict: %w", err)
	}
	r := visitRow{ID: v.ID, RepID: v.RepID, CustomerID: v.CustomerID, RegionID: v.RegionID, Source: string(v.Source),
		ClientID: clientID, Status: string(v.Status), StartedAt: v.StartedAt, EndedAt: v.EndedAt, Trusted: v.Verdict.Trusted,
		Verdict: string(verdict), DistanceM: v.DistanceM, ReviewStatus: string(v.ReviewStatus), Revision: v.Revision,
		CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
	if c := v.CheckIn; c != nil {
		r.CheckinLat, r.CheckinLon, r.CheckinAccuracy = &c.Point.Lat, &c.Point.Lon, &c.Accuracy
		r.CheckinDeviceTime, r.CheckinMock, r.CheckinProvider = &c.DeviceTime, &c.Mock, &c.Provider
	}
	if c := v.CheckOut; c != nil {
		r.CheckoutLat, r.CheckoutLon, r.CheckoutAccuracy, r.CheckoutDeviceTime = &c.Point.Lat, &c.Point.Lon, &c.Accuracy, &c.DeviceTime
	}
	return r, nil
}

func toVisit(r visitRow) (Visit, error) {
	v := Visit{ID: r.ID, RepID: r.RepID, CustomerID: r.CustomerID, RegionID: r.RegionID, Source: VisitSource(r.Source),
		Status: VisitStatus(r.Status), StartedAt: r.StartedAt.UTC(), EndedAt: utcPtr(r.EndedAt), DistanceM: r.DistanceM,
		ReviewStatus: ReviewStatus(r.ReviewStatus), Revision: r.Revision, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if err := json.Unmarshal([]byte(r.Verdict), &v.Verdict); err != nil {
		return v, fmt.Errorf("visit %s: stored verdict: %w", r.ID, err)
	}
	if r.CheckinLat != nil && r.CheckinLon != nil {
		c := &Reading{Point: geo.Point{Lat: *r.CheckinLat, Lon: *r.CheckinLon}}
		c.Accuracy, c.Mock, c.Provider = deref(r.CheckinAccuracy), deref(r.CheckinMock), deref(r.CheckinProvider)
		if r.CheckinDeviceTime != nil {
			c.DeviceTime = r.CheckinDeviceTime.UTC()
		}
		v.CheckIn = c
	}
	if r.CheckoutLat != nil && r.CheckoutLon != nil {
		c := &Reading{Point: geo.Point{Lat: *r.CheckoutLat, Lon: *r.CheckoutLon}, Accuracy: deref(r.CheckoutAccuracy)}
		if r.CheckoutDeviceTime != nil {
			c.DeviceTime = r.CheckoutDeviceTime.UTC()
		}
		v.CheckOut = c
	}
	return v, nil
}

// loadVisitDetails fills in the notes of the latest revision and the photos of vs.
func loadVisitDetails(db *gorm.DB, vs []Visit) error {
	if len(vs) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(vs))
	for i, v := range vs {
		ids[i] = v.ID
	}
	var revs []revisionRow
	if err := db.Where("visit_id IN ?", ids).Order("revision").Find(&revs).Error; err != nil {
		return fmt.Errorf("load visit notes: %w", err)
	}
	notes := map[uuid.UUID]string{}
	for _, r := range revs {
		notes[r.VisitID] = r.Notes // ordered by revision: the latest wins
	}
	var photos []photoRow
	if err := db.Where("visit_id IN ?", ids).Order("created_at, sha256").Find(&photos).Error; err != nil {
		return fmt.Errorf("load visit photos: %w", err)
	}
	byVisit := map[uuid.UUID][]Photo{}
	for _, p := range photos {
		byVisit[p.VisitID] = append(byVisit[p.VisitID], Photo{SHA256: p.Sha256, ContentType: p.ContentType, Size: p.Size,
			UploadedBy: p.UploadedBy, CreatedAt: p.CreatedAt.UTC()})
	}
	for i := range vs {
		vs[i].Notes, vs[i].Photos = notes[vs[i].ID], byVisit[vs[i].ID]
	}
	return nil
}

// trustedVerdict is the verdict of a visit the track itself proves: no check-in to doubt.
func trustedVerdict() trust.Verdict { return trust.Verdict{Trusted: true, Reasons: []trust.Reason{}} }

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
