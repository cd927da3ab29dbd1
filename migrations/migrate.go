// Package migrations holds the versioned database schema, embedded into the binary.
//
// Each migration is written once, in PostgreSQL's SQL, and is its own snapshot of what it creates:
// later changes to Go models never rewrite it. The few type names SQLite spells differently are
// translated (see sqliteDDL). Tables listed in TenantTables get row-level security on PostgreSQL.
package migrations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/store"
)

// Migration is one step of the schema.
type Migration struct {
	Version int
	Name    string
	// SQL is run on both dialects (after sqliteDDL on SQLite).
	SQL string
	// PostgresSQL runs after SQL on PostgreSQL only (functions, grants, extensions).
	PostgresSQL string
	// TenantTables get FORCE ROW LEVEL SECURITY, the tenant policy and the app role's grants.
	TenantTables []string
	// AppendOnly tables are tenant tables the app role may read and insert into, never change.
	AppendOnly []string
	// GlobalTables are not tenant-owned; the app role gets no access: only the owner handle reads them.
	GlobalTables []string
	// Library runs before the migrations' transaction, for schema that a library ships as code
	// and applies in transactions of its own (River's job tables: PostgreSQL refuses a new enum
	// value in the transaction that added it). It must be idempotent: it runs at every Up.
	Library func(ctx context.Context, db *sql.DB, d store.Dialect) error
}

// All is the schema, oldest first. Versions only ever grow; a released migration never changes.
var All = []Migration{core, auth, accessPolicies, audit, customers, accessDefaults, visits, orders, activities, jobs, pipeline, replenishment, appraisal, appraisalReports, commissionPlans, orderDueIndex, messageReplies, metricRollups, shelfPresentIndex, teamTargets, activitiesCustomerCover, regionTargets, billing, operators, signup, dataRights, orderClientIDs, sampleRecords, connectors, apiCalls, oneOpenSyncRun}

// ErrSchemaNewer means the database was migrated by a newer repflow than this binary.
var ErrSchemaNewer = errors.New("database schema is newer than this binary")

// Latest is the newest version this binary knows.
func Latest() int { return All[len(All)-1].Version }

// Applied is a row of schema_migrations.
type Applied struct {
	Version   int `gorm:"primaryKey"`
	Name      string
	AppliedAt time.Time
}

// TableName keeps the bookkeeping table's name stable.
func (Applied) TableName() string { return "schema_migrations" }

const bookkeeping = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version BIGINT PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at TIMESTAMPTZ NOT NULL
)`

// migrationLock is the advisory lock that keeps two replicas from migrating at once.
const migrationLock = 7710420211

// libraryLock keeps two replicas from applying library schema at once; it is held on its own
// connection around the libraries' transactions, so it differs from migrationLock.
const libraryLock = migrationLock + 1

// Up applies the libraries' schema, then every pending migration in one transaction, and returns
// the versions it applied.
func Up(ctx context.Context, s *store.Store) ([]int, error) {
	if err := upLibraries(ctx, s); err != nil {
		return nil, err
	}
	var done []int
	err := s.Owner(ctx).Transaction(func(tx *gorm.DB) error {
		if s.Dialect() == store.Postgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", migrationLock).Error; err != nil {
				return err
			}
			if err := tx.Exec(createAppRole).Error; err != nil {
				return fmt.Errorf("create role %s: %w", store.AppRole, err)
			}
		}
		if err := tx.Exec(ddl(s.Dialect(), bookkeeping)).Error; err != nil {
			return err
		}
		applied, err := appliedVersions(tx)
		if err != nil {
			return err
		}
		if err := checkNotNewer(applied); err != nil {
			return err
		}
		for _, m := range All {
			if applied[m.Version] {
				continue
			}
			if err := apply(tx, s.Dialect(), m); err != nil {
				return fmt.Errorf("migration %d %s: %w", m.Version, m.Name, err)
			}
			done = append(done, m.Version)
		}
		return nil
	})
	return done, err
}

// Status is one line of `repflow migrate status`.
type Status struct {
	Version   int
	Name      string
	AppliedAt *time.Time // nil while pending
}

// List reports every known migration as applied or pending, and fails on a newer database.
func List(ctx context.Context, s *store.Store) ([]Status, error) {
	db := s.Owner(ctx)
	if err := db.Exec(ddl(s.Dialect(), bookkeeping)).Error; err != nil {
		return nil, err
	}
	var rows []Applied
	if err := db.Order("version").Find(&rows).Error; err != nil {
		return nil, err
	}
	at := map[int]time.Time{}
	for _, r := range rows {
		at[r.Version] = r.AppliedAt
	}
	var out []Status
	for _, m := range All {
		st := Status{Version: m.Version, Name: m.Name}
		if t, ok := at[m.Version]; ok {
			st.AppliedAt = &t
		}
		out = append(out, st)
	}
	for _, r := range rows {
		if r.Version > Latest() {
			return out, fmt.Errorf("%w: it has version %d, this binary knows up to %d", ErrSchemaNewer, r.Version, Latest())
		}
	}
	return out, nil
}

// Check fails unless the database is exactly at this binary's version: the server refuses to
// start on a database it has not migrated, and on one a newer binary has.
func Check(ctx context.Context, s *store.Store) error {
	st, err := List(ctx, s)
	if err != nil {
		return err
	}
	for _, m := range st {
		if m.AppliedAt == nil {
			return fmt.Errorf("database is missing migration %d (%s): run `repflow migrate up`", m.Version, m.Name)
		}
	}
	return nil
}

func appliedVersions(tx *gorm.DB) (map[int]bool, error) {
	var versions []int
	if err := tx.Model(&Applied{}).Pluck("version", &versions).Error; err != nil {
		return nil, err
	}
	out := map[int]bool{}
	for _, v := range versions {
		out[v] = true
	}
	return out, nil
}

func checkNotNewer(applied map[int]bool) error {
	for v := range applied {
		if v > Latest() {
			return fmt.Errorf("%w: it has version %d, this binary knows up to %d", ErrSchemaNewer, v, Latest())
		}
	}
	return nil
}

// upLibraries runs every migration's Library step under an advisory lock.
func upLibraries(ctx context.Context, s *store.Store) error {
	db, err := s.Owner(ctx).DB()
	if err != nil {
		return err
	}
	if s.Dialect() == store.Postgres {
		conn, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", libraryLock); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", libraryLock) //nolint:errcheck // closing the session frees it too
	}
	for _, m := range All {
		if m.Library == nil {
			continue
		}
		if err := m.Library(ctx, db, s.Dialect()); err != nil {
			return fmt.Errorf("migration %d %s: %w", m.Version, m.Name, err)
		}
	}
	return nil
}

func apply(tx *gorm.DB, d store.Dialect, m Migration) error {
	if m.SQL != "" {
		if err := tx.Exec(ddl(d, m.SQL)).Error; err != nil {
			return err
		}
	}
	if d == store.Postgres {
		if m.PostgresSQL != "" {
			if err := tx.Exec(m.PostgresSQL).Error; err != nil {
				return err
			}
		}
		for _, t := range m.TenantTables {
			if err := tx.Exec(rowLevelSecurity(t, "SELECT, INSERT, UPDATE, DELETE")).Error; err != nil {
				return fmt.Errorf("row-level security on %s: %w", t, err)
			}
		}
		for _, t := range m.AppendOnly {
			if err := tx.Exec(rowLevelSecurity(t, "SELECT, INSERT")).Error; err != nil {
				return fmt.Errorf("row-level security on %s: %w", t, err)
			}
		}
		for _, t := range m.GlobalTables {
			if err := tx.Exec("REVOKE ALL ON " + t + " FROM " + store.AppRole).Error; err != nil {
				return err
			}
		}
	}
	return tx.Create(&Applied{Version: m.Version, Name: m.Name, AppliedAt: time.Now().UTC()}).Error
}

// createAppRole makes the role tenant transactions run as. Roles are cluster-wide, so two
// databases migrating at once may race to create it: the loser's duplicate is not an error.
const createAppRole = `DO $$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '` + store.AppRole + `') THEN
		CREATE ROLE ` + store.AppRole + ` NOLOGIN NOSUPERUSER NOBYPASSRLS;
	END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
GRANT ` + store.AppRole + ` TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO ` + store.AppRole

// rowLevelSecurity confines the app role to the transaction's tenant (a missing setting matches
// nothing), and lets the owning role, which runs migrations and the operator console, see all.
func rowLevelSecurity(table, privileges string) string {
	tenant := "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid"
	return fmt.Sprintf(`ALTER TABLE %[1]s ENABLE ROW LEVEL SECURITY;
ALTER TABLE %[1]s FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON %[1]s TO %[2]s USING (%[3]s) WITH CHECK (%[3]s);
CREATE POLICY owner_all ON %[1]s TO CURRENT_USER USING (true) WITH CHECK (true);
GRANT %[4]s ON %[1]s TO %[2]s`, table, store.AppRole, tenant, privileges)
}

// Money is NUMERIC(20,4) on PostgreSQL and TEXT on SQLite, whose NUMERIC affinity would turn
// "12.30" into a float: the text keeps every digit, and sums are made in Go with decimals.
var sqliteTypes = strings.NewReplacer("TIMESTAMPTZ", "TIMESTAMP", "JSONB", "TEXT", "BYTEA", "BLOB", " UUID", " TEXT", "NUMERIC(20,4)", "TEXT")

var sqliteBigserial = regexp.MustCompile(`BIGSERIAL PRIMARY KEY`)

// ddl translates a migration's PostgreSQL DDL for SQLite. Migrations keep to the common subset;
// only these type names differ.
func ddl(d store.Dialect, sql string) string {
	if d != store.SQLite {
		return sql
	}
	return sqliteBigserial.ReplaceAllString(sqliteTypes.Replace(sql), "INTEGER PRIMARY KEY AUTOINCREMENT")
}
