package storetest

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// RowsNaming reads rows to the end and counts those in which any value names id, as a uuid column
// or inside text (a job's JSON arguments, a path): what tests of purges and exports look for in
// every table. It closes rows.
func RowsNaming(t testing.TB, rows *sql.Rows, id uuid.UUID) int {
	t.Helper()
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	needle := id.String()
	vals, ptrs := make([]any, len(cols)), make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(vals, func(v any) bool { return strings.Contains(strings.ToLower(text(v)), needle) }) {
			n++
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

func text(v any) string {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case [16]byte:
		return uuid.UUID(x).String()
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
