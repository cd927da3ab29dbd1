package visits

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"

	"github.com/repflow/repflow/platform/visits/geo"
)

// autoVisits turns dwell and exit events into visits: dwelling in a customer's fence opens a
// visit that began when the rep entered, and leaving closes it, so the visit's duration is
// measured without anyone tapping a button. A rep who checked in by hand during the stay already
// has a visit there; the track then adds none (the check-out closes the rep's own).
func (s *Service) autoVisits(ctx context.Context, db *gorm.DB, res *IngestResult) error {
	for _, e := range res.Events {
		switch e.Kind {
		case geo.Dwell:
			// A visit open now, or one the rep checked in and out of during this stay, already
			// records it.
			var recorded int64
			err := db.Model(&visitRow{}).Where("rep_id = ? AND customer_id = ? AND (status = ? OR ended_at >= ?)",
				e.RepID, e.CustomerID, VisitOpen, e.Since).Count(&recorded).Error
			if err != nil {
				return fmt.Errorf("find visit: %w", err)
			}
			if recorded > 0 {
				continue
			}
			now := s.now()
			v := Visit{ID: identity.NewID(), RepID: e.RepID, CustomerID: e.CustomerID, RegionID: e.RegionID, Source: SourceAuto,
				Status: VisitOpen, StartedAt: e.Since, Verdict: trustedVerdict(), ReviewStatus: ReviewNone,
				CreatedAt: now, UpdatedAt: now}
			row, err := toVisitRow(v, nil)
			if err != nil {
				return err
			}
			if err := db.Create(&row).Error; err != nil {
				return fmt.Errorf("open automatic visit: %w", err)
			}
			res.Opened = append(res.Opened, v.ID)
		case geo.Exit:
			var row visitRow
			err := db.Where("rep_id = ? AND customer_id = ? AND status = ? AND source = ?", e.RepID, e.CustomerID, VisitOpen, SourceAuto).
				Limit(1).Find(&row).Error
			if err != nil {
				return fmt.Errorf("find automatic visit: %w", err)
			}
			if row.ID == [16]byte{} {
				continue // a pass-by too short to count as a visit
			}
			err = db.Model(&visitRow{}).Where("id = ? AND status = ?", row.ID, VisitOpen).
				Updates(map[string]any{"status": VisitClosed, "ended_at": e.At, "updated_at": s.now()}).Error
			if err != nil {
				return fmt.Errorf("close automatic visit: %w", err)
			}
			res.Closed = append(res.Closed, row.ID)
		}
	}
	return nil
}
