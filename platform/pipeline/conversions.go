package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/store"
)

// ConversionQuery asks for the opportunities judged for conversion in [From, To): those of the
// owner (or of every rep the caller may see) that entered an open stage in the period.
type ConversionQuery struct {
	OwnerID  *uuid.UUID
	From, To time.Time
	After    *uuid.UUID // cursor: the last id of the previous page
	Limit    int
}

// JudgedOpportunity is an opportunity judged for conversion; Converted when an entry of the
// period was followed by a move to a later stage or a won one by To.
type JudgedOpportunity struct {
	Opportunity
	Converted bool
}

// ConversionPage is one page of judged opportunities, by id.
type ConversionPage struct {
	Opportunities []JudgedOpportunity
	Next          *uuid.UUID
}

// Conversions lists the opportunities that the conversion figure of the period judges (Metrics'
// Judged), from the figure's own computation: the list cannot judge otherwise than the figure.
func (s *Service) Conversions(ctx context.Context, q ConversionQuery) (ConversionPage, error) {
	ctx = store.Analytical(ctx)
	if !q.From.Before(q.To) {
		return ConversionPage{}, fault.Field("query.to", "must be after from", q.To.String())
	}
	mq := MetricsQuery{From: q.From, To: q.To}
	if q.OwnerID != nil {
		mq.RepIDs = []uuid.UUID{*q.OwnerID}
	}
	limit := pageSize(q.Limit)
	var page ConversionPage
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		// The figures are computed whole for each page: the period's opportunities and moves
		// are what the figure itself reads.
		ms, err := s.metrics(ctx, db, mq)
		if err != nil {
			return err
		}
		var judged []Judged
		for _, m := range ms {
			judged = append(judged, m.Judged...)
		}
		slices.SortFunc(judged, func(a, b Judged) int { return bytes.Compare(a.OpportunityID[:], b.OpportunityID[:]) })
		if q.After != nil {
			judged = slices.DeleteFunc(judged, func(j Judged) bool { return bytes.Compare(j.OpportunityID[:], q.After[:]) <= 0 })
		}
		judged, page.Next = cut(judged, limit, func(j Judged) uuid.UUID { return j.OpportunityID })
		converted := make(map[uuid.UUID]bool, len(judged))
		ids := make([]uuid.UUID, len(judged))
		for i, j := range judged {
			ids[i], converted[j.OpportunityID] = j.OpportunityID, j.Converted
		}
		var rows []opportunityRow
		if len(ids) > 0 {
			if err := db.Where("id IN ?", ids).Order("id").Find(&rows).Error; err != nil {
				return err
			}
		}
		opps, err := s.opportunities(db, rows)
		for _, o := range opps {
			page.Opportunities = append(page.Opportunities, JudgedOpportunity{Opportunity: o, Converted: converted[o.ID]})
		}
		return err
	})
	if err != nil {
		return ConversionPage{}, fmt.Errorf("conversions: %w", err)
	}
	return page, nil
}
