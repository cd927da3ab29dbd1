package tenants

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/store"
)

// The load generator writes its rows in bulk, in a tenant transaction of the load tenant: with
// COPY on PostgreSQL, and with multi-row INSERTs on the embedded database. PostgreSQL refuses
// COPY into a table with row-level security, so the rows are copied into a temporary table of
// the same columns and defaults (no policy, no index, no WAL) and moved on with one INSERT ... SELECT, where
// the policies and constraints check every row as they check the services' inserts.
//
// Both ways take the same values, in the column order of the table's migration; they are the
// values the services hand their drivers too (times, uuid.UUID, decimal.Decimal, nil for
// NULL), so the stored formats are the services': SQLite's time strings, amounts as text.

// loadTable is a table with the columns its rows give, in order, after tenant_id, which the
// writer puts first.
type loadTable struct {
	name string
	cols []string
}

// loadWriter writes rows into the tenant transaction in ctx.
type loadWriter struct {
	ctx    context.Context
	store  *store.Store
	tenant uuid.UUID
	err    error           // the first failure: the transaction is lost, nothing more is written
	staged map[string]bool // the temporary tables made so far
}

// copyChunk bounds one COPY: small enough for its temporary table to stay in the session's
// memory (temp_buffers, 8 MB by default) and for the INSERT's queue of foreign-key checks,
// which PostgreSQL holds until the statement ends, to stay short.
const copyChunk = 20_000

// sqliteVars is how many values one INSERT binds: SQLite allows 32766.
const sqliteVars = 30_000

// put writes rows: values gives row i's values in t's column order, appended to dst.
func put[R any](w *loadWriter, t loadTable, rows []R, values func(r *R, dst []any) []any) error {
	for start := 0; start < len(rows) && w.err == nil; {
		n := min(len(rows)-start, copyChunk)
		if w.store.Dialect() == store.SQLite {
			n = min(n, sqliteVars/(len(t.cols)+1))
		}
		chunk := rows[start : start+n]
		var err error
		if w.store.Dialect() == store.Postgres {
			err = w.copy(t, len(chunk), func(i int, dst []any) []any { return values(&chunk[i], dst) })
		} else {
			err = w.insert(t, len(chunk), func(i int, dst []any) []any { return values(&chunk[i], dst) })
		}
		if err != nil {
			w.err = fmt.Errorf("write %s: %w", t.name, err)
		}
		start += n
	}
	return w.err
}

func (w *loadWriter) copy(t loadTable, n int, row func(i int, dst []any) []any) error {
	cols := strings.Join(append([]string{"tenant_id"}, t.cols...), ", ")
	stage := "load_" + t.name
	return w.store.Native(w.ctx, func(conn *pgx.Conn) error {
		if !w.staged[stage] {
			if _, err := conn.Exec(w.ctx, "CREATE TEMPORARY TABLE "+stage+" (LIKE "+t.name+" INCLUDING DEFAULTS) ON COMMIT DROP"); err != nil {
				return err
			}
			if w.staged == nil {
				w.staged = map[string]bool{}
			}
			w.staged[stage] = true
		}
		buf := make([]any, 0, len(t.cols)+1)
		i := 0
		wrote, err := conn.CopyFrom(w.ctx, pgx.Identifier{stage}, append([]string{"tenant_id"}, t.cols...), pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			vals := row(i, append(buf[:0], w.tenant))
			i++
			for j, v := range vals {
				vals[j] = loadValue(v, true)
			}
			return vals, nil
		}))
		if err == nil && wrote != int64(n) {
			err = fmt.Errorf("copied %d of %d rows", wrote, n)
		}
		if err != nil {
			return err
		}
		if _, err := conn.Exec(w.ctx, "INSERT INTO "+t.name+" ("+cols+") SELECT "+cols+" FROM "+stage); err != nil {
			return err
		}
		_, err = conn.Exec(w.ctx, "TRUNCATE "+stage)
		return err
	})
}

func (w *loadWriter) insert(t loadTable, n int, row func(i int, dst []any) []any) error {
	tx, err := store.SQLTx(w.ctx)
	if err != nil {
		return err
	}
	tuple := "(?" + strings.Repeat(",?", len(t.cols)) + ")"
	var sql strings.Builder
	sql.WriteString("INSERT INTO " + t.name + " (tenant_id, " + strings.Join(t.cols, ", ") + ") VALUES ")
	args := make([]any, 0, n*(len(t.cols)+1))
	for i := range n {
		if i > 0 {
			sql.WriteString(",")
		}
		sql.WriteString(tuple)
		start := len(args)
		args = row(i, append(args, w.tenant))
		if len(args)-start != len(t.cols)+1 {
			return fmt.Errorf("row %d gives %d values for %d columns", i, len(args)-start-1, len(t.cols))
		}
	}
	for j, v := range args {
		args[j] = loadValue(v, false)
	}
	_, err = tx.ExecContext(w.ctx, sql.String(), args...)
	return err
}

// replan has PostgreSQL plan its foreign-key checks afresh. A connection plans each check once
// and keeps the plan: one made while the parent rows were few (the first orders of the load)
// may look a row up through an index that leads with the tenant only, and read all of the
// tenant's rows for every check once they number thousands. Planned again for every batch, the
// checks use the primary keys as soon as the parents are many.
func (w *loadWriter) replan() error {
	if w.store.Dialect() != store.Postgres || w.err != nil {
		return w.err
	}
	w.err = w.store.Native(w.ctx, func(conn *pgx.Conn) error {
		_, err := conn.Exec(w.ctx, "DISCARD PLANS")
		return err
	})
	return w.err
}

// loadValue is v as the database takes it: times in UTC to the microsecond, as the store's
// clock gives them (SQLite compares its time strings as text, so every one must be in UTC),
// and amounts as PostgreSQL numerics for COPY, which only speaks binary.
func loadValue(v any, postgres bool) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Truncate(time.Microsecond)
	case decimal.Decimal:
		if postgres {
			return pgtype.Numeric{Int: x.Coefficient(), Exp: x.Exponent(), Valid: true}
		}
	}
	return v
}

// orNil is *p, or NULL.
func orNil[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
