package access

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// policyRow is the stored form of a Policy; the lists are JSON text.
type policyRow struct {
	TenantID    uuid.UUID
	ID          uuid.UUID `gorm:"primaryKey"`
	Description string
	Subjects    []string `gorm:"serializer:json"`
	Actions     []Action `gorm:"serializer:json"`
	Kinds       []Kind   `gorm:"serializer:json"`
	Scope       Scope
	Effect      Effect
	Builtin     bool
	Disabled    bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (policyRow) TableName() string { return "access_policies" }

func toRow(p Policy) policyRow {
	return policyRow{ID: p.ID, Description: p.Description, Subjects: p.Subjects, Actions: p.Actions,
		Kinds: p.Kinds, Scope: p.Scope, Effect: p.Effect, Builtin: p.Builtin, Disabled: p.Disabled}
}

func (r policyRow) policy() Policy {
	return Policy{ID: r.ID, Description: r.Description, Subjects: r.Subjects, Actions: r.Actions,
		Kinds: r.Kinds, Scope: r.Scope, Effect: r.Effect, Builtin: r.Builtin, Disabled: r.Disabled}
}

// load reads tenant t's policies; ctx's principal is of tenant t.
func (w *Warden) load(ctx context.Context, _ uuid.UUID) ([]Policy, error) {
	var out []Policy
	err := w.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var rows []policyRow
		if err := db.Order("id").Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			out = append(out, r.policy())
		}
		return nil
	})
	return out, err
}

func getPolicy(db *gorm.DB, id uuid.UUID) (policyRow, error) {
	var r policyRow
	err := db.Where("id = ?", id).Take(&r).Error
	return r, err
}

func upsertPolicies(db *gorm.DB, rows []policyRow) error {
	return db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "tenant_id"}, {Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"description", "subjects", "actions", "kinds", "scope", "effect", "builtin", "updated_at"}),
	}).Create(&rows).Error
}
