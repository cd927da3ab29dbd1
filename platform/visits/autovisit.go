package visits

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/visits/geo"
)

// checkInLead is how long before the track saw a rep enter a fence a check-in may have been
// made and still belong to that stay: GPS often notices the arrival late.
const checkInLead = 30 * time.Minute

// autoVisits turns dwell and exit events into visits: dwelling in a customer's fence opens a
// visit that began when the rep entered, and leaving closes it, so the visit's duration is
// measured without anyone tapping a button. A rep who checked in by hand during the stay already
// has a visit there; the track then adds none (the check-out closes the rep's own). Leaving a
// fence without having dwelled closes nothing and costs no query.
//
// The batch's events are decided together in memory over the rep's visits that can matter
// (open ones, and those begun since the earliest stay), then written in one insert and an
// update per visit closed that an earlier batch opened: a busy batch holds hundreds of events.
func (s *Service) autoVisits(db *gorm.DB, loc *time.Location, rep uuid.UUID, res *IngestResult) error {
	var relevant []FenceEvent
	var earliest time.Time
	for _, e := range res.Events {
		if e.Kind == geo.Dwell || (e.Kind == geo.Exit && e.dwelled) {
			relevant = append(relevant, e)
			if earliest.IsZero() || e.Since.Before(earliest) {
				earliest = e.Since
			}
		}
	}
	if len(relevant) == 0 {
		return nil
	}
	var known []*visitRow
	var open, recent []visitRow
	// The literal 'open' lets PostgreSQL use the partial index even in a generic plan.
	if err := db.Where("rep_id = ? AND status = 'open'", rep).Find(&open).Error; err != nil {
		return fmt.Errorf("load open visits: %w", err)
	}
	if err := db.Where("rep_id = ? AND started_at >= ? AND status = 'closed'", rep, earliest.Add(-checkInLead)).Find(&recent).Error; err != nil {
		return fmt.Errorf("load recent visits: %w", err)
	}
	for i := range open {
		known = append(known, &open[i])
	}
	for i := range recent {
		known = append(known, &recent[i])
	}
	var created []*visitRow
	closedEarlier := map[uuid.UUID]time.Time{}
	for _, e := range relevant {
		switch e.Kind {
		case geo.Dwell:
			if recorded(known, e.CustomerID, e.Since) {
				continue
			}
			now := s.now()
			v := Visit{ID: identity.NewID(), RepID: e.RepID, CustomerID: e.CustomerID, RegionID: e.RegionID, Source: SourceAuto,
				Status: VisitOpen, StartedAt: e.Since, Verdict: trustedVerdict(), ReviewStatus: ReviewNone, CreatedAt: now, UpdatedAt: now}
			row, err := toVisitRow(v, nil)
			if err != nil {
				return err
			}
			known = append(known, &row)
			created = append(created, &row)
			res.Opened = append(res.Opened, v.ID)
		case geo.Exit:
			for _, v := range known {
				if v.CustomerID == e.CustomerID && v.Status == string(VisitOpen) && v.Source == string(SourceAuto) {
					at := e.At
					v.Status, v.EndedAt, v.UpdatedAt = string(VisitClosed), &at, s.now()
					if !isCreated(created, v) {
						closedEarlier[v.ID] = at
					}
					res.Closed = append(res.Closed, v.ID)
					break
				}
			}
		}
	}
	var changes []visitChange
	if len(created) > 0 {
		rows := make([]visitRow, len(created))
		for i, r := range created {
			rows[i] = *r
			changes = append(changes, visitChange{after: &rows[i]})
		}
		if err := db.CreateInBatches(rows, 200).Error; err != nil {
			return fmt.Errorf("open automatic visits: %w", err)
		}
	}
	for id, at := range closedEarlier {
		res := db.Model(&visitRow{}).Where("id = ? AND status = 'open'", id).
			Updates(map[string]any{"status": VisitClosed, "ended_at": at, "updated_at": s.now()})
		if res.Error != nil {
			return fmt.Errorf("close automatic visit: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			continue // closed meanwhile, by whoever closed it
		}
		closed, err := rereadVisit(db, id)
		if err != nil {
			return err
		}
		changes = append(changes, visitChange{after: closed}) // open before: it added nothing
	}
	return rollVisits(db, loc, changes...)
}

// recorded reports whether one of the rep's visits already records the stay at customer that
// began at since: a visit open now, or one that ended during the stay.
func recorded(known []*visitRow, customer uuid.UUID, since time.Time) bool {
	for _, v := range known {
		if v.CustomerID != customer {
			continue
		}
		if v.Status == string(VisitOpen) || (v.EndedAt != nil && !v.EndedAt.Before(since)) {
			return true
		}
	}
	return false
}

func isCreated(created []*visitRow, v *visitRow) bool {
	for _, c := range created {
		if c == v {
			return true
		}
	}
	return false
}
