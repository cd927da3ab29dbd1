package visits

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/visits/geo"
)

// Limits of a track batch.
const (
	// MaxBatchFixes is the most fixes one batch may hold: a phone that was offline all day sends
	// about 3,000 (one every 15 s for 12 hours).
	MaxBatchFixes = 5000
	// MaxFixAhead is how far a fix's time may run ahead of the server's clock.
	MaxFixAhead = 10 * time.Minute
	// MaxFixAge is how old a fix may be: a phone offline for weeks has nothing useful to add.
	MaxFixAge = 31 * 24 * time.Hour
	// MaxProviderLen bounds the provider name ("gps", "network", "fused").
	MaxProviderLen = 20
)

// TrackFix is one GPS fix as the rep's phone records it.
type TrackFix struct {
	// ClientID is the phone's own id for the fix: a retried batch carries the same ids, and a fix
	// already stored is not stored again.
	ClientID uuid.UUID
	Time     time.Time
	Point    geo.Point
	Accuracy float64  // metres, 68 % confidence; 0 when the phone does not say
	Speed    *float64 // metres per second
	Heading  *float64 // degrees clockwise from north, [0, 360)
	Provider string
	Mock     bool // the OS flagged a mock-location app
}

// TrackBatch is a batch of fixes in one datum.
type TrackBatch struct {
	Datum Datum
	Fixes []TrackFix
}

// FenceEvent is a rep entering, dwelling in or leaving a customer's fence.
type FenceEvent struct {
	ID         uuid.UUID
	RepID      uuid.UUID
	CustomerID uuid.UUID
	RegionID   uuid.UUID
	Kind       geo.EventKind
	At         time.Time // the time of the fix that caused it
	Since      time.Time // when the rep entered the fence

	dwelled bool // an exit from a stay long enough to have opened an automatic visit
}

// IngestResult says what a batch did. A batch is all or nothing: either every fix is valid and
// the new ones are stored, or nothing is.
type IngestResult struct {
	Stored     int          // fixes stored now
	Duplicates int          // fixes stored by an earlier attempt, left as they were
	Events     []FenceEvent // the fence events the new fixes caused
	Opened     []uuid.UUID  // automatic visits opened by dwelling
	Closed     []uuid.UUID  // automatic visits closed by leaving
}

// IngestTrack stores a batch of the caller's own fixes and moves their fence state along: the new
// fixes, in time order, enter, dwell in and leave customers' fences, opening and closing
// automatic visits. Concurrent batches of one rep are applied one after the other.
func (s *Service) IngestTrack(ctx context.Context, b TrackBatch) (IngestResult, error) {
	p, err := caller(ctx, "send tracks")
	if err != nil {
		return IngestResult{}, err
	}
	received := s.now()
	fixes, err := b.validate(received)
	if err != nil {
		return IngestResult{}, err
	}
	loc, err := s.timeZone(ctx)
	if err != nil {
		return IngestResult{}, err
	}
	var res IngestResult
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		rep := access.Resource{Kind: access.KindTrack, OwnerID: p.UserID, RegionPath: p.RegionPath}
		if err := s.warden.Check(ctx, access.Create, rep); err != nil {
			return err
		}
		state, err := lockFenceState(s.store, db, p.UserID)
		if err != nil {
			return err
		}
		fresh, err := s.insertFixes(ctx, db, p.UserID, fixes, received)
		if err != nil {
			return err
		}
		res.Stored, res.Duplicates = len(fresh), len(fixes)-len(fresh)
		if len(fresh) == 0 {
			return nil
		}
		fences, err := s.fences.current(ctx, db)
		if err != nil {
			return err
		}
		if err := s.advance(ctx, db, loc, &state, fences, p.UserID, fresh, &res); err != nil {
			return err
		}
		if err := saveFenceState(db, p.UserID, state); err != nil {
			return err
		}
		return s.publishLive(ctx, p, state, res.Events)
	})
	if err != nil {
		return IngestResult{}, fmt.Errorf("ingest track: %w", err)
	}
	return res, nil
}

// advance runs the new fixes through the rep's fence state and turns the events into rows and
// automatic visits. Mock-location fixes are stored (they are evidence) but move nothing.
func (s *Service) advance(ctx context.Context, db *gorm.DB, loc *time.Location, st *repFenceState, fences *tenantFences, rep uuid.UUID, fresh []TrackFix, res *IngestResult) error {
	for _, f := range fresh {
		if f.Mock {
			continue
		}
		fix := geo.Fix{Point: f.Point, Accuracy: f.Accuracy, Time: f.Time}
		prev := st.fences
		next, events := fences.index.Transition(prev, fix, *s.opts.Hysteresis)
		if !next.At.Equal(prev.At) || len(events) > 0 {
			st.fences = next
			st.last = &fix
		}
		for _, e := range events {
			region, ok := fences.region(e.Fence)
			if !ok {
				continue // the customer was deleted after the index was read
			}
			res.Events = append(res.Events, FenceEvent{ID: identity.NewID(), RepID: rep, CustomerID: e.Fence,
				RegionID: region, Kind: e.Kind, At: e.Time, Since: e.Since,
				dwelled: e.Kind == geo.Exit && prev.Inside[e.Fence].Dwelled})
		}
	}
	if len(res.Events) == 0 {
		return nil
	}
	if err := s.insertFenceEvents(ctx, db, res.Events); err != nil {
		return err
	}
	return s.autoVisits(db, loc, rep, res)
}

// validate checks every fix and converts them to WGS84, sorted by time; the first bad fix fails
// the whole batch with its index in the fault's location.
func (b TrackBatch) validate(now time.Time) ([]TrackFix, error) {
	if b.Datum != WGS84 && b.Datum != GCJ02 {
		return nil, fault.Field("body.datum", `must be "wgs84" or "gcj02"`, string(b.Datum))
	}
	switch {
	case len(b.Fixes) == 0:
		return nil, fault.Field("body.fixes", "must hold at least one fix", nil)
	case len(b.Fixes) > MaxBatchFixes:
		return nil, fault.Field("body.fixes", fmt.Sprintf("holds %d fixes; a batch may hold at most %d", len(b.Fixes), MaxBatchFixes), len(b.Fixes))
	}
	seen := make(map[uuid.UUID]int, len(b.Fixes))
	out := make([]TrackFix, len(b.Fixes))
	for i, f := range b.Fixes {
		at := "body.fixes[" + strconv.Itoa(i) + "]"
		if f.ClientID == uuid.Nil {
			return nil, fault.Field(at+".id", "is required: the phone's own UUID for the fix", nil)
		}
		if j, dup := seen[f.ClientID]; dup {
			return nil, fault.Field(at+".id", fmt.Sprintf("repeats the id of fix %d in the same batch", j), f.ClientID.String())
		}
		seen[f.ClientID] = i
		point, err := Position{Point: f.Point, Datum: b.Datum}.wgs84(at)
		if err != nil {
			return nil, err
		}
		f.Point = point
		switch {
		case f.Time.IsZero():
			return nil, fault.Field(at+".time", "is required", nil)
		case f.Time.After(now.Add(MaxFixAhead)):
			return nil, fault.Field(at+".time", fmt.Sprintf("is %s ahead of the server's clock; check the phone's time", f.Time.Sub(now).Round(time.Second)), f.Time)
		case f.Time.Before(now.Add(-MaxFixAge)):
			return nil, fault.Field(at+".time", "is more than 31 days old", f.Time)
		}
		if !finite(f.Accuracy) || f.Accuracy < 0 {
			return nil, fault.Field(at+".accuracy", "must be a finite number of metres, 0 or more", fmt.Sprint(f.Accuracy))
		}
		if f.Speed != nil && (!finite(*f.Speed) || *f.Speed < 0) {
			return nil, fault.Field(at+".speed", "must be a finite number of metres per second, 0 or more", fmt.Sprint(*f.Speed))
		}
		if f.Heading != nil && (!finite(*f.Heading) || *f.Heading < 0 || *f.Heading >= 360) {
			return nil, fault.Field(at+".heading", "must be in degrees, [0, 360)", fmt.Sprint(*f.Heading))
		}
		if len(f.Provider) > MaxProviderLen {
			return nil, fault.Field(at+".provider", fmt.Sprintf("is longer than %d characters", MaxProviderLen), f.Provider)
		}
		f.Time = f.Time.UTC().Truncate(time.Microsecond)
		out[i] = f
	}
	slices.SortStableFunc(out, func(a, b TrackFix) int { return a.Time.Compare(b.Time) })
	return out, nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
