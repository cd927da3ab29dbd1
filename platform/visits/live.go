package visits

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// liveChannel carries every tenant's live positions between replicas; each message names its
// tenant and rep, and each subscriber is shown only what the warden lets it read.
const liveChannel = "repflow_live"

// LivePosition is a rep's latest counted fix.
type LivePosition struct {
	RepID    uuid.UUID `json:"rep_id"`
	Lat      float64   `json:"lat"`
	Lon      float64   `json:"lon"`
	Accuracy float64   `json:"accuracy"`
	At       time.Time `json:"at"`
}

// LiveEvent is a fence event as the live view shows it.
type LiveEvent struct {
	Kind       string    `json:"kind"`
	CustomerID uuid.UUID `json:"customer_id"`
	At         time.Time `json:"at"`
}

// LiveUpdate is what one batch of a rep's fixes changed: the rep's position and fence events.
type LiveUpdate struct {
	Tenant     uuid.UUID     `json:"-"`
	RegionPath string        `json:"-"`
	RepID      uuid.UUID     `json:"rep_id"`
	Position   *LivePosition `json:"position,omitempty"`
	Events     []LiveEvent   `json:"events"`
	// MoreEvents counts the events left out to keep the message small; read them from the API.
	MoreEvents int `json:"more_events,omitempty"`
}

// liveWire is LiveUpdate on the channel, with what subscribers filter on.
type liveWire struct {
	Tenant     uuid.UUID `json:"tenant"`
	RegionPath string    `json:"region_path"`
	LiveUpdate
}

// liveHorizon is how old a position or event may be and still be news on the live map: a phone
// sending yesterday's backlog does not make its rep jump about on today's.
const liveHorizon = 15 * time.Minute

// publishLive announces the rep's new position and recent events when the batch commits.
func (s *Service) publishLive(ctx context.Context, p identity.Principal, st repFenceState, events []FenceEvent) error {
	recent := s.now().Add(-liveHorizon)
	u := liveWire{Tenant: p.TenantID, RegionPath: p.RegionPath, LiveUpdate: LiveUpdate{RepID: p.UserID, Events: []LiveEvent{}}}
	if st.last != nil && st.last.Time.After(recent) {
		u.Position = &LivePosition{RepID: p.UserID, Lat: st.last.Point.Lat, Lon: st.last.Point.Lon, Accuracy: st.last.Accuracy, At: st.last.Time}
	}
	for _, e := range events {
		if e.At.After(recent) {
			u.Events = append(u.Events, LiveEvent{Kind: string(e.Kind), CustomerID: e.CustomerID, At: e.At})
		}
	}
	if u.Position == nil && len(u.Events) == 0 {
		return nil
	}
	for {
		raw, err := json.Marshal(u)
		if err != nil {
			return fmt.Errorf("encode live update: %w", err)
		}
		if len(raw) <= store.MaxEventPayload {
			return s.store.Publish(ctx, liveChannel, string(raw))
		}
		// Keep the latest events: the map shows where reps are now.
		drop := max(1, len(u.Events)/2)
		u.Events, u.MoreEvents = u.Events[drop:], u.MoreEvents+drop
	}
}

// Live streams the position updates of the reps the caller may read the tracks of, until ctx
// ends. It first sends each visible rep's last position, then every update as it commits, on
// any replica. The channel is closed when ctx ends.
func (s *Service) Live(ctx context.Context) (<-chan LiveUpdate, error) {
	p, ok := identity.From(ctx)
	if !ok {
		return nil, store.ErrNoTenant
	}
	// Refuse at once a caller who may see no track at all.
	if _, err := s.warden.Scope(ctx, access.Read, access.KindTrack, trackColumns); err != nil {
		return nil, err
	}
	sub := s.store.Subscribe(ctx, liveChannel, 256)
	snapshot, err := s.LastPositions(ctx)
	if err != nil {
		return nil, err
	}
	out := make(chan LiveUpdate, 16)
	go func() {
		defer close(out)
		for _, pos := range snapshot {
			select {
			case out <- LiveUpdate{RepID: pos.RepID, Position: &pos, Events: []LiveEvent{}}:
			case <-ctx.Done():
				return
			}
		}
		for raw := range sub {
			var w liveWire
			if json.Unmarshal([]byte(raw), &w) != nil || w.Tenant != p.TenantID {
				continue
			}
			r := access.Resource{Kind: access.KindTrack, OwnerID: w.RepID, RegionPath: w.RegionPath}
			if s.warden.Check(ctx, access.Read, r) != nil {
				continue
			}
			select {
			case out <- w.LiveUpdate:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// trackColumns place a rep's track rows: owned by the rep, in the rep's home region.
var trackColumns = access.Columns{Owner: "rep_fence_states.rep_id", RegionPath: "regions.path"}

// LastPositions returns the last counted fix of every rep whose tracks the caller may read.
func (s *Service) LastPositions(ctx context.Context) ([]LivePosition, error) {
	var out []LivePosition
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, access.KindTrack, trackColumns)
		if err != nil {
			return err
		}
		var rows []struct {
			RepID    uuid.UUID
			FixedAt  time.Time
			Lat, Lon float64
			Accuracy float64
		}
		err = db.Model(&fenceStateRow{}).
			Select("rep_fence_states.rep_id, rep_fence_states.fixed_at, rep_fence_states.lat, rep_fence_states.lon, rep_fence_states.accuracy").
			Joins("JOIN users ON users.tenant_id = rep_fence_states.tenant_id AND users.id = rep_fence_states.rep_id").
			Joins("JOIN regions ON regions.tenant_id = users.tenant_id AND regions.id = users.region_id").
			Where("rep_fence_states.fixed_at IS NOT NULL").Scopes(scope).Order("rep_fence_states.rep_id").Find(&rows).Error
		if err != nil {
			return fmt.Errorf("load positions: %w", err)
		}
		out = make([]LivePosition, len(rows))
		for i, r := range rows {
			out[i] = LivePosition{RepID: r.RepID, Lat: r.Lat, Lon: r.Lon, Accuracy: r.Accuracy, At: r.FixedAt.UTC()}
		}
		return nil
	})
	return out, err
}
