package visits

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/visits/geo"
)

// FuzzTrackBatch feeds arbitrary batch bodies through the API's decoding and the service's
// validation: nothing panics, and whatever is accepted is usable: coordinates in range and
// finite, times within bounds and in order, ids unique and present.
func FuzzTrackBatch(f *testing.F) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	f.Add(`{"datum":"wgs84","fixes":[{"id":"01a2193c-cdbd-7146-afca-251709e3ba67","time":"2026-11-26T11:59:00Z","lat":36.65,"lon":117.12,"accuracy":10}]}`)
	f.Add(`{"datum":"gcj02","fixes":[{"id":"01a2193c-cdbd-7146-afca-251709e3ba67","time":"2026-11-26T11:59:00Z","lat":91,"lon":0,"accuracy":-1,"heading":360}]}`)
	f.Add(`{"datum":"wgs84","fixes":[{"id":"01a2193c-cdbd-7146-afca-251709e3ba67","time":"2026-11-26T11:59:00Z","lat":1,"lon":1,"accuracy":1},{"id":"01a2193c-cdbd-7146-afca-251709e3ba67","time":"2026-11-26T11:58:00Z","lat":1,"lon":1,"accuracy":1}]}`)
	f.Add(`{"datum":"wgs84","fixes":[{"id":"00000000-0000-0000-0000-000000000000","time":"3026-01-01T00:00:00Z","lat":1e308,"lon":-1e308,"speed":-0}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		var dto TrackBatchDTO
		if json.Unmarshal([]byte(body), &dto) != nil {
			return
		}
		b := TrackBatch{Datum: Datum(dto.Datum)}
		for _, fx := range dto.Fixes {
			id, _ := uuid.Parse(fx.ID)
			b.Fixes = append(b.Fixes, TrackFix{ClientID: id, Time: fx.Time, Point: geo.Point{Lat: fx.Lat, Lon: fx.Lon},
				Accuracy: fx.Accuracy, Speed: fx.Speed, Heading: fx.Heading, Provider: fx.Provider, Mock: fx.Mock})
		}
		fixes, err := b.validate(now)
		if err != nil {
			return
		}
		seen := map[uuid.UUID]bool{}
		for i, fx := range fixes {
			if fx.Point.Validate() != nil || math.IsNaN(fx.Accuracy) || fx.Accuracy < 0 {
				t.Fatalf("accepted fix %d with point %v accuracy %v", i, fx.Point, fx.Accuracy)
			}
			if fx.Time.After(now.Add(MaxFixAhead)) || fx.Time.Before(now.Add(-MaxFixAge)) {
				t.Fatalf("accepted fix %d at %s", i, fx.Time)
			}
			if i > 0 && fx.Time.Before(fixes[i-1].Time) {
				t.Fatalf("accepted fixes out of order at %d", i)
			}
			if fx.ClientID == uuid.Nil || seen[fx.ClientID] {
				t.Fatalf("accepted fix %d with id %s (nil or repeated)", i, fx.ClientID)
			}
			seen[fx.ClientID] = true
		}
	})
}
