package visits

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/web"
)

var trackTags = []string{"Tracks"}

// MaxTrackBodyBytes admits a full batch of MaxBatchFixes fixes with every field given.
const MaxTrackBodyBytes = 2 << 20

func (h *HTTP) registerTracks(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "post-track", Method: http.MethodPost, Path: "/api/v1/tracks",
		Summary: "Send a batch of the caller's GPS fixes",
		Description: "A batch is all or nothing: when any fix is invalid, the answer names it (body.fixes[i].field) and " +
			"nothing of the batch is stored. Each fix carries the phone's own UUID: a retried batch stores only the fixes " +
			"not stored before, so retrying after a timeout is always safe. The new fixes, in time order, move the rep's " +
			"fence state; the answer lists the fence events and the automatic visits they opened and closed.",
		Tags: trackTags, MaxBodyBytes: MaxTrackBodyBytes,
		// The service checks every fix and names the bad one; huma's schema pass over thousands
		// of fixes would only repeat it, at an eighth of the endpoint's CPU.
		SkipValidateBody: true}, h.postTrack)
	huma.Register(api, huma.Operation{OperationID: "list-positions", Method: http.MethodGet, Path: "/api/v1/tracks/positions",
		Summary: "The last position of every rep whose tracks the caller may read", Tags: trackTags}, h.positions)
	huma.Register(api, huma.Operation{OperationID: "get-track-day", Method: http.MethodGet, Path: "/api/v1/tracks/day",
		Summary: "A rep's track and fence events of one day",
		Description: "The fixes the rep's phone sent that day (the tenant's time zone), oldest first, in WGS84, without those " +
			"a mock-location app made, and the fence events they caused. A rep whose tracks the caller may not read is " +
			"not found. A day of more than 10,000 fixes keeps its latest (truncated says so).",
		Tags: trackTags}, h.trackDay)
}

// FixDTO is one GPS fix.
type FixDTO struct {
	ID       string    `json:"id" format:"uuid" doc:"the phone's own id for the fix (a UUID)"`
	Time     time.Time `json:"time" doc:"when the phone took the fix"`
	Lat      float64   `json:"lat"`
	Lon      float64   `json:"lon"`
	Accuracy float64   `json:"accuracy" doc:"metres, 68 % confidence; 0 when unknown"`
	Speed    *float64  `json:"speed,omitempty" doc:"metres per second"`
	Heading  *float64  `json:"heading,omitempty" doc:"degrees clockwise from north, [0, 360)"`
	Provider string    `json:"provider,omitempty" maxLength:"20" doc:"gps, network, fused..."`
	Mock     bool      `json:"mock,omitempty" doc:"the OS flagged the position as coming from a mock-location app"`
}

// TrackBatchDTO is a batch of fixes in one datum.
type TrackBatchDTO struct {
	Datum string   `json:"datum" enum:"wgs84,gcj02"`
	Fixes []FixDTO `json:"fixes" minItems:"1" maxItems:"5000"`
}

// FenceEventDTO is a fence event.
type FenceEventDTO struct {
	ID         uuid.UUID `json:"id"`
	Kind       string    `json:"kind" enum:"enter,exit,dwell"`
	CustomerID uuid.UUID `json:"customer_id"`
	At         time.Time `json:"at"`
	Since      time.Time `json:"since" doc:"when the rep entered the customer's fence"`
}

// TrackResultDTO says what a batch did.
type TrackResultDTO struct {
	Stored       int             `json:"stored" doc:"fixes stored by this request"`
	Duplicates   int             `json:"duplicates" doc:"fixes an earlier attempt stored already"`
	Events       []FenceEventDTO `json:"events"`
	OpenedVisits []uuid.UUID     `json:"opened_visits"`
	ClosedVisits []uuid.UUID     `json:"closed_visits"`
}

type postTrackInput struct{ Body TrackBatchDTO }

type trackResultOutput struct{ Body TrackResultDTO }

func (h *HTTP) postTrack(ctx context.Context, in *postTrackInput) (*trackResultOutput, error) {
	b := TrackBatch{Datum: Datum(in.Body.Datum), Fixes: make([]TrackFix, len(in.Body.Fixes))}
	for i, f := range in.Body.Fixes {
		id, err := uuid.Parse(f.ID)
		if err != nil {
			return nil, fault.Field("body.fixes["+strconv.Itoa(i)+"].id", "is not a UUID", f.ID)
		}
		b.Fixes[i] = TrackFix{ClientID: id, Time: f.Time, Point: geo.Point{Lat: f.Lat, Lon: f.Lon}, Accuracy: f.Accuracy,
			Speed: f.Speed, Heading: f.Heading, Provider: f.Provider, Mock: f.Mock}
	}
	res, err := h.svc.IngestTrack(ctx, b)
	if err != nil {
		return nil, err
	}
	out := &trackResultOutput{Body: TrackResultDTO{Stored: res.Stored, Duplicates: res.Duplicates,
		Events: make([]FenceEventDTO, len(res.Events)), OpenedVisits: nonNil(res.Opened), ClosedVisits: nonNil(res.Closed)}}
	for i, e := range res.Events {
		out.Body.Events[i] = FenceEventDTO{ID: e.ID, Kind: string(e.Kind), CustomerID: e.CustomerID, At: e.At, Since: e.Since}
	}
	return out, nil
}

type positionsOutput struct{ Body PositionsDTO }

// PositionsDTO lists reps' last positions.
type PositionsDTO struct {
	Positions []LivePosition `json:"positions"`
}

func (h *HTTP) positions(ctx context.Context, _ *struct{}) (*positionsOutput, error) {
	ps, err := h.svc.LastPositions(ctx)
	if err != nil {
		return nil, err
	}
	return &positionsOutput{Body: PositionsDTO{Positions: nonNil(ps)}}, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

type trackDayInput struct {
	RepID string `query:"rep_id" required:"true" format:"uuid" doc:"the rep"`
	Date  string `query:"date" required:"true" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"the day, YYYY-MM-DD, in the tenant's time zone"`
}

// DayFixDTO is one fix of a day's track, in WGS84.
type DayFixDTO struct {
	Time     time.Time `json:"time"`
	Lat      float64   `json:"lat"`
	Lon      float64   `json:"lon"`
	Accuracy float64   `json:"accuracy" doc:"metres, 68 % confidence; 0 when unknown"`
}

// TrackDayDTO is a rep's track of one day.
type TrackDayDTO struct {
	RepID     uuid.UUID       `json:"rep_id"`
	Date      string          `json:"date" format:"date"`
	Fixes     []DayFixDTO     `json:"fixes"`
	Events    []FenceEventDTO `json:"events"`
	Truncated bool            `json:"truncated" doc:"the day had more fixes than one answer holds; the earliest are left out"`
}

type trackDayOutput struct{ Body TrackDayDTO }

func (h *HTTP) trackDay(ctx context.Context, in *trackDayInput) (*trackDayOutput, error) {
	rep, err := web.ParseID(in.RepID, "query.rep_id")
	if err != nil {
		return nil, err
	}
	day, err := h.svc.RepTrackDay(ctx, rep, in.Date)
	if err != nil {
		return nil, err
	}
	out := TrackDayDTO{RepID: rep, Date: in.Date, Truncated: day.Truncated,
		Fixes: make([]DayFixDTO, len(day.Fixes)), Events: make([]FenceEventDTO, len(day.Events))}
	for i, f := range day.Fixes {
		out.Fixes[i] = DayFixDTO{Time: f.Time, Lat: f.Point.Lat, Lon: f.Point.Lon, Accuracy: f.Accuracy}
	}
	for i, e := range day.Events {
		out.Events[i] = FenceEventDTO{ID: e.ID, Kind: string(e.Kind), CustomerID: e.CustomerID, At: e.At, Since: e.Since}
	}
	return &trackDayOutput{Body: out}, nil
}
