package visits

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
)

// CustomerPlace is where a customer sits for access control: its owner rep and its region's
// materialised path. Other domains copy it onto the rows they keep for the customer (orders,
// opportunities, activities), so that their scopes reach the same people as the customer's.
type CustomerPlace struct {
	ID         uuid.UUID
	OwnerID    uuid.UUID
	RegionPath string
}

// PlaceCustomer returns the place of a customer the caller may read; one the caller cannot read
// is not found, like a missing one.
func (s *Service) PlaceCustomer(ctx context.Context, id uuid.UUID) (CustomerPlace, error) {
	var p CustomerPlace
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		c, err := s.loadCustomer(ctx, db, id, access.Read)
		if err != nil {
			return err
		}
		region, err := findRegion(db, c.RegionID)
		if err != nil {
			return fmt.Errorf("load customer's region: %w", err)
		}
		p = CustomerPlace{ID: c.ID, OwnerID: c.OwnerID, RegionPath: region.Path}
		return nil
	})
	if err != nil {
		return CustomerPlace{}, fmt.Errorf("place customer %s: %w", id, err)
	}
	return p, nil
}
