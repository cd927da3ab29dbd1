// Package storetest gives each test its own migrated database: a fresh PostgreSQL database when
// REPFLOW_TEST_DATABASE_URL is set, otherwise a fresh embedded SQLite file.
//
// On PostgreSQL the schema is migrated once into a template database named after the migrations'
// content, and each test copies it with CREATE DATABASE ... TEMPLATE (tens of milliseconds), so
// tests stay independent and can run in parallel.
package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/repflow/repflow/migrations"
	"github.com/repflow/repflow/platform/store"
)

// EnvURL names the variable with a PostgreSQL URL allowed to create databases.
const EnvURL = "REPFLOW_TEST_DATABASE_URL"

// Open returns a migrated store that the test owns; it is closed and dropped when the test ends.
func Open(t testing.TB) *store.Store {
	t.Helper()
	s, _ := OpenWithURL(t)
	return s
}

// OpenWithURL is Open that also returns the database URL (empty for SQLite), for tests that need
// a second, raw connection.
func OpenWithURL(t testing.TB) (*store.Store, string) {
	t.Helper()
	ctx := context.Background()
	base := os.Getenv(EnvURL)
	if base == "" {
		s, err := store.Open(ctx, store.Config{DataDir: t.TempDir()})
		if err != nil {
			t.Fatalf("open sqlite: %v", err)
		}
		t.Cleanup(func() { _ = s.Close() })
		if _, err := migrations.Up(ctx, s); err != nil {
			t.Fatalf("migrate: %v", err)
		}
		return s, ""
	}
	tpl, err := template(ctx, base)
	if err != nil {
		t.Fatalf("template database: %v", err)
	}
	name := "repflow_test_" + randomHex(8)
	if err := adminExec(ctx, base, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, tpl)); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	dbURL := withDatabase(base, name)
	s, err := store.Open(ctx, store.Config{DatabaseURL: dbURL})
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() {
		_ = s.Close()
		_ = adminExec(context.Background(), base, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return s, dbURL
}

var (
	tplOnce sync.Once
	tplName string
	tplErr  error
)

// template makes (once per process, and once per schema across processes) the migrated template.
func template(ctx context.Context, base string) (string, error) {
	tplOnce.Do(func() {
		h := sha256.New()
		for _, m := range migrations.All {
			fmt.Fprintf(h, "%d\x00%s\x00%s\x00%s\x00%v\x00%v\x00%v\n", m.Version, m.Name, m.SQL, m.PostgresSQL, m.TenantTables, m.AppendOnly, m.GlobalTables)
		}
		tplName = "repflow_tpl_" + hex.EncodeToString(h.Sum(nil))[:16]
		tplErr = makeTemplate(ctx, base, tplName)
	})
	return tplName, tplErr
}

func makeTemplate(ctx context.Context, base, name string) error {
	db, err := openRaw(base)
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// Test packages run as parallel processes: one builds the template, the others wait for it.
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7710420212)"); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(7710420212)")
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)", name).Scan(&exists); err != nil {
		return err
	}
	dropStaleTemplates(ctx, conn, name)
	if exists {
		return markUsed(ctx, conn, name)
	}
	if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return err
	}
	s, err := store.Open(ctx, store.Config{DatabaseURL: withDatabase(base, name)})
	if err != nil {
		return err
	}
	_, err = migrations.Up(ctx, s)
	_ = s.Close()
	if err != nil {
		return fmt.Errorf("migrate template: %w", err)
	}
	// Marking it a template also keeps it from being dropped by accident; copies need no open
	// connection to it, which Close above guarantees.
	if _, err = conn.ExecContext(ctx, "ALTER DATABASE "+name+" WITH IS_TEMPLATE true"); err != nil {
		return err
	}
	return markUsed(ctx, conn, name)
}

// staleAfter is how long a template of another schema is kept after its last use: another
// checkout (a CI run of another commit, a second session) may be testing with it right now.
const staleAfter = 2 * time.Hour

// markUsed notes, in the template's comment, when a test process last began with it.
func markUsed(ctx context.Context, conn *sql.Conn, name string) error {
	_, err := conn.ExecContext(ctx, fmt.Sprintf("COMMENT ON DATABASE %s IS 'used %d'", name, time.Now().Unix()))
	return err
}

// dropStaleTemplates removes templates of other schemas not used for staleAfter: each migration
// change leaves one behind.
func dropStaleTemplates(ctx context.Context, conn *sql.Conn, keep string) {
	rows, err := conn.QueryContext(ctx, `SELECT datname, COALESCE(shobj_description(oid, 'pg_database'), '') FROM pg_database
		WHERE datname LIKE 'repflow_tpl_%' AND datname <> $1`, keep)
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var n, comment string
		if rows.Scan(&n, &comment) != nil {
			continue
		}
		var used int64
		if _, err := fmt.Sscanf(comment, "used %d", &used); err == nil && time.Since(time.Unix(used, 0)) < staleAfter {
			continue
		}
		stale = append(stale, n)
	}
	rows.Close()
	for _, n := range stale {
		_, _ = conn.ExecContext(ctx, "ALTER DATABASE "+n+" WITH IS_TEMPLATE false")
		_, _ = conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+n+" WITH (FORCE)")
	}
}

func adminExec(ctx context.Context, base, stmt string) error {
	db, err := openRaw(base)
	if err != nil {
		return err
	}
	defer db.Close()
	// CREATE DATABASE ... TEMPLATE fails while another copy of the same template is starting:
	// retry briefly rather than serialise every test.
	for attempt := 0; ; attempt++ {
		_, err = db.ExecContext(ctx, stmt)
		if err == nil || attempt == 20 || !strings.Contains(err.Error(), "is being accessed by other users") {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func openRaw(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvURL, err)
	}
	return stdlib.OpenDB(*cfg), nil
}

// withDatabase returns dsn pointing at database name (URL or key=value form). Test databases
// skip waiting for the WAL flush at commit: a crash loses nothing a test needs, and commits get
// several times faster.
func withDatabase(dsn, name string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		q := u.Query()
		q.Set("synchronous_commit", "off")
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " dbname=" + name + " synchronous_commit=off"
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
