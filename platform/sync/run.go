package sync

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/plugins/sdk"
)

// maxAttempts is how often one page is tried before its run fails: a connector that crashed or
// timed out is restarted by the host, and the page is pulled again from the same cursor.
const maxAttempts = 4

// syncRun is the job that pulls a run's pages, each committed with the cursor after it.
type syncRun struct {
	jobs.Tenant
	RunID   uuid.UUID `json:"run_id"`
	Attempt int       `json:"attempt"` // failed attempts at the run's current page so far
}

func (syncRun) Kind() string { return "connector_sync" }

// page is where a run stands: the connector, the entity it pulls now and that entity's cursor.
type page struct {
	run       runRow
	connector connectorRow
	entity    string
	cursor    string
}

// Sync starts a sync run of connector id: every entity it pulls, each from where the last
// committed page stopped. The run goes on in the background, one committed page at a time.
func (s *Service) Sync(ctx context.Context, id uuid.UUID) (Run, error) {
	var run runRow
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		row, err := s.load(ctx, db, id, access.Update)
		if err != nil {
			return err
		}
		if !row.Enabled {
			return fault.New(fault.Conflict, "connector_disabled", "the connector is switched off: switch it on to sync it")
		}
		run, err = s.startRun(ctx, db, row)
		return err
	})
	if err != nil {
		return Run{}, fmt.Errorf("sync connector: %w", err)
	}
	return toRun(run), nil
}

// syncIfDue starts a run of connector id unless one is open or began less than SyncEvery ago.
func (s *Service) syncIfDue(ctx context.Context, id uuid.UUID) error {
	return s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var last runRow
		err := db.Where("connector_id = ?", id).Order("started_at DESC").Limit(1).Find(&last).Error
		if err != nil || (last.ID != uuid.Nil && s.now().Sub(last.StartedAt) < s.opts.SyncEvery) {
			return err
		}
		var row connectorRow
		if err := db.Where("id = ? AND enabled", id).Take(&row).Error; err != nil {
			return err
		}
		_, err = s.startRun(ctx, db, row)
		if fault.Is(err, fault.Conflict) {
			return nil // one is open
		}
		return err
	})
}

// startRun queues a run of row, or says one is open. The unique index on open runs decides
// (migration 31): two transactions that start a run at once both pass any count made before.
func (s *Service) startRun(ctx context.Context, db *gorm.DB, row connectorRow) (runRow, error) {
	d, ok := s.kind(row.Kind)
	if !ok {
		return runRow{}, fmtUnavailable(row.Kind)
	}
	var entities []string
	for _, e := range d.Entities {
		if e.Direction == sdk.Pull || e.Direction == sdk.Both {
			entities = append(entities, e.Name)
		}
	}
	pending, _ := json.Marshal(entities)
	run := runRow{ID: identity.NewID(), ConnectorID: row.ID, Status: string(RunQueued), Pending: string(pending), StartedAt: s.now().UTC()}
	// DO NOTHING rather than failing: a failed statement would abort the whole transaction on
	// PostgreSQL, and the sweep goes on in it after finding a run open.
	created := db.Clauses(clause.OnConflict{
		Columns:     []clause.Column{{Name: "tenant_id"}, {Name: "connector_id"}},
		TargetWhere: clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: "status IN ('queued', 'running')"}}},
		DoNothing:   true,
	}).Create(&run)
	if created.Error != nil {
		return runRow{}, created.Error
	}
	if created.RowsAffected == 0 {
		return runRow{}, fault.New(fault.Conflict, "sync_running", "a sync of this connector is under way: wait for it to finish")
	}
	return run, s.queue.Enqueue(ctx, syncRun{Tenant: jobs.Tenant{TenantID: identity.TenantID(ctx)}, RunID: run.ID}, time.Time{})
}

// pull asks the connector for one page after cursor and checks what it sends.
func (s *Service) pull(ctx context.Context, row connectorRow, entity, cursor string) ([]sdk.Record, error) {
	if err := s.ensure(ctx, row); err != nil {
		return nil, err
	}
	call, cancel := context.WithTimeout(ctx, s.opts.CallTimeout)
	defer cancel()
	var records []sdk.Record
	err := s.opts.Runner.Pull(call, row.ID.String(), sdk.PullRequest{Entity: entity, Cursor: cursor, Limit: s.opts.PageSize}, func(r sdk.Record) error {
		if r.Entity != "" && r.Entity != entity {
			return fmt.Errorf("the connector sent a %s record when asked for %s", r.Entity, entity)
		}
		if r.ExternalID == "" || r.Cursor == "" {
			return fmt.Errorf("the connector sent a record without an id or a cursor")
		}
		if !json.Valid(r.Data) || len(r.Data) == 0 || r.Data[0] != '{' {
			return fmt.Errorf("the connector sent record %s whose data is not a JSON object", r.ExternalID)
		}
		if len(records) == s.opts.PageSize {
			return fmt.Errorf("the connector sent more than the %d records asked for", s.opts.PageSize)
		}
		records = append(records, r)
		return nil
	})
	return records, err
}

// keep writes a page's records over what earlier pulls kept of them, and the cursor after them.
func (s *Service) keep(db *gorm.DB, connector uuid.UUID, entity string, records []sdk.Record) error {
	if len(records) == 0 {
		return nil
	}
	now := s.now().UTC()
	rows := make([]recordRow, len(records))
	for i, r := range records {
		rows[i] = recordRow{ConnectorID: connector, Entity: entity, ExternalID: r.ExternalID, Data: string(r.Data), Deleted: r.Deleted, PulledAt: now}
		if !r.ChangedAt.IsZero() {
			at := r.ChangedAt.UTC()
			rows[i].ChangedAt = &at
		}
	}
	// A record changed twice within one page keeps its last version.
	err := db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "tenant_id"}, {Name: "connector_id"}, {Name: "entity"}, {Name: "external_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"data", "deleted", "changed_at", "pulled_at"}),
	}).CreateInBatches(lastVersions(rows), 100).Error
	if err != nil {
		return fmt.Errorf("keep %s records: %w", entity, err)
	}
	cur := cursorRow{ConnectorID: connector, Entity: entity, Cursor: records[len(records)-1].Cursor, UpdatedAt: now}
	return db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "tenant_id"}, {Name: "connector_id"}, {Name: "entity"}},
		DoUpdates: clause.AssignmentColumns([]string{"cursor", "updated_at"}),
	}).Create(&cur).Error
}

// lastVersions keeps the last row of each external id: one statement may not write a row twice.
func lastVersions(rows []recordRow) []recordRow {
	last := map[string]int{}
	for i, r := range rows {
		last[r.ExternalID] = i
	}
	out := rows[:0:0]
	for i, r := range rows {
		if last[r.ExternalID] == i {
			out = append(out, r)
		}
	}
	return out
}

// finish ends a run, failed when why is not empty, and notes it on the connector.
func (s *Service) finish(db *gorm.DB, run *runRow, why string) error {
	now := s.now().UTC()
	run.Status, run.Error, run.FinishedAt = string(RunDone), why, &now
	if why != "" {
		run.Status = string(RunFailed)
	}
	if err := db.Save(run).Error; err != nil {
		return err
	}
	return db.Model(&connectorRow{}).Where("id = ?", run.ConnectorID).
		Updates(map[string]any{"last_sync_at": now, "last_sync_error": why}).Error
}
