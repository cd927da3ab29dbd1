package visits

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/store"
)

// visitColumns place a visit for scopes: owned by its rep, in its customer's region.
var visitColumns = access.Columns{Owner: "visits.rep_id", RegionID: "visits.region_id"}

// VisitFilter narrows ListVisits.
type VisitFilter struct {
	RepID        *uuid.UUID
	CustomerID   *uuid.UUID
	From, To     time.Time // started in [From, To); zero leaves that side open
	Status       VisitStatus
	ReviewStatus ReviewStatus
	Limit        int
	After        *uuid.UUID // keyset cursor: the last id of the previous page
}

// VisitPage is one page of visits, newest id first; Next is nil on the last page.
type VisitPage struct {
	Visits []Visit
	Next   *uuid.UUID
}

// GetVisit returns one visit with its notes and photos; one outside the caller's scope is not found.
func (s *Service) GetVisit(ctx context.Context, id uuid.UUID) (Visit, error) {
	var v Visit
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var err error
		v, err = s.loadVisit(ctx, db, id, access.Read)
		return err
	})
	if err != nil {
		return Visit{}, fmt.Errorf("get visit %s: %w", id, err)
	}
	return v, nil
}

// ListVisits returns the visits the caller may list, newest first, one page at a time.
func (s *Service) ListVisits(ctx context.Context, f VisitFilter) (VisitPage, error) {
	return s.listVisits(ctx, access.KindVisit, f)
}

// ReviewQueue lists the visits waiting for the caller's review (or, with f.ReviewStatus, those
// already reviewed), within the caller's review scope.
func (s *Service) ReviewQueue(ctx context.Context, f VisitFilter) (VisitPage, error) {
	if f.ReviewStatus == "" || f.ReviewStatus == ReviewNone {
		f.ReviewStatus = ReviewPending
	}
	return s.listVisits(ctx, access.KindVisitReview, f)
}

func (s *Service) listVisits(ctx context.Context, kind access.Kind, f VisitFilter) (VisitPage, error) {
	if f.Limit <= 0 {
		f.Limit = DefaultPageSize
	}
	f.Limit = min(f.Limit, MaxPageSize)
	var page VisitPage
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, kind, visitColumns)
		if err != nil {
			return err
		}
		q := db.Model(&visitRow{}).Scopes(scope)
		if f.RepID != nil {
			q = q.Where("visits.rep_id = ?", *f.RepID)
		}
		if f.CustomerID != nil {
			q = q.Where("visits.customer_id = ?", *f.CustomerID)
		}
		if !f.From.IsZero() {
			q = q.Where("visits.started_at >= ?", f.From.UTC())
		}
		if !f.To.IsZero() {
			q = q.Where("visits.started_at < ?", f.To.UTC())
		}
		if f.Status != "" {
			q = q.Where("visits.status = ?", f.Status)
		}
		if f.ReviewStatus != "" {
			q = q.Where("visits.review_status = ?", f.ReviewStatus)
		}
		if f.After != nil {
			q = q.Where("visits.id < ?", *f.After)
		}
		var rows []visitRow
		if err := q.Order("visits.id DESC").Limit(f.Limit + 1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) > f.Limit {
			rows = rows[:f.Limit]
			last := rows[len(rows)-1].ID
			page.Next = &last
		}
		page.Visits = make([]Visit, len(rows))
		for i, r := range rows {
			if page.Visits[i], err = toVisit(r); err != nil {
				return err
			}
		}
		return loadVisitDetails(db, page.Visits)
	})
	if err != nil {
		return VisitPage{}, fmt.Errorf("list visits: %w", err)
	}
	return page, nil
}

// Revisions returns every version of a visit's notes, oldest first.
func (s *Service) Revisions(ctx context.Context, id uuid.UUID) ([]Revision, error) {
	var out []Revision
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if _, err := s.loadVisit(ctx, db, id, access.Read); err != nil {
			return err
		}
		var rows []revisionRow
		if err := db.Where("visit_id = ?", id).Order("revision").Find(&rows).Error; err != nil {
			return err
		}
		out = make([]Revision, len(rows))
		for i, r := range rows {
			out[i] = Revision{Revision: r.Revision, Notes: r.Notes, Reason: r.Reason, AuthorID: r.AuthorID, CreatedAt: r.CreatedAt.UTC()}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("revisions of visit %s: %w", id, err)
	}
	return out, nil
}

// loadVisit loads a visit with its details and asks the warden whether the caller may act on
// it; a visit outside the caller's scope is not found, like a missing one.
func (s *Service) loadVisit(ctx context.Context, db *gorm.DB, id uuid.UUID, a access.Action) (Visit, error) {
	var r visitRow
	err := db.Where("id = ?", id).Take(&r).Error
	if store.IsNotFound(err) {
		return Visit{}, fault.NotFoundf("visit")
	}
	if err != nil {
		return Visit{}, fmt.Errorf("load visit: %w", err)
	}
	region, err := findRegion(db, r.RegionID)
	if err != nil {
		return Visit{}, fmt.Errorf("load visit's region: %w", err)
	}
	if err := s.warden.CheckRow(ctx, a, visitResource(r.ID, r.RepID, region.Path), "visit"); err != nil {
		return Visit{}, err
	}
	v, err := toVisit(r)
	if err != nil {
		return Visit{}, err
	}
	vs := []Visit{v}
	if err := loadVisitDetails(db, vs); err != nil {
		return Visit{}, err
	}
	return vs[0], nil
}

func visitResource(id, rep uuid.UUID, regionPath string) access.Resource {
	return access.Resource{Kind: access.KindVisit, ID: id, OwnerID: rep, RegionPath: regionPath}
}
