package visits

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/visits/trust"
	"github.com/repflow/repflow/platform/web"
)

var visitTags = []string{"Visits"}

func (h *HTTP) registerVisits(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "check-in", Method: http.MethodPost, Path: "/api/v1/visits/checkin",
		Summary: "Check in at a customer; the answer carries the trust verdict with its reasons",
		Description: "The id is the phone's own UUID for the check-in: a retry answers 200 with the visit the first attempt " +
			"made, never a second visit. A visit that is not trusted waits in the manager's review queue.",
		Tags: visitTags, DefaultStatus: http.StatusCreated}, h.checkIn)
	huma.Register(api, huma.Operation{OperationID: "check-out", Method: http.MethodPost, Path: "/api/v1/visits/{id}/checkout",
		Summary: "Check out of the caller's open visit; its facts are final from then on", Tags: visitTags}, h.checkOut)
	huma.Register(api, huma.Operation{OperationID: "list-visits", Method: http.MethodGet, Path: "/api/v1/visits",
		Summary: "Visits the caller may see, newest first, one page at a time", Tags: visitTags}, h.listVisits)
	huma.Register(api, huma.Operation{OperationID: "get-visit", Method: http.MethodGet, Path: "/api/v1/visits/{id}",
		Summary: "One visit with its verdict, notes and photos", Tags: visitTags}, h.getVisit)
	huma.Register(api, huma.Operation{OperationID: "list-visit-revisions", Method: http.MethodGet, Path: "/api/v1/visits/{id}/revisions",
		Summary: "Every version of a visit's notes: who wrote it, when and why", Tags: visitTags}, h.revisions)
	huma.Register(api, huma.Operation{OperationID: "correct-visit", Method: http.MethodPost, Path: "/api/v1/visits/{id}/revisions",
		Summary: "Correct a visit's notes with a new revision; earlier versions stay", Tags: visitTags,
		DefaultStatus: http.StatusCreated}, h.correct)
	huma.Register(api, huma.Operation{OperationID: "review-visit", Method: http.MethodPost, Path: "/api/v1/visits/{id}/review",
		Summary: "Accept or reject a suspicious visit, with a comment", Tags: visitTags}, h.review)
	huma.Register(api, huma.Operation{OperationID: "list-visit-reviews", Method: http.MethodGet, Path: "/api/v1/visits/{id}/reviews",
		Summary: "The review decisions on a visit", Tags: visitTags}, h.reviews)
	huma.Register(api, huma.Operation{OperationID: "review-queue", Method: http.MethodGet, Path: "/api/v1/reviews",
		Summary: "Visits waiting for the caller's review (or already reviewed, by review_status)", Tags: visitTags}, h.queue)
	h.registerPhotos(api)
}

// ReadingDTO is a position given at check-in or check-out (WGS84 in answers).
type ReadingDTO struct {
	Location   LocationDTO `json:"location"`
	Accuracy   float64     `json:"accuracy"`
	DeviceTime time.Time   `json:"device_time"`
	Mock       bool        `json:"mock,omitempty"`
	Provider   string      `json:"provider,omitempty"`
}

// ReasonDTO is one finding of the trust verdict.
type ReasonDTO struct {
	Code     string   `json:"code"`
	Severity string   `json:"severity" enum:"block,warn"`
	Message  string   `json:"message"`
	Metres   *float64 `json:"metres,omitempty"`
	SpeedKmh *float64 `json:"speed_kmh,omitempty"`
	Seconds  *float64 `json:"seconds,omitempty" doc:"the time measured: elapsed, skew or age"`
}

// PhotoDTO is a visit photo; fetch it at /api/v1/visits/{id}/photos/{sha256}.
type PhotoDTO struct {
	SHA256      string    `json:"sha256"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	UploadedBy  uuid.UUID `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// VisitDTO is a visit as the API shows it.
type VisitDTO struct {
	ID           uuid.UUID   `json:"id"`
	RepID        uuid.UUID   `json:"rep_id"`
	CustomerID   uuid.UUID   `json:"customer_id"`
	RegionID     uuid.UUID   `json:"region_id"`
	Source       string      `json:"source" enum:"checkin,auto"`
	Status       string      `json:"status" enum:"open,closed"`
	StartedAt    time.Time   `json:"started_at"`
	EndedAt      *time.Time  `json:"ended_at"`
	DurationS    *float64    `json:"duration_s" doc:"seconds, once closed"`
	CheckIn      *ReadingDTO `json:"checkin"`
	CheckOut     *ReadingDTO `json:"checkout"`
	Trusted      bool        `json:"trusted"`
	Reasons      []ReasonDTO `json:"reasons"`
	DistanceM    *float64    `json:"distance_m" doc:"metres from the check-in to the fence's edge: negative inside"`
	ReviewStatus string      `json:"review_status" enum:"none,pending,accepted,rejected"`
	Notes        string      `json:"notes"`
	Revision     int         `json:"revision"`
	Photos       []PhotoDTO  `json:"photos"`
}

func readingDTO(r *Reading) *ReadingDTO {
	if r == nil {
		return nil
	}
	return &ReadingDTO{Location: LocationDTO{Lat: r.Point.Lat, Lon: r.Point.Lon, Datum: string(WGS84)}, Accuracy: r.Accuracy,
		DeviceTime: r.DeviceTime, Mock: r.Mock, Provider: r.Provider}
}

func reasonDTO(r trust.Reason) ReasonDTO {
	out := ReasonDTO{Code: string(r.Code), Severity: string(r.Severity), Message: r.Message}
	if r.Metres != 0 {
		out.Metres = &r.Metres
	}
	if r.Speed != 0 {
		out.SpeedKmh = &r.Speed
	}
	for _, d := range []time.Duration{r.Elapsed, r.Skew, r.Age} {
		if d != 0 {
			s := d.Seconds()
			out.Seconds = &s
			break
		}
	}
	return out
}

func visitDTO(v Visit) VisitDTO {
	out := VisitDTO{ID: v.ID, RepID: v.RepID, CustomerID: v.CustomerID, RegionID: v.RegionID, Source: string(v.Source),
		Status: string(v.Status), StartedAt: v.StartedAt, EndedAt: v.EndedAt, CheckIn: readingDTO(v.CheckIn),
		CheckOut: readingDTO(v.CheckOut), Trusted: v.Verdict.Trusted, Reasons: make([]ReasonDTO, len(v.Verdict.Reasons)),
		DistanceM: v.DistanceM, ReviewStatus: string(v.ReviewStatus), Notes: v.Notes, Revision: v.Revision,
		Photos: make([]PhotoDTO, len(v.Photos))}
	if v.EndedAt != nil {
		d := v.Duration().Seconds()
		out.DurationS = &d
	}
	for i, r := range v.Verdict.Reasons {
		out.Reasons[i] = reasonDTO(r)
	}
	for i, p := range v.Photos {
		out.Photos[i] = PhotoDTO{SHA256: p.SHA256, ContentType: p.ContentType, Size: p.Size, UploadedBy: p.UploadedBy, CreatedAt: p.CreatedAt}
	}
	return out
}

type visitOutput struct {
	Status int
	Body   VisitDTO
}

// CheckInDTO is the body of a check-in.
type CheckInDTO struct {
	ID         string      `json:"id" format:"uuid" doc:"the phone's own id for this check-in"`
	CustomerID string      `json:"customer_id" format:"uuid"`
	Location   LocationDTO `json:"location"`
	Accuracy   float64     `json:"accuracy" doc:"metres, 68 % confidence"`
	DeviceTime time.Time   `json:"device_time" doc:"when the phone took the fix, by its clock"`
	Mock       bool        `json:"mock,omitempty" doc:"the OS flagged a mock-location app"`
	Provider   string      `json:"provider,omitempty" maxLength:"20"`
	Notes      string      `json:"notes,omitempty" maxLength:"4000"`
}

type checkInInput struct{ Body CheckInDTO }

func (h *HTTP) checkIn(ctx context.Context, in *checkInInput) (*visitOutput, error) {
	b := in.Body
	id, err := web.ParseID(b.ID, "body.id")
	if err != nil {
		return nil, err
	}
	customer, err := web.ParseID(b.CustomerID, "body.customer_id")
	if err != nil {
		return nil, err
	}
	v, created, err := h.svc.CheckIn(ctx, CheckInInput{ClientID: id, CustomerID: customer,
		Position: Position{Point: geo.Point{Lat: b.Location.Lat, Lon: b.Location.Lon}, Datum: Datum(b.Location.Datum)},
		Accuracy: b.Accuracy, DeviceTime: b.DeviceTime, Mock: b.Mock, Provider: b.Provider, Notes: b.Notes})
	if err != nil {
		return nil, err
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	return &visitOutput{Status: status, Body: visitDTO(v)}, nil
}

// CheckOutDTO is the body of a check-out.
type CheckOutDTO struct {
	Location   LocationDTO `json:"location"`
	Accuracy   float64     `json:"accuracy"`
	DeviceTime time.Time   `json:"device_time"`
	Notes      *string     `json:"notes,omitempty" maxLength:"4000" doc:"when given and changed, a new revision"`
}

type checkOutInput struct {
	ID   string `path:"id" format:"uuid" doc:"the visit's id"`
	Body CheckOutDTO
}

func (h *HTTP) checkOut(ctx context.Context, in *checkOutInput) (*visitOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	b := in.Body
	v, err := h.svc.CheckOut(ctx, id, CheckOutInput{
		Position: Position{Point: geo.Point{Lat: b.Location.Lat, Lon: b.Location.Lon}, Datum: Datum(b.Location.Datum)},
		Accuracy: b.Accuracy, DeviceTime: b.DeviceTime, Notes: b.Notes})
	if err != nil {
		return nil, err
	}
	return &visitOutput{Status: http.StatusOK, Body: visitDTO(v)}, nil
}

type visitPath struct {
	ID string `path:"id" format:"uuid" doc:"the visit's id"`
}

func (h *HTTP) getVisit(ctx context.Context, in *visitPath) (*visitOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	v, err := h.svc.GetVisit(ctx, id)
	if err != nil {
		return nil, err
	}
	return &visitOutput{Status: http.StatusOK, Body: visitDTO(v)}, nil
}
