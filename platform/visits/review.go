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
	"github.com/repflow/repflow/platform/store"
)

// Limits of review comments and revision reasons (characters).
const (
	MaxCommentLen = 2000
	MaxReasonLen  = 500
)

// ReviewVisit records a manager's decision on a visit waiting in the review queue. A rejection
// needs a comment saying why; nobody reviews their own visit.
func (s *Service) ReviewVisit(ctx context.Context, id uuid.UUID, decision ReviewStatus, comment string) (Visit, error) {
	p, err := caller(ctx, "review")
	if err != nil {
		return Visit{}, err
	}
	if decision != ReviewAccepted && decision != ReviewRejected {
		return Visit{}, fault.Field("body.decision", `must be "accepted" or "rejected"`, string(decision))
	}
	comment, err = text(comment, "body.comment", MaxCommentLen, decision == ReviewRejected)
	if err != nil {
		return Visit{}, err
	}
	loc, err := s.timeZone(ctx)
	if err != nil {
		return Visit{}, err
	}
	var v Visit
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if v, err = s.loadVisit(ctx, db, id, access.Read); err != nil {
			return err
		}
		region, err := findRegion(db, v.RegionID)
		if err != nil {
			return fmt.Errorf("load visit's region: %w", err)
		}
		r := access.Resource{Kind: access.KindVisitReview, ID: v.ID, OwnerID: v.RepID, RegionPath: region.Path}
		if err := s.warden.Check(ctx, access.Create, r); err != nil {
			return err
		}
		if v.RepID == p.UserID {
			return fault.New(fault.Forbidden, "own_visit", "nobody reviews their own visit: another manager must")
		}
		if v.ReviewStatus != ReviewPending {
			return fault.Newf(fault.Conflict, "not_pending", "the visit is not waiting for review (its review status is %s)", v.ReviewStatus)
		}
		now := s.now()
		err = db.Create(&reviewRow{ID: identity.NewID(), VisitID: v.ID, Decision: string(decision), Comment: comment,
			ReviewerID: p.UserID, CreatedAt: now}).Error
		if err != nil {
			return fmt.Errorf("store review: %w", err)
		}
		v.ReviewStatus, v.UpdatedAt = decision, now
		res := db.Model(&visitRow{}).Where("id = ? AND review_status = ?", v.ID, ReviewPending).
			Updates(map[string]any{"review_status": decision, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fault.New(fault.Conflict, "not_pending", "the visit was reviewed meanwhile: reload it")
		}
		after, err := rereadVisit(db, v.ID)
		if err != nil {
			return err
		}
		before := *after
		before.ReviewStatus = string(ReviewPending) // all the update changed
		return rollVisits(db, loc, visitChange{before: &before, after: after})
	})
	if err != nil {
		return Visit{}, fmt.Errorf("review visit %s: %w", id, err)
	}
	return v, nil
}

// Reviews returns the decisions on a visit, oldest first.
func (s *Service) Reviews(ctx context.Context, id uuid.UUID) ([]Review, error) {
	var out []Review
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if _, err := s.loadVisit(ctx, db, id, access.Read); err != nil {
			return err
		}
		var rows []reviewRow
		if err := db.Where("visit_id = ?", id).Order("created_at, id").Find(&rows).Error; err != nil {
			return err
		}
		out = make([]Review, len(rows))
		for i, r := range rows {
			out[i] = Review{ID: r.ID, VisitID: r.VisitID, Decision: ReviewStatus(r.Decision), Comment: r.Comment,
				ReviewerID: r.ReviewerID, CreatedAt: r.CreatedAt.UTC()}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reviews of visit %s: %w", id, err)
	}
	return out, nil
}

// CorrectVisit adds a revision of a visit's notes: the earlier versions stay, with who wrote
// each and why, so a compliance audit can trace every change.
func (s *Service) CorrectVisit(ctx context.Context, id uuid.UUID, notes, reason string) (Visit, error) {
	p, err := caller(ctx, "correct a visit")
	if err != nil {
		return Visit{}, err
	}
	notes, err = text(notes, "body.notes", MaxNotesLen, false)
	if err != nil {
		return Visit{}, err
	}
	if reason, err = text(reason, "body.reason", MaxReasonLen, true); err != nil {
		return Visit{}, err
	}
	var v Visit
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if v, err = s.loadVisit(ctx, db, id, access.Update); err != nil {
			return err
		}
		now := s.now()
		v.Revision++
		if err := addRevision(db, v.ID, v.Revision, notes, reason, p.UserID, now); err != nil {
			return err
		}
		v.Notes, v.UpdatedAt = notes, now
		return db.Model(&visitRow{}).Where("id = ?", v.ID).Updates(map[string]any{"revision": v.Revision, "updated_at": now}).Error
	})
	if err != nil {
		return Visit{}, fmt.Errorf("correct visit %s: %w", id, err)
	}
	return v, nil
}

// addRevision appends a version of a visit's notes. Two corrections made at the same moment
// claim the same number: the second is told to reload rather than silently overwrite.
func addRevision(db *gorm.DB, visit uuid.UUID, revision int, notes, reason string, author uuid.UUID, at time.Time) error {
	err := db.Create(&revisionRow{VisitID: visit, Revision: revision, Notes: notes, Reason: reason, AuthorID: author, CreatedAt: at}).Error
	if store.IsUniqueViolation(err) {
		return fault.New(fault.Conflict, "concurrent_revision", "someone changed the visit's notes at the same moment: reload it and try again")
	}
	if err != nil {
		return fmt.Errorf("store revision: %w", err)
	}
	return nil
}
