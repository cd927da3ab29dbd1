// Package store opens the database (PostgreSQL, or an embedded SQLite file when no URL is given)
// and hands out the only ways domain code can reach it: a tenant-scoped transaction (Tx), and the
// few global tables that exist before a tenant is known (Global).
//
// Two walls keep tenants apart. First, every statement made through Tx carries the principal's
// tenant: gorm callbacks add "tenant_id = ?" to reads, updates and deletes and stamp it on inserts,
// and a statement with no tenant in its context fails. Second, on PostgreSQL the tenant connection
// runs as a role that does not own the tables, every tenant table has FORCE ROW LEVEL SECURITY, and
// each transaction sets app.tenant_id with SET LOCAL, so even raw SQL sees one tenant only.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the database behind a Store.
type Dialect string

const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// AppRole is the PostgreSQL role tenant transactions run as. It owns nothing, so row-level
// security applies to it; migrations create it and grant it table privileges.
const AppRole = "repflow_app"

// SQLiteFile is the embedded database's file name inside the data directory.
const SQLiteFile = "repflow.db"

// Config says where the database is.
type Config struct {
	// DatabaseURL is a PostgreSQL URL; empty selects the embedded SQLite file in DataDir.
	DatabaseURL string
	DataDir     string
	Log         *slog.Logger
}

// Store holds the database handles. Its zero value is not usable; call Open.
type Store struct {
	dialect Dialect
	// tenant runs every statement as AppRole (PostgreSQL) inside a tenant transaction.
	tenant *gorm.DB
	// reader runs the tenant transactions of work that only reads (Reading), on the embedded
	// database only: deferred and read-only, on connections of their own.
	reader *gorm.DB
	// owner owns the schema: migrations, global tables and the operator's audited cross-tenant work.
	owner  *gorm.DB
	sqlDBs []*sql.DB
	// tenantSQL is the tenant pool (PostgreSQL): each tenant transaction holds one of its
	// connections, so that Native can reach the same connection through pgx.
	tenantSQL *sql.DB
	events    *events
}

// Open connects and checks the connection. It does not migrate.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	gcfg := func() *gorm.Config {
		return &gorm.Config{
			Logger:                 newGormLogger(log),
			NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
			SkipDefaultTransaction: true,
			TranslateError:         true,
		}
	}
	s := &Store{}
	s.events = newEvents(s, cfg.DatabaseURL, log)
	if cfg.DatabaseURL != "" {
		s.dialect = Postgres
		pcfg, err := pgx.ParseConfig(cfg.DatabaseURL)
		if err != nil {
			return nil, fmt.Errorf("REPFLOW_DATABASE_URL: %w", err)
		}
		ownerDB := stdlib.OpenDB(*pcfg, stdlib.OptionAfterConnect(func(_ context.Context, c *pgx.Conn) error {
			sendUUIDsBinary(c)
			return nil
		}))
		// The tenant pool assumes AppRole on every new connection. SET ROLE is the same for every
		// connection and every tenant, so it is safe on a pooled connection; the tenant itself is
		// only ever set with SET LOCAL inside a transaction.
		pool := pcfg.Copy()
		// Two planner settings for the tenant pool, both measured on the appraisal's figures over
		// a 2,000-rep month (docs/benchmarks.md); the figures' transactions also plan each
		// statement for its arguments (see Analytical):
		//   - no JIT: it compiled each aggregate over millions of rows for 80 to 200 ms, more than
		//     it saved, and a request's queries are never long enough to repay it;
		//   - no parallel workers: requests already run side by side (many users, and a report's
		//     sources), and workers made them fight over the same cores: the report took 5.0 s
		//     with them, 2.9 s without.
		pool.RuntimeParams["jit"] = "off"
		pool.RuntimeParams["max_parallel_workers_per_gather"] = "0"
		tenantDB := stdlib.OpenDB(*pool, stdlib.OptionAfterConnect(func(ctx context.Context, c *pgx.Conn) error {
			sendUUIDsBinary(c)
			_, err := c.Exec(ctx, "SET ROLE "+AppRole)
			return err
		}))
		s.sqlDBs = []*sql.DB{ownerDB, tenantDB}
		s.tenantSQL = tenantDB
		if s.owner, err = gorm.Open(postgres.New(postgres.Config{Conn: ownerDB}), gcfg()); err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
		// No ping for the tenant pool: on a new database its role exists only after migrate up.
		tcfg := gcfg()
		tcfg.DisableAutomaticPing = true
		if s.tenant, err = gorm.Open(postgres.New(postgres.Config{Conn: tenantDB}), tcfg); err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
	} else {
		if cfg.DataDir == "" {
			return nil, errors.New("REPFLOW_DATA_DIR: empty: the embedded database needs a directory")
		}
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("REPFLOW_DATA_DIR: %w", err)
		}
		path := filepath.Join(cfg.DataDir, SQLiteFile)
		// WAL lets readers run beside the writer; immediate transactions take the write lock at
		// BEGIN, so two writers wait (busy_timeout) instead of failing on lock upgrade.
		dsn := "file:" + path + "?_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
		db, err := gorm.Open(sqlite.Open(dsn), gcfg())
		if err != nil {
			return nil, fmt.Errorf("open embedded database %s: %w", path, err)
		}
		sqlDB, _ := db.DB()
		sqlDB.SetMaxOpenConns(8)
		s.sqlDBs = []*sql.DB{sqlDB}
		s.dialect = SQLite
		s.owner = db
		if s.tenant, err = gorm.Open(sqlite.Dialector{Conn: sqlDB}, gcfg()); err != nil {
			return nil, fmt.Errorf("open embedded database: %w", err)
		}
		// Readers in WAL mode need no lock: their transactions begin deferred, on a pool of their
		// own, so a request that only reads never queues behind the writer (nor for a connection a
		// writer holds). query_only makes a write attempted there fail at once, not wait.
		readDSN := "file:" + path + "?_txlock=deferred&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=query_only(1)"
		if s.reader, err = gorm.Open(sqlite.Open(readDSN), gcfg()); err != nil {
			return nil, fmt.Errorf("open embedded database %s for reading: %w", path, err)
		}
		readDB, _ := s.reader.DB()
		readDB.SetMaxOpenConns(8)
		s.sqlDBs = append(s.sqlDBs, readDB)
	}
	if err := registerTenantCallbacks(s.tenant); err != nil {
		return nil, err
	}
	if s.reader != nil {
		if err := registerTenantCallbacks(s.reader); err != nil {
			return nil, err
		}
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.sqlDBs[0].PingContext(pingCtx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// Dialect reports which database this is.
func (s *Store) Dialect() Dialect { return s.dialect }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	for _, db := range s.sqlDBs {
		if err := db.PingContext(ctx); err != nil {
			return fmt.Errorf("database: %w", err)
		}
	}
	return nil
}

// Close releases every connection.
func (s *Store) Close() error {
	s.events.close()
	var errs []error
	for _, db := range s.sqlDBs {
		errs = append(errs, db.Close())
	}
	return errors.Join(errs...)
}

// Owner returns the schema owner's handle, which sees every tenant. Only migrations, the global
// tables of this package and the operator's audited console (admin/) may use it.
func (s *Store) Owner(ctx context.Context) *gorm.DB { return s.owner.WithContext(ctx) }

// OwnerWrite runs fn with a handle that can write the global tables now: the owner handle,
// except on the embedded database inside a tenant transaction (an authenticated request runs
// in one). SQLite has one writer at a time, the request holds it, and a second connection would
// wait for it until the busy timeout; there the write joins the request's transaction, which on
// SQLite has no row-level security or role to keep it from a global table.
func (s *Store) OwnerWrite(ctx context.Context, fn func(db *gorm.DB) error) error {
	if s.dialect == SQLite {
		if tx, err := SQLTx(ctx); err == nil {
			db := s.Owner(ctx).Session(&gorm.Session{})
			db.Statement.ConnPool = tx
			return fn(db)
		}
	}
	return fn(s.Owner(ctx))
}

// IsUniqueViolation reports whether err is a unique-key conflict, on either dialect.
func IsUniqueViolation(err error) bool {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	// TranslateError covers PostgreSQL; the embedded driver reports the constraint in text.
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// IsForeignKeyViolation reports whether err is a row still referenced by others (or naming one
// that does not exist), on either dialect.
func IsForeignKeyViolation(err error) bool {
	if errors.Is(err, gorm.ErrForeignKeyViolated) {
		return true
	}
	return err != nil && strings.Contains(err.Error(), "FOREIGN KEY constraint failed")
}

// IsNotFound reports whether err means that no row matched.
func IsNotFound(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }

func newGormLogger(log *slog.Logger) logger.Interface {
	return quietLogger{logger.NewSlogLogger(log, logger.Config{
		SlowThreshold:             slowStatement,
		LogLevel:                  logger.Warn,
		IgnoreRecordNotFoundError: true,
	})}
}

// quietLogger keeps gorm from logging, as errors, the failures callers expect and answer
// themselves: a missing row or a unique-key conflict is a 404 or a 409, not an incident.
type quietLogger struct{ logger.Interface }

func (q quietLogger) LogMode(l logger.LogLevel) logger.Interface {
	return quietLogger{q.Interface.LogMode(l)}
}

// Trace hands over only what will be logged: a real error or a slow statement. gorm's logger
// renders each statement's SQL with its values before it decides, which costs a tenth of the CPU
// of a bulk insert.
func (q quietLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if IsUniqueViolation(err) || IsNotFound(err) {
		err = nil
	}
	if err == nil && time.Since(begin) < slowStatement {
		return
	}
	q.Interface.Trace(ctx, begin, fc, err)
}

// slowStatement is how long a statement may take before it is logged as slow.
const slowStatement = 500 * time.Millisecond
