package visits

import (
	"bytes"
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/store"
)

// CoverageQuery asks for one rep's customers due a visit in a period [From, To) of days in the
// tenant's zone: the customers the coverage figure of that period is over.
type CoverageQuery struct {
	RepID    uuid.UUID
	From, To string     // YYYY-MM-DD; To is exclusive
	Limit    int        // page size
	After    *uuid.UUID // keyset cursor: the last id of the previous page
}

// CoverageCustomer is a customer due a visit in the period; Covered when its rep visited it (a visit
// that counts): the figure's numerator.
type CoverageCustomer struct {
	ID, OwnerID uuid.UUID
	Name        string
	Grade       Grade
	Covered     bool
}

// CoveragePage is one page of due customers, by id; Next is nil on the last page.
type CoveragePage struct {
	Customers []CoverageCustomer
	Next      *uuid.UUID
}

// Coverage lists the customers the rep's coverage figure of the period counts (Metrics'
// CustomersDue, of which CustomersCovered are covered), computed as the figure computes them
// and seen as it sees them: a rep whose visits the caller may not list has none.
func (s *Service) Coverage(ctx context.Context, q CoverageQuery) (CoveragePage, error) {
	ctx = store.Analytical(ctx)
	from, to, loc, err := s.period(ctx, q.From, q.To)
	if err != nil {
		return CoveragePage{}, err
	}
	if q.Limit <= 0 {
		q.Limit = DefaultPageSize
	}
	q.Limit = min(q.Limit, MaxPageSize)
	var page CoveragePage
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		reps, err := s.visibleReps(ctx, db, []uuid.UUID{q.RepID})
		if err != nil || len(reps) == 0 {
			return err
		}
		cad, err := loadCadences(db)
		if err != nil {
			return err
		}
		// The whole list is computed for each page: the rule decides over the rep's customers,
		// a few hundred, and a page of it is not a query of its own.
		due, err := dueInPeriod(db, s.store.Dialect(), reps, from.UTC(), to.UTC(), cad, loc)
		if err != nil {
			return err
		}
		if q.After != nil {
			for len(due) > 0 && bytes.Compare(due[0].ID[:], q.After[:]) <= 0 {
				due = due[1:]
			}
		}
		if len(due) > q.Limit {
			due = due[:q.Limit]
			last := due[len(due)-1].ID
			page.Next = &last
		}
		page.Customers, err = named(db, due)
		return err
	})
	if err != nil {
		return CoveragePage{}, fmt.Errorf("visit coverage: %w", err)
	}
	return page, nil
}

// named gives the due customers their names.
func named(db *gorm.DB, due []customerLastVisit) ([]CoverageCustomer, error) {
	ids := make([]uuid.UUID, len(due))
	for i, c := range due {
		ids[i] = c.ID
	}
	var rows []struct {
		ID   uuid.UUID
		Name string
	}
	if len(ids) > 0 {
		if err := db.Model(&customerRow{}).Select("customers.id, customers.name").Where("customers.id IN ?", ids).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("name customers due: %w", err)
		}
	}
	name := make(map[uuid.UUID]string, len(rows))
	for _, r := range rows {
		name[r.ID] = r.Name
	}
	out := make([]CoverageCustomer, len(due))
	for i, c := range due {
		out[i] = CoverageCustomer{ID: c.ID, OwnerID: c.OwnerID, Name: name[c.ID], Grade: Grade(c.Grade), Covered: c.Visited}
	}
	return out, nil
}
