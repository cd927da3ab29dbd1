package activities

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/store"
)

// PunctualityQuery asks for the milestones the on-time rate of a period [From, To) judges: those
// of the projects of the owner (or of every rep the caller may see the activities of).
type PunctualityQuery struct {
	OwnerID  *uuid.UUID
	From, To string // YYYY-MM-DD in the tenant's zone; To is exclusive
}

// JudgedMilestone is a milestone due in the period, of a project OwnerID owns; OnTime when done
// on or before its planned day.
type JudgedMilestone struct {
	Milestone
	OwnerID uuid.UUID
	OnTime  bool
}

// MilestonePunctuality lists the milestones that the reps' on-time rates of the period count
// (Metrics' Milestones.Due, of which Milestones.OnTime are on time): loaded, seen and judged as
// the figures are. Rep by rep, by planned day.
func (s *Service) MilestonePunctuality(ctx context.Context, q PunctualityQuery) ([]JudgedMilestone, error) {
	ctx = store.Analytical(ctx)
	loc, err := s.timeZone(ctx)
	if err != nil {
		return nil, err
	}
	if _, _, err := period(q.From, q.To, loc); err != nil {
		return nil, err
	}
	today, err := s.today(ctx)
	if err != nil {
		return nil, err
	}
	var only []uuid.UUID
	if q.OwnerID != nil {
		only = []uuid.UUID{*q.OwnerID}
	}
	out := []JudgedMilestone{}
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		reps, err := s.visibleReps(ctx, db, only)
		if err != nil || len(reps) == 0 {
			return err
		}
		milestones, err := s.repMilestones(ctx, db, reps, q.From, q.To)
		if err != nil {
			return err
		}
		for _, rep := range reps {
			for _, m := range milestones[rep] {
				if due, onTime := judge(m, q.From, q.To, today); due {
					out = append(out, JudgedMilestone{Milestone: m, OwnerID: rep, OnTime: onTime})
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("milestone punctuality: %w", err)
	}
	return out, nil
}
