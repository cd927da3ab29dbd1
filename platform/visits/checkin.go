package visits

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/visits/trust"
)

// How much of a rep's history the trust verdict looks at for replayed fixes.
const (
	replayWindow     = 12 * time.Hour
	replayMaxFixes   = 500
	replayMaxReadins = 100
)

// CheckInInput is a rep's check-in at a customer, as the phone sends it.
type CheckInInput struct {
	// ClientID is the phone's own id for the check-in: a retry returns the visit it made.
	ClientID   uuid.UUID
	CustomerID uuid.UUID
	Position   Position
	Accuracy   float64
	DeviceTime time.Time
	Mock       bool
	Provider   string
	Notes      string
}

// CheckOutInput ends a visit; Notes, when given, become a new revision.
type CheckOutInput struct {
	Position   Position
	Accuracy   float64
	DeviceTime time.Time
	Notes      *string
}

// CheckIn opens a visit at a customer the caller may see, with the trust verdict of its fix. A
// visit that is not trusted waits in the manager's review queue. Retrying with the same ClientID
// returns the first visit (created is then false). If the track already opened an automatic
// visit there, the check-in confirms that visit instead of adding a second one.
func (s *Service) CheckIn(ctx context.Context, in CheckInInput) (v Visit, created bool, err error) {
	p, err := caller(ctx, "check in")
	if err != nil {
		return Visit{}, false, err
	}
	received := s.now()
	reading, err := validReading(in.Position, in.Accuracy, in.DeviceTime, received)
	if err != nil {
		return Visit{}, false, err
	}
	reading.Mock, reading.Provider = in.Mock, in.Provider
	if in.ClientID == uuid.Nil {
		return Visit{}, false, fault.Field("body.id", "is required: the phone's own UUID for the check-in", nil)
	}
	if len(in.Provider) > MaxProviderLen {
		return Visit{}, false, fault.Field("body.provider", fmt.Sprintf("is longer than %d characters", MaxProviderLen), in.Provider)
	}
	notes, err := text(in.Notes, "body.notes", MaxNotesLen, false)
	if err != nil {
		return Visit{}, false, err
	}
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var prior visitRow
		if err := db.Where("rep_id = ? AND client_id = ?", p.UserID, in.ClientID).Limit(1).Find(&prior).Error; err != nil {
			return fmt.Errorf("find earlier attempt: %w", err)
		}
		if prior.ID != uuid.Nil {
			v, err = s.loadVisit(ctx, db, prior.ID, access.Read)
			return err
		}
		c, err := s.loadCustomer(ctx, db, in.CustomerID, access.Read)
		if fault.Is(err, fault.NotFound) {
			return fault.Reference("body.customer_id", "there is no such customer", in.CustomerID)
		}
		if err != nil {
			return err
		}
		region, err := findRegion(db, c.RegionID)
		if err != nil {
			return fmt.Errorf("load customer's region: %w", err)
		}
		if err := s.warden.Check(ctx, access.Create, access.Resource{Kind: access.KindVisit, OwnerID: p.UserID, RegionPath: region.Path}); err != nil {
			return err
		}
		verdict, distance, err := s.verdict(db, p.UserID, c.Fence, reading, received)
		if err != nil {
			return err
		}
		v = Visit{ID: identity.NewID(), RepID: p.UserID, CustomerID: c.ID, RegionID: c.RegionID, Source: SourceCheckIn,
			Status: VisitOpen, StartedAt: received, CheckIn: &reading, Verdict: verdict, DistanceM: &distance,
			ReviewStatus: ReviewNone, Revision: 1, CreatedAt: received, UpdatedAt: received}
		if !verdict.Trusted {
			v.ReviewStatus = ReviewPending
		}
		if err := s.openCheckIn(db, &v, in.ClientID); err != nil {
			return err
		}
		v.Notes = notes
		created = true
		return addRevision(db, v.ID, v.Revision, notes, "check-in", p.UserID, received)
	})
	if err != nil {
		return Visit{}, false, fmt.Errorf("check in: %w", err)
	}
	return v, created, nil
}

// openCheckIn stores the check-in's visit, or turns the rep's open automatic visit at the same
// customer into it (keeping when the rep entered as the start).
func (s *Service) openCheckIn(db *gorm.DB, v *Visit, clientID uuid.UUID) error {
	var auto visitRow
	err := db.Where("rep_id = ? AND customer_id = ? AND status = ? AND source = ?", v.RepID, v.CustomerID, VisitOpen, SourceAuto).
		Limit(1).Find(&auto).Error
	if err != nil {
		return fmt.Errorf("find automatic visit: %w", err)
	}
	if auto.ID == uuid.Nil {
		row, err := toVisitRow(*v, &clientID)
		if err != nil {
			return err
		}
		return db.Create(&row).Error
	}
	v.ID, v.StartedAt, v.CreatedAt, v.Revision = auto.ID, auto.StartedAt.UTC(), auto.CreatedAt.UTC(), auto.Revision+1
	row, err := toVisitRow(*v, &clientID)
	if err != nil {
		return err
	}
	return db.Model(&visitRow{}).Where("id = ? AND status = ?", auto.ID, VisitOpen).Select("*").Omit("tenant_id", "id").Updates(&row).Error
}

// verdict judges a check-in against the customer's fence and the rep's recent history.
func (s *Service) verdict(db *gorm.DB, rep uuid.UUID, fence geo.Fence, r Reading, received time.Time) (trust.Verdict, float64, error) {
	in := trust.CheckIn{Fix: trust.Fix{Point: r.Point, Accuracy: r.Accuracy, DeviceTime: r.DeviceTime, Mock: r.Mock, Provider: r.Provider},
		ServerTime: received, Fence: fence}
	var fixes []trackFixRow
	err := db.Where("rep_id = ? AND fixed_at >= ? AND mock = ?", rep, received.Add(-replayWindow), false).
		Order("fixed_at DESC").Limit(replayMaxFixes).Find(&fixes).Error
	if err != nil {
		return trust.Verdict{}, 0, fmt.Errorf("load recent fixes: %w", err)
	}
	for _, f := range fixes {
		tf := trust.Fix{Point: geo.Point{Lat: f.Lat, Lon: f.Lon}, Accuracy: f.Accuracy, DeviceTime: f.FixedAt.UTC(), Provider: f.Provider}
		// The previous fix is the latest one taken before this check-in's.
		if in.Previous == nil && tf.DeviceTime.Before(r.DeviceTime) {
			prev := tf
			in.Previous = &prev
		}
		in.RecentFixes = append(in.RecentFixes, tf)
	}
	var earlier []visitRow
	err = db.Where("rep_id = ? AND source = ? AND started_at >= ?", rep, SourceCheckIn, received.Add(-7*24*time.Hour)).
		Order("started_at DESC").Limit(replayMaxReadins).Find(&earlier).Error
	if err != nil {
		return trust.Verdict{}, 0, fmt.Errorf("load earlier check-ins: %w", err)
	}
	for _, e := range earlier {
		if e.CheckinLat != nil && e.CheckinLon != nil && e.CheckinDeviceTime != nil {
			in.RecentFixes = append(in.RecentFixes, trust.Fix{Point: geo.Point{Lat: *e.CheckinLat, Lon: *e.CheckinLon},
				Accuracy: deref(e.CheckinAccuracy), DeviceTime: e.CheckinDeviceTime.UTC()})
		}
	}
	return trust.Evaluate(in, *s.opts.Trust), fence.Distance(r.Point), nil
}

// CheckOut closes the caller's open visit. The visit's facts are final from then on. A retried
// check-out (same device time) returns the closed visit.
func (s *Service) CheckOut(ctx context.Context, id uuid.UUID, in CheckOutInput) (Visit, error) {
	p, err := caller(ctx, "check out")
	if err != nil {
		return Visit{}, err
	}
	received := s.now()
	reading, err := validReading(in.Position, in.Accuracy, in.DeviceTime, received)
	if err != nil {
		return Visit{}, err
	}
	var notes *string
	if in.Notes != nil {
		n, err := text(*in.Notes, "body.notes", MaxNotesLen, false)
		if err != nil {
			return Visit{}, err
		}
		notes = &n
	}
	loc, err := s.timeZone(ctx)
	if err != nil {
		return Visit{}, err
	}
	var v Visit
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if v, err = s.loadVisit(ctx, db, id, access.Update); err != nil {
			return err
		}
		if v.RepID != p.UserID {
			return fault.New(fault.Forbidden, "forbidden", "only the rep on the visit can check out")
		}
		if v.Status == VisitClosed {
			if v.CheckOut != nil && v.CheckOut.DeviceTime.Equal(reading.DeviceTime) {
				return nil // the same check-out, retried
			}
			return fault.Newf(fault.Conflict, "visit_closed", "the visit was checked out at %s; correct its notes with a revision instead",
				v.EndedAt.Format(time.RFC3339))
		}
		// An offline phone sends its check-out late, so the phone's clock says when the visit
		// ended: measured from its reading at check-in, so that a phone clock a little off the
		// server's still gives the visit its true length, and never later than now.
		ended := reading.DeviceTime
		if v.CheckIn != nil {
			ended = v.StartedAt.Add(reading.DeviceTime.Sub(v.CheckIn.DeviceTime))
		}
		if ended.After(received) {
			ended = received
		}
		if ended.Before(v.StartedAt) {
			return fault.Field("body.device_time", "is before the check-in ("+v.StartedAt.Format(time.RFC3339)+" by the server's clock)", reading.DeviceTime)
		}
		v.Status, v.EndedAt, v.CheckOut, v.UpdatedAt = VisitClosed, &ended, &reading, received
		if notes != nil && *notes != v.Notes {
			v.Revision++
			if err := addRevision(db, v.ID, v.Revision, *notes, "check-out", p.UserID, received); err != nil {
				return err
			}
			v.Notes = *notes
		}
		res := db.Model(&visitRow{}).Where("id = ? AND status = ?", v.ID, VisitOpen).Updates(map[string]any{
			"status": VisitClosed, "ended_at": ended, "checkout_lat": reading.Point.Lat, "checkout_lon": reading.Point.Lon,
			"checkout_accuracy": reading.Accuracy, "checkout_device_time": reading.DeviceTime, "revision": v.Revision,
			"updated_at": received,
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fault.New(fault.Conflict, "visit_closed", "the visit was closed meanwhile: reload it")
		}
		closed, err := rereadVisit(db, v.ID)
		if err != nil {
			return err
		}
		v.ReviewStatus = ReviewStatus(closed.ReviewStatus)     // a review may have landed meanwhile
		return rollVisits(db, loc, visitChange{after: closed}) // open before: it added nothing
	})
	if err != nil {
		return Visit{}, fmt.Errorf("check out of visit %s: %w", id, err)
	}
	return v, nil
}

// validReading validates a position reading and converts it to WGS84.
func validReading(pos Position, accuracy float64, deviceTime time.Time, now time.Time) (Reading, error) {
	const at = "body"
	point, err := pos.wgs84(at + ".location")
	if err != nil {
		return Reading{}, err
	}
	if !finite(accuracy) || accuracy < 0 {
		return Reading{}, fault.Field(at+".accuracy", "must be a finite number of metres, 0 or more", fmt.Sprint(accuracy))
	}
	switch {
	case deviceTime.IsZero():
		return Reading{}, fault.Field(at+".device_time", "is required", nil)
	case deviceTime.Before(now.Add(-MaxFixAge)):
		return Reading{}, fault.Field(at+".device_time", "is more than 31 days old", deviceTime)
	}
	// A device clock far ahead is not refused here: the verdict records it as clock skew.
	return Reading{Point: point, Accuracy: accuracy, DeviceTime: deviceTime.UTC().Truncate(time.Microsecond)}, nil
}
