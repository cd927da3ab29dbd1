package tenants

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// defaultsRow is the global access_defaults table (migrations/0006_access_defaults.go).
type defaultsRow struct {
	ID        int `gorm:"primaryKey"`
	Digest    string
	AppliedAt time.Time
}

func (defaultsRow) TableName() string { return "access_defaults" }

// catchUpTemplates gives a tenant made before pipelines or KPI templates existed its industry's
// pipeline and KPI template. It runs with the refresh of the built-in policies, which the
// releases that added them changed.
func (p *Provisioner) catchUpTemplates(ctx context.Context) error {
	hasPipeline, err := p.pipeline.HasPipeline(ctx)
	if err != nil {
		return err
	}
	hasTemplate, err := p.appraisal.HasTemplate(ctx)
	if err != nil || (hasPipeline && hasTemplate) {
		return err
	}
	var t tenantRow
	if err := p.store.Owner(ctx).Where("id = ?", identity.TenantID(ctx)).Take(&t).Error; err != nil {
		return fmt.Errorf("load tenant %s: %w", identity.TenantID(ctx), err)
	}
	if !hasPipeline {
		if err := p.seedPipeline(ctx, t.Industry); err != nil {
			return err
		}
	}
	if !hasTemplate {
		return p.appraisal.Provision(ctx, t.Industry)
	}
	return nil
}

// RefreshDefaults gives every tenant the current built-in role policies when they differ from
// the set the tenants last received, and reports how many tenants it seeded. Servers call it on
// start: it costs one read when nothing changed. Two servers refreshing at once write the same
// rows, which is harmless.
func (p *Provisioner) RefreshDefaults(ctx context.Context) (int, error) {
	digest := access.DefaultsDigest()
	owner := p.store.Owner(ctx)
	var cur defaultsRow
	err := owner.Where("id = 1").Take(&cur).Error
	if err == nil && cur.Digest == digest {
		return 0, nil
	}
	if err != nil && !store.IsNotFound(err) {
		return 0, fmt.Errorf("read built-in policy digest: %w", err)
	}
	var ids []uuid.UUID
	if err := owner.Model(&tenantRow{}).Order("id").Pluck("id", &ids).Error; err != nil {
		return 0, fmt.Errorf("list tenants: %w", err)
	}
	for i, id := range ids {
		if err := p.warden.SeedDefaults(identity.System(ctx, id)); err != nil {
			return i, fmt.Errorf("seed built-in policies of tenant %s: %w", id, err)
		}
		if err := p.catchUpTemplates(identity.System(ctx, id)); err != nil {
			return i, err
		}
	}
	row := defaultsRow{ID: 1, Digest: digest, AppliedAt: time.Now().UTC()}
	err = owner.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"digest", "applied_at"})}).Create(&row).Error
	if err != nil {
		return len(ids), fmt.Errorf("record built-in policy digest: %w", err)
	}
	return len(ids), nil
}

// Active lists the ids of the active tenants, for the platform's sweeps across tenants.
func (p *Provisioner) Active(ctx context.Context) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	if err := p.store.Owner(ctx).Model(&tenantRow{}).Where("status = ?", StatusActive).Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("list active tenants: %w", err)
	}
	return ids, nil
}
