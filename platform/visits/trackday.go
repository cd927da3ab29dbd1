package visits

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/visits/geo"
)

// MaxDayFixes bounds a day's track: a phone sending every 15 s all day long sends 5,760. A longer
// day keeps its latest fixes, the ones a live map is about.
const MaxDayFixes = 10_000

// DayFix is one fix of a rep's track as a map draws it.
type DayFix struct {
	Time     time.Time
	Point    geo.Point
	Accuracy float64
}

// TrackDay is a rep's track and fence events of one day in the tenant's zone, in time order.
type TrackDay struct {
	RepID     uuid.UUID
	Fixes     []DayFix
	Events    []FenceEvent
	Truncated bool // more than MaxDayFixes fixes: the earliest are left out
}

// repColumns place a rep for track scopes: the rep, in the rep's home region.
var repColumns = access.Columns{Owner: "users.id", RegionPath: "regions.path"}

// RepTrackDay returns rep's track of day (YYYY-MM-DD, the tenant's zone): the fixes the phone
// sent, less those a mock-location app made, and the fence events they caused. A rep whose
// tracks the caller may not read is not found, like a missing one.
func (s *Service) RepTrackDay(ctx context.Context, rep uuid.UUID, day string) (TrackDay, error) {
	loc, err := s.timeZone(ctx)
	if err != nil {
		return TrackDay{}, err
	}
	from, err := time.ParseInLocation(time.DateOnly, day, loc)
	if err != nil {
		return TrackDay{}, fault.Field("query.date", "is not a date (YYYY-MM-DD)", day)
	}
	to := from.AddDate(0, 0, 1)
	out := TrackDay{RepID: rep, Fixes: []DayFix{}, Events: []FenceEvent{}}
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.Read, access.KindTrack, repColumns)
		if err != nil {
			return err
		}
		var n int64
		err = db.Model(&userRow{}).Joins("JOIN regions ON regions.tenant_id = users.tenant_id AND regions.id = users.region_id").
			Where("users.id = ?", rep).Scopes(scope).Count(&n).Error
		if err != nil {
			return fmt.Errorf("find rep: %w", err)
		}
		if n == 0 {
			return fault.NotFoundf("rep")
		}
		var fixes []trackFixRow
		err = db.Where("rep_id = ? AND fixed_at >= ? AND fixed_at < ? AND mock = ?", rep, from.UTC(), to.UTC(), false).
			Order("fixed_at DESC").Limit(MaxDayFixes + 1).Find(&fixes).Error
		if err != nil {
			return fmt.Errorf("load fixes: %w", err)
		}
		if len(fixes) > MaxDayFixes {
			fixes, out.Truncated = fixes[:MaxDayFixes], true
		}
		slices.Reverse(fixes)
		for _, f := range fixes {
			out.Fixes = append(out.Fixes, DayFix{Time: f.FixedAt.UTC(), Point: geo.Point{Lat: f.Lat, Lon: f.Lon}, Accuracy: f.Accuracy})
		}
		var events []fenceEventRow
		err = db.Where("rep_id = ? AND at >= ? AND at < ?", rep, from.UTC(), to.UTC()).Order("at, kind").Find(&events).Error
		if err != nil {
			return fmt.Errorf("load fence events: %w", err)
		}
		for _, e := range events {
			out.Events = append(out.Events, FenceEvent{ID: e.ID, RepID: e.RepID, CustomerID: e.CustomerID, RegionID: e.RegionID,
				Kind: geo.EventKind(e.Kind), At: e.At.UTC(), Since: e.Since.UTC()})
		}
		return nil
	})
	if err != nil {
		return TrackDay{}, fmt.Errorf("track of rep %s on %s: %w", rep, day, err)
	}
	return out, nil
}
