package rollup

import (
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Row is a domain's rollup row, read as a delta: what one record adds to its month's row.
type Row[R any] interface {
	TableName() string
	// Key is the row's key as a string that orders rows the same way for every writer.
	Key() string
	// Plus is the row with sign times d's counters added, keeping the row's key.
	Plus(d R, sign int) R
	// IsZero reports that the row's counters move nothing.
	IsZero() bool
}

// Move moves the rollups by a write, in its transaction: each row of after (what the changed
// records add up to now) is added to its stored row, each of before (what they added before)
// subtracted. Rows of one key are merged first and those that move nothing dropped; the rest
// are upserted in key order, so two writers never take each other's rows in opposite orders.
// keys and counters are the table's key and counter columns.
func Move[R Row[R]](db *gorm.DB, keys, counters []string, after, before []R) error {
	sums := map[string]R{}
	add := func(rows []R, sign int) {
		for _, r := range rows {
			t, ok := sums[r.Key()]
			if !ok {
				t = r.Plus(r, -1) // r's key with nothing counted
			}
			sums[r.Key()] = t.Plus(r, sign)
		}
	}
	add(after, 1)
	add(before, -1)
	var rows []R
	for _, r := range sums {
		if !r.IsZero() {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	slices.SortFunc(rows, func(a, b R) int { return strings.Compare(a.Key(), b.Key()) })
	table := rows[0].TableName()
	cols := make([]clause.Column, len(keys))
	for i, k := range keys {
		cols[i] = clause.Column{Name: k}
	}
	set := make(clause.Set, len(counters))
	for i, c := range counters {
		set[i] = clause.Assignment{Column: clause.Column{Name: c}, Value: gorm.Expr(table + "." + c + " + excluded." + c)}
	}
	if err := db.Clauses(clause.OnConflict{Columns: cols, DoUpdates: set}).CreateInBatches(rows, 500).Error; err != nil {
		return fmt.Errorf("move %s: %w", table, err)
	}
	return nil
}
