package migrations

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/repflow/repflow/platform/store"
)

// riverVersion is the version of River's own schema this migration creates (River v0.51's
// eight migrations, the same count for PostgreSQL and SQLite). A later River that needs more is
// a later migration of ours that migrates River further: this one never changes.
const riverVersion = 8

// jobs: River's job queue tables, for durable timers and background work (see platform/jobs).
//
// river_job is not a tenant table: the queue's workers read it across tenants through the
// owner's connection. Tenant transactions still insert their jobs into it (so a job is queued
// only if the change that asked for it commits) and complete them in the transaction of the
// job's work (so the work is done once). Row-level security keeps those inserts and updates to
// jobs whose arguments name the transaction's tenant: one tenant can neither queue work for
// another nor see another's jobs. It is enabled, not forced, so the owner's workers see all.
var jobs = Migration{
	Version: 10,
	Name:    "jobs",
	Library: riverSchema,
	PostgresSQL: `
ALTER TABLE river_job ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_jobs ON river_job TO ` + store.AppRole + `
	USING (args->>'tenant_id' = current_setting('app.tenant_id', true))
	WITH CHECK (args->>'tenant_id' = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE ON river_job TO ` + store.AppRole + `;
GRANT USAGE ON SEQUENCE river_job_id_seq TO ` + store.AppRole,
}

// riverSchema migrates River's tables up to riverVersion; River records its own versions in
// river_migration, so a second run does nothing.
func riverSchema(ctx context.Context, db *sql.DB, d store.Dialect) error {
	var m *rivermigrate.Migrator[*sql.Tx]
	var err error
	if d == store.Postgres {
		m, err = rivermigrate.New(riverdatabasesql.New(db), nil)
	} else {
		m, err = rivermigrate.New(riversqlite.New(db), nil)
	}
	if err == nil {
		_, err = m.Migrate(ctx, rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{TargetVersion: riverVersion})
	}
	if err != nil {
		return fmt.Errorf("river schema: %w", err)
	}
	return nil
}
