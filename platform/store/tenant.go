package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/identity"
)

// ErrNoTenant means a tenant-scoped statement ran without a principal in its context. It is a
// programming error, never the caller's: the HTTP layer maps it to 500.
var ErrNoTenant = errors.New("store: no tenant in context")

type txKey struct{}

// current is the tenant transaction ctx carries, or nil (none, or dropped by Outside).
func current(ctx context.Context) *txState {
	st, _ := ctx.Value(txKey{}).(*txState)
	return st
}

type txState struct {
	db     *gorm.DB
	tenant uuid.UUID
	conn   *sql.Conn // the transaction's connection (PostgreSQL)
	// readOnly: begun under Reading on the embedded database; a Tx under Writing does not join it.
	readOnly bool
	// afterCommit run, in order, once the outermost transaction has committed.
	afterCommit []func()
}

// Tx runs fn in a transaction of the context principal's tenant. Every statement made with the
// handle fn receives is confined to that tenant. fn gets a context carrying the transaction: a
// nested Tx with that context joins it (same tenant only), so services compose into one commit.
func (s *Store) Tx(ctx context.Context, fn func(ctx context.Context, db *gorm.DB) error) error {
	tenant := identity.TenantID(ctx)
	if tenant == uuid.Nil {
		return ErrNoTenant
	}
	if st := current(ctx); st != nil && (!st.readOnly || reading(ctx)) {
		if st.tenant != tenant {
			return fmt.Errorf("store: nested transaction for tenant %s inside tenant %s", tenant, st.tenant)
		}
		return fn(ctx, st.db.WithContext(ctx))
	}
	st := &txState{tenant: tenant, readOnly: s.reader != nil && reading(ctx)}
	db := s.tenant.WithContext(ctx)
	if st.readOnly {
		db = s.reader.WithContext(ctx)
	}
	if s.dialect == Postgres {
		conn, err := s.tenantSQL.Conn(ctx)
		if err != nil {
			return fmt.Errorf("tenant connection: %w", err)
		}
		defer conn.Close()
		st.conn = conn
		db = db.Session(&gorm.Session{})
		db.Statement.ConnPool = conn
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		if s.dialect == Postgres {
			// SET LOCAL semantics: the setting ends with the transaction, so a pooled connection
			// never carries one tenant into another's work.
			if err := tx.Exec("SELECT set_config('app.tenant_id', ?, true)", tenant.String()).Error; err != nil {
				return fmt.Errorf("set tenant: %w", err)
			}
			if analytical(ctx) {
				if err := tx.Exec("SET LOCAL plan_cache_mode = force_custom_plan").Error; err != nil {
					return fmt.Errorf("plan for the arguments: %w", err)
				}
			}
		}
		st.db = tx
		inner := context.WithValue(ctx, txKey{}, st)
		return fn(inner, tx.WithContext(inner))
	})
	if err == nil {
		for _, f := range st.afterCommit {
			f()
		}
	}
	return err
}

type readingKey struct{}

// Reading marks the work under ctx as reading only, as a request with a safe method does. On the
// embedded database its tenant transactions then begin deferred and read-only: WAL lets them run
// beside the writer and each other, where an immediate transaction would take the one write lock
// and make every other request wait for it (fourteen scorecards at once waited past the busy
// timeout and failed). A write attempted under it fails. PostgreSQL needs no such mark.
func Reading(ctx context.Context) context.Context {
	return context.WithValue(ctx, readingKey{}, true)
}

// Writing undoes Reading for work that writes even though its request only reads: the audit
// record of a download. Inside a read-only transaction its Tx begins a writing one of its own.
func Writing(ctx context.Context) context.Context {
	return context.WithValue(ctx, readingKey{}, false)
}

func reading(ctx context.Context) bool {
	on, _ := ctx.Value(readingKey{}).(bool)
	return on
}

type analyticalKey struct{}

// Analytical marks the tenant transactions begun with ctx as made of figures over many rows: on
// PostgreSQL each of their statements is planned for its own arguments. pgx prepares a statement
// once per connection, and after five runs PostgreSQL may keep a generic plan blind to the period
// and the reps asked for: ten times slower on the order figures of a 2,000-rep month. Planning
// every statement anew is what the short statements of the rest of the product cannot afford:
// on the whole pool it halved track ingest (32,660 against 59,184 fixes/s).
func Analytical(ctx context.Context) context.Context {
	return context.WithValue(ctx, analyticalKey{}, true)
}

func analytical(ctx context.Context) bool {
	on, _ := ctx.Value(analyticalKey{}).(bool)
	return on
}

// Outside returns ctx without the tenant transaction it may carry (same principal, deadline and
// cancellation): each Tx with it begins a transaction of its own. For reads that need not see
// the caller's uncommitted changes and run side by side, which one transaction's single
// connection cannot. PostgreSQL only: on the embedded database a transaction takes the write
// lock at BEGIN, so one begun inside another's lifetime waits for it, and the caller's never ends.
func Outside(ctx context.Context) context.Context {
	return context.WithValue(ctx, txKey{}, (*txState)(nil))
}

// AfterCommit runs f once the tenant transaction in ctx has committed, and never if it rolls
// back: what the world is told about (live positions, caches of other replicas) must have
// happened. Outside a transaction f runs at once.
func AfterCommit(ctx context.Context, f func()) {
	if st := current(ctx); st != nil {
		st.afterCommit = append(st.afterCommit, f)
		return
	}
	f()
}

// Native runs fn with the pgx connection of the tenant transaction in ctx, for the hot paths
// gorm is too slow for (bulk inserts of GPS fixes). fn's statements run inside that transaction,
// as the app role with the tenant set, so row-level security confines them; unlike gorm
// statements they are not rewritten, so fn must name tenant_id itself. It fails outside a
// PostgreSQL tenant transaction.
func (s *Store) Native(ctx context.Context, fn func(conn *pgx.Conn) error) error {
	st := current(ctx)
	if st == nil || st.conn == nil {
		return errors.New("store: Native needs a PostgreSQL tenant transaction")
	}
	if st.tenant != identity.TenantID(ctx) {
		return fmt.Errorf("store: native statement for tenant %s inside tenant %s", identity.TenantID(ctx), st.tenant)
	}
	return st.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: tenant connection is a %T, not pgx", dc)
		}
		return fn(c.Conn())
	})
}

// SQLTx returns the database/sql transaction of the tenant transaction in ctx, for libraries that
// must write in the same commit (the job queue queues a job only if the change asking for it
// commits). Statements made through it are not rewritten: they must name the tenant themselves,
// and on PostgreSQL row-level security still confines them.
func SQLTx(ctx context.Context) (*sql.Tx, error) {
	st := current(ctx)
	if st == nil {
		return nil, errors.New("store: no tenant transaction in context")
	}
	if st.tenant != identity.TenantID(ctx) {
		return nil, fmt.Errorf("store: statement for tenant %s inside tenant %s", identity.TenantID(ctx), st.tenant)
	}
	tx, ok := st.db.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return nil, fmt.Errorf("store: tenant transaction is a %T, not *sql.Tx", st.db.Statement.ConnPool)
	}
	return tx, nil
}

// registerTenantCallbacks makes every statement on db carry its context's tenant.
func registerTenantCallbacks(db *gorm.DB) error {
	cb := db.Callback()
	return errors.Join(
		cb.Create().Before("gorm:create").Register("repflow:tenant_stamp", stampTenant),
		cb.Query().Before("gorm:query").Register("repflow:tenant_filter", filterTenant),
		cb.Update().Before("gorm:update").Register("repflow:tenant_filter", filterTenant),
		cb.Delete().Before("gorm:delete").Register("repflow:tenant_filter", filterTenant),
		cb.Row().Before("gorm:row").Register("repflow:tenant_filter", filterTenant),
		cb.Raw().Before("gorm:raw").Register("repflow:tenant_required", requireTenant),
	)
}

func tenantOf(db *gorm.DB) (uuid.UUID, bool) {
	t := identity.TenantID(db.Statement.Context)
	if t == uuid.Nil {
		_ = db.AddError(ErrNoTenant)
		return t, false
	}
	return t, true
}

// requireTenant guards raw SQL: it cannot be rewritten, so it must at least run inside a tenant
// transaction, where PostgreSQL's row-level security confines it.
func requireTenant(db *gorm.DB) { tenantOf(db) }

func filterTenant(db *gorm.DB) {
	t, ok := tenantOf(db)
	if !ok || db.Error != nil {
		return
	}
	if db.Statement.SQL.Len() > 0 {
		return // raw SQL (Raw(...).Scan/Rows): confined by row-level security, as requireTenant says
	}
	if sch := db.Statement.Schema; sch != nil && sch.LookUpField("tenant_id") == nil {
		_ = db.AddError(fmt.Errorf("store: table %s is not tenant-owned", sch.Table))
		return
	}
	if db.Statement.Schema == nil && db.Statement.Table == "" {
		_ = db.AddError(errors.New("store: tenant statement names no table"))
		return
	}
	db.Statement.AddClause(clause.Where{Exprs: []clause.Expression{
		clause.Eq{Column: clause.Column{Table: clause.CurrentTable, Name: "tenant_id"}, Value: t},
	}})
}

func stampTenant(db *gorm.DB) {
	t, ok := tenantOf(db)
	if !ok || db.Error != nil {
		return
	}
	sch := db.Statement.Schema
	if sch == nil {
		_ = db.AddError(errors.New("store: tenant insert needs a model"))
		return
	}
	field := sch.LookUpField("tenant_id")
	if field == nil {
		_ = db.AddError(fmt.Errorf("store: table %s is not tenant-owned", sch.Table))
		return
	}
	stamp := func(rv reflect.Value) {
		cur, zero := field.ValueOf(db.Statement.Context, rv)
		if !zero && cur != t {
			_ = db.AddError(fmt.Errorf("store: insert into %s for another tenant", sch.Table))
			return
		}
		if err := field.Set(db.Statement.Context, rv, t); err != nil {
			_ = db.AddError(err)
		}
	}
	rv := db.Statement.ReflectValue
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		for i := 0; i < rv.Len(); i++ {
			stamp(reflect.Indirect(rv.Index(i)))
		}
	case reflect.Struct:
		stamp(rv)
	default:
		_ = db.AddError(errors.New("store: tenant insert needs a struct or a slice of structs"))
	}
}
