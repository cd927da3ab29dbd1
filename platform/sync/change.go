package sync

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/store"
)

// Update renames, reconfigures, switches on or off a connector. A new configuration is checked by
// the connector before it is kept, and its health is unknown again until the next check.
func (s *Service) Update(ctx context.Context, id uuid.UUID, ch Changes) (Connector, error) {
	row, err := s.read(ctx, id, access.Update)
	if err != nil {
		return Connector{}, fmt.Errorf("update connector: %w", err)
	}
	secrets := s.secrets(row.Kind)
	if ch.Name != nil {
		if row.Name, err = connectorName(*ch.Name, "body.name"); err != nil {
			return Connector{}, err
		}
	}
	configChanged := ch.Config != nil
	if configChanged {
		if err := configObject(ch.Config, "body.config"); err != nil {
			return Connector{}, err
		}
		merged, err := keepSecrets(ch.Config, row.config(), secrets)
		if err != nil {
			return Connector{}, fmt.Errorf("update connector: %w", err)
		}
		row.setConfig(merged, secrets)
	}
	if ch.Enabled != nil {
		row.Enabled = *ch.Enabled
	}
	// The connector checks a new configuration, or the old one when it is switched back on (it
	// may have been made on a server with another version of the connector).
	if row.Enabled && (configChanged || ch.Enabled != nil) {
		if _, ok := s.kind(row.Kind); !ok {
			return Connector{}, fmtUnavailable(row.Kind)
		}
		if err := s.start(ctx, id, row.Kind, row.config(), "body.config"); err != nil {
			return Connector{}, err
		}
		row.State, row.Message = string(StateUnknown), ""
	}
	if !row.Enabled {
		if s.opts.Runner != nil {
			s.opts.Runner.Stop(id.String())
		}
		row.State, row.Message = string(StateDisabled), ""
	}
	row.UpdatedAt = s.now().UTC()
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		err := db.Model(&connectorRow{}).Where("id = ?", id).Updates(map[string]any{"name": row.Name, "config": row.Config, "secrets": row.Secrets,
			"enabled": row.Enabled, "state": row.State, "message": row.Message, "updated_at": row.UpdatedAt}).Error
		if store.IsUniqueViolation(err) {
			return nameTaken(row.Name)
		}
		return err
	})
	if err != nil {
		return Connector{}, fmt.Errorf("update connector: %w", err)
	}
	return toConnector(row, secrets), nil
}

// Delete removes a connector with its runs, cursors and the records it pulled, and stops its process.
func (s *Service) Delete(ctx context.Context, id uuid.UUID) error {
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if _, err := s.load(ctx, db, id, access.Delete); err != nil {
			return err
		}
		for _, child := range []any{&recordRow{}, &cursorRow{}, &runRow{}} {
			if err := db.Where("connector_id = ?", id).Delete(child).Error; err != nil {
				return err
			}
		}
		return db.Where("id = ?", id).Delete(&connectorRow{}).Error
	})
	if err != nil {
		return fmt.Errorf("delete connector: %w", err)
	}
	if s.opts.Runner != nil {
		s.opts.Runner.Stop(id.String())
	}
	return nil
}
