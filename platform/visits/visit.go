package visits

import (
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/visits/trust"
)

// VisitSource says how a visit began: a rep's check-in, or dwelling in the customer's fence.
type VisitSource string

const (
	SourceCheckIn VisitSource = "checkin"
	SourceAuto    VisitSource = "auto"
)

// VisitStatus is open until check-out (or, for an automatic visit, until the rep leaves).
type VisitStatus string

const (
	VisitOpen   VisitStatus = "open"
	VisitClosed VisitStatus = "closed"
)

// ReviewStatus is where a visit stands in the manager's review queue: a visit that is not
// trusted waits (pending) until a manager accepts or rejects it.
type ReviewStatus string

const (
	ReviewNone     ReviewStatus = "none"
	ReviewPending  ReviewStatus = "pending"
	ReviewAccepted ReviewStatus = "accepted"
	ReviewRejected ReviewStatus = "rejected"
)

// MaxNotesLen bounds a visit's notes (characters).
const MaxNotesLen = 4000

// Reading is a position the phone gave at check-in or check-out.
type Reading struct {
	Point      geo.Point // WGS84
	Accuracy   float64
	DeviceTime time.Time
	Mock       bool
	Provider   string
}

// Visit is one visit to a customer. Its facts (who, where, when, the verdict) never change once
// it is closed; its notes change only by new revisions, each kept.
type Visit struct {
	ID           uuid.UUID
	RepID        uuid.UUID
	CustomerID   uuid.UUID
	RegionID     uuid.UUID // the customer's region when the visit began
	Source       VisitSource
	Status       VisitStatus
	StartedAt    time.Time
	EndedAt      *time.Time
	CheckIn      *Reading // nil for an automatic visit
	CheckOut     *Reading
	Verdict      trust.Verdict
	DistanceM    *float64 // how far the check-in was outside the fence (negative: inside)
	ReviewStatus ReviewStatus
	Notes        string // as of the latest revision
	Revision     int
	Photos       []Photo
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Duration is how long the visit lasted; zero while open.
func (v Visit) Duration() time.Duration {
	if v.EndedAt == nil {
		return 0
	}
	return v.EndedAt.Sub(v.StartedAt)
}

// Photo is a picture taken during a visit, stored by its content's SHA-256.
type Photo struct {
	SHA256      string
	ContentType string
	Size        int64
	UploadedBy  uuid.UUID
	CreatedAt   time.Time
}

// Revision is one version of a visit's notes, with who wrote it and why.
type Revision struct {
	Revision  int
	Notes     string
	Reason    string
	AuthorID  uuid.UUID
	CreatedAt time.Time
}

// Review is a manager's decision on a suspicious visit.
type Review struct {
	ID         uuid.UUID
	VisitID    uuid.UUID
	Decision   ReviewStatus // accepted or rejected
	Comment    string
	ReviewerID uuid.UUID
	CreatedAt  time.Time
}
