package sync

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/platform/store"
)

// Check runs connector id (starting its process when this server has none) and has it reach its
// remote system; what it finds is kept as the connector's health and returned.
func (s *Service) Check(ctx context.Context, id uuid.UUID) (Connector, error) {
	row, err := s.read(ctx, id, access.Update)
	if err != nil {
		return Connector{}, fmt.Errorf("check connector: %w", err)
	}
	if !row.Enabled {
		return Connector{}, fault.New(fault.Conflict, "connector_disabled", "the connector is switched off: switch it on to check it")
	}
	if row, err = s.check(ctx, row); err != nil {
		return Connector{}, err
	}
	return toConnector(row, s.secrets(row.Kind)), nil
}

// check is Check of a row already loaded, the network calls outside any transaction.
func (s *Service) check(ctx context.Context, row connectorRow) (connectorRow, error) {
	state, message := StateHealthy, ""
	if err := s.ensure(ctx, row); err != nil {
		state, message = StateCrashed, err.Error()
	} else {
		call, cancel := context.WithTimeout(ctx, s.opts.CallTimeout)
		err := s.opts.Runner.Check(call, row.ID.String())
		cancel()
		if err != nil {
			state, message = StateFailing, err.Error()
		}
	}
	now := s.now().UTC()
	row.State, row.Message, row.CheckedAt = string(state), message, &now
	if s.opts.Runner != nil {
		_, row.Restarts = s.opts.Runner.Running(row.ID.String())
	}
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		// Only while it is still switched on: a check that overlapped switching off keeps "disabled".
		return db.Model(&connectorRow{}).Where("id = ? AND enabled", row.ID).
			Updates(map[string]any{"state": row.State, "message": row.Message, "checked_at": now, "restarts": row.Restarts}).Error
	})
	if err != nil {
		return row, fmt.Errorf("keep connector health: %w", err)
	}
	return row, nil
}

// ensure has this server run the connector with its stored configuration: after a restart of the
// server, on another replica, or after the configuration changed elsewhere.
func (s *Service) ensure(ctx context.Context, row connectorRow) error {
	if _, ok := s.kind(row.Kind); !ok {
		return fmtUnavailable(row.Kind)
	}
	call, cancel := context.WithTimeout(ctx, s.opts.CallTimeout)
	defer cancel()
	refused, err := s.opts.Runner.Start(call, row.ID.String(), row.Kind, row.config())
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	if len(refused) > 0 {
		return fmt.Errorf("its configuration is refused: %s %s", refused[0].Field, refused[0].Message)
	}
	return nil
}

func fmtUnavailable(kind string) error {
	return fault.New(fault.Unavailable, "connector_unavailable", "this server has no "+kind+" connector installed")
}

// Schedule has q check every enabled connector of every tenant each CheckEvery, and start a sync
// of each healthy one whose last sync began SyncEvery ago or more.
func (s *Service) Schedule(q *jobs.Queue) {
	if s.opts.Runner == nil || s.opts.Tenants == nil {
		return
	}
	jobs.Every(q, "connector_health", s.opts.CheckEvery, s.CheckAll)
}

// CheckAll checks every enabled connector of every tenant, and starts the syncs that are due.
// A connector that fails is kept as failing; the sweep goes on with the others.
func (s *Service) CheckAll(ctx context.Context) error {
	tenants, err := s.opts.Tenants(ctx)
	if err != nil {
		return err
	}
	for _, t := range tenants {
		tctx := identity.System(ctx, t)
		var rows []connectorRow
		if err := s.store.Tx(store.Reading(tctx), func(_ context.Context, db *gorm.DB) error {
			return db.Where("enabled").Order("id").Find(&rows).Error
		}); err != nil {
			return fmt.Errorf("tenant %s: %w", t, err)
		}
		for _, row := range rows {
			checked, err := s.check(tctx, row)
			if err != nil {
				return fmt.Errorf("tenant %s: %w", t, err)
			}
			if checked.State != string(StateHealthy) {
				continue
			}
			if err := s.syncIfDue(tctx, row.ID); err != nil {
				return fmt.Errorf("tenant %s: %w", t, err)
			}
		}
	}
	return nil
}
