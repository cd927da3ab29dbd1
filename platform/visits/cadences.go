package visits

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/visits/cadence"
)

type cadenceRow struct {
	TenantID  uuid.UUID
	Grade     string
	EveryDays int
}

func (cadenceRow) TableName() string { return "visit_cadences" }

// Cadences returns how often the tenant's customers are to be visited, per grade: the tenant's
// own setting, or cadence.Default() for grades it never set.
func (s *Service) Cadences(ctx context.Context) (cadence.Cadences, error) {
	var out cadence.Cadences
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.Read, access.Resource{Kind: access.KindVisitCadence}); err != nil {
			return err
		}
		var err error
		out, err = loadCadences(db)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("visit cadences: %w", err)
	}
	return out, nil
}

// SetCadences replaces the tenant's cadences; all four grades must be given.
func (s *Service) SetCadences(ctx context.Context, c cadence.Cadences) (cadence.Cadences, error) {
	if err := c.Validate(); err != nil {
		var details []fault.Detail
		for _, e := range unjoin(err) {
			details = append(details, fault.Detail{Location: "body.every_days", Message: e.Error()})
		}
		return nil, fault.New(fault.Invalid, "invalid_input", err.Error(), details...)
	}
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.Update, access.Resource{Kind: access.KindVisitCadence}); err != nil {
			return err
		}
		rows := make([]cadenceRow, 0, len(c))
		for _, g := range []Grade{GradeA, GradeB, GradeC, GradeD} {
			rows = append(rows, cadenceRow{Grade: string(g), EveryDays: c[string(g)]})
		}
		return db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "tenant_id"}, {Name: "grade"}},
			DoUpdates: clause.AssignmentColumns([]string{"every_days"})}).Create(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("set visit cadences: %w", err)
	}
	return c, nil
}

func loadCadences(db *gorm.DB) (cadence.Cadences, error) {
	var rows []cadenceRow
	if err := db.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load cadences: %w", err)
	}
	out := cadence.Default()
	for _, r := range rows {
		out[r.Grade] = r.EveryDays
	}
	return out, nil
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
