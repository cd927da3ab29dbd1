package datarights_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/storetest"
)

// The scans below read the schema with gorm's migrator and plain SELECTs, not with the
// package's catalog reader: a bug there must not hide itself from the test.

// tables lists every table of the database with its columns.
func (w *world) tables(t *testing.T) map[string][]string {
	t.Helper()
	db := w.s.Owner(context.Background())
	names, err := db.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, n := range names {
		rows, err := db.Raw(`SELECT * FROM "` + n + `" WHERE 1 = 0`).Rows()
		if err != nil {
			t.Fatal(err)
		}
		cols, err := rows.Columns()
		_ = rows.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[n] = cols
	}
	return out
}

// tenantTables lists the tables with a tenant_id column.
func (w *world) tenantTables(t *testing.T) []string {
	var out []string
	for n, cols := range w.tables(t) {
		if slices.Contains(cols, "tenant_id") {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// mentions counts, per table, the rows in which any value names id: a uuid or text column, a
// tenant column, a job's JSON arguments, a path in free text. Every table of the database is read.
func (w *world) mentions(t *testing.T, id uuid.UUID) map[string]int {
	t.Helper()
	db := w.s.Owner(context.Background())
	out := map[string]int{}
	for n := range w.tables(t) {
		rows, err := db.Raw(`SELECT * FROM "` + n + `"`).Rows()
		if err != nil {
			t.Fatal(err)
		}
		if k := storetest.RowsNaming(t, rows, id); k > 0 {
			out[n] = k
		}
	}
	return out
}
