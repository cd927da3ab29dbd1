package pipeline

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
)

// Likely is an open opportunity as a suggestion to close it shows it.
type Likely struct {
	ID            uuid.UUID
	Name          string
	CustomerID    uuid.UUID
	StageName     string
	Probability   int // percent, the stage's
	Amount        decimal.Decimal
	Currency      string
	ExpectedClose string // YYYY-MM-DD, or ""
}

// LikelyToClose lists up to n of the owner's open opportunities the caller may list, most likely
// to close first: by their stage's win probability, then the nearest expected close (those
// without one last), then the largest amount.
func (s *Service) LikelyToClose(ctx context.Context, owner uuid.UUID, n int) ([]Likely, error) {
	var out []Likely
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, access.KindOpportunity, opportunityColumns)
		if err != nil {
			return err
		}
		return db.Model(&opportunityRow{}).Scopes(scope).
			Select(`opportunities.id, opportunities.name, opportunities.customer_id, st.name AS stage_name, st.probability,
				opportunities.amount, opportunities.currency, opportunities.expected_close`).
			Joins("JOIN pipeline_stages st ON st.tenant_id = opportunities.tenant_id AND st.id = opportunities.stage_id").
			Where("opportunities.owner_id = ? AND opportunities.status = ?", owner, string(Open)).
			Order("st.probability DESC, opportunities.expected_close = '', opportunities.expected_close, opportunities.amount DESC, opportunities.id").
			Limit(n).Scan(&out).Error
	})
	if err != nil {
		return nil, fmt.Errorf("opportunities likely to close: %w", err)
	}
	return out, nil
}
