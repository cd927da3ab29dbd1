// Package rollup holds what the domains' monthly rollups share: the month a record falls in,
// whether a period is made of whole months, and rebuilding a tenant's rollups from its rows.
//
// A rollup keeps, per month in the tenant's time zone, the sums a metric is made of, moved by
// every write in the write's own transaction, so that a month's figures read a few rows per rep
// instead of every record. The rows stay the truth: a rollup can always be rebuilt from them,
// and the figures of a period that is not made of whole months are still computed from them.
//
// The month is the tenant's, so a change of the tenant's time zone must rebuild its rollups.
package rollup

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/store"
)

// Source names a domain's rollups in rollup_rebuilds.
type Source string

const (
	Visits     Source = "visits"
	Activities Source = "activities"
)

// Month is the month t falls in, in loc: the key of a rollup row (YYYY-MM).
func Month(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01") }

// WholeMonths returns the months [from, to) is made of when both are the first instant of a
// month in loc (the periods the appraisal asks for: a month, a quarter); ok is false otherwise.
func WholeMonths(from, to time.Time, loc *time.Location) (months []string, ok bool) {
	from, to = from.In(loc), to.In(loc)
	if !firstOfMonth(from) || !firstOfMonth(to) || !to.After(from) {
		return nil, false
	}
	for m := from; m.Before(to); m = m.AddDate(0, 1, 0) {
		months = append(months, m.Format("2006-01"))
	}
	return months, true
}

func firstOfMonth(t time.Time) bool {
	return t.Day() == 1 && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// rebuildRow is a row of rollup_rebuilds: a source whose rollups the tenant must rebuild.
type rebuildRow struct {
	TenantID uuid.UUID
	Source   string
}

func (rebuildRow) TableName() string { return "rollup_rebuilds" }

// Use reports whether the figures of src over [from, to) can come from the rollups, and of which
// months: the period is made of whole months in loc and the tenant's rollups are built.
func Use(db *gorm.DB, src Source, from, to time.Time, loc *time.Location) ([]string, bool, error) {
	months, whole := WholeMonths(from, to, loc)
	if !whole {
		return nil, false, nil
	}
	ready, err := Ready(db, src)
	return months, ready, err
}

// Ready reports whether the tenant's rollups of src can be trusted: no rebuild is pending.
func Ready(db *gorm.DB, src Source) (bool, error) {
	var n int64
	if err := db.Model(&rebuildRow{}).Where("source = ?", string(src)).Count(&n).Error; err != nil {
		return false, fmt.Errorf("rollups of %s: %w", src, err)
	}
	return n == 0, nil
}

// Pending lists the sources whose rollups the tenant in ctx must rebuild.
func Pending(ctx context.Context, s *store.Store) ([]Source, error) {
	var out []Source
	err := s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		return db.Model(&rebuildRow{}).Order("source").Pluck("source", &out).Error
	})
	return out, err
}

// Request marks the tenant's rollups of the sources for a rebuild, in the transaction of ctx:
// a bulk load that writes rows directly, not through the domains, must call it before.
func Request(ctx context.Context, s *store.Store, srcs ...Source) error {
	return s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		for _, src := range srcs {
			err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&rebuildRow{Source: string(src)}).Error
			if err != nil {
				return fmt.Errorf("request a rebuild of the rollups of %s: %w", src, err)
			}
		}
		return nil
	})
}

// Span is one month of a rebuild: its key and its instants [From, To).
type Span struct {
	Month    string
	From, To time.Time
}

// Table is a rollup table's model.
type Table interface{ TableName() string }

// Rebuild replaces the tenant's rollups of src, in table, with what fill computes from the rows
// month by month, from the month of first to the month of last (the earliest and latest record;
// nothing when there is none), and clears the pending rebuild, in one transaction. It does
// nothing when no rebuild is pending.
//
// On PostgreSQL the table is locked against writers first (EXCLUSIVE: reads go on): a write
// that changed its rows but has not yet moved the rollups waits for the rebuild, whose reads do
// not see it, and then moves the rebuilt rows; every write committed before is in the rows it
// reads. Rebuilds are rare (an upgrade, a bulk load), so all tenants waiting a moment is fine.
func Rebuild(ctx context.Context, s *store.Store, src Source, table Table, loc *time.Location,
	bounds func(db *gorm.DB) (first, last *time.Time, err error), fill func(db *gorm.DB, m Span) error) error {
	err := s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if s.Dialect() == store.Postgres {
			if err := db.Exec("LOCK TABLE " + table.TableName() + " IN EXCLUSIVE MODE").Error; err != nil {
				return err
			}
		}
		if ready, err := Ready(db, src); ready || err != nil {
			return err // rebuilt meanwhile, by another replica
		}
		if err := db.Where("1 = 1").Delete(table).Error; err != nil {
			return fmt.Errorf("clear: %w", err)
		}
		first, last, err := bounds(db)
		if err != nil {
			return fmt.Errorf("find the records' months: %w", err)
		}
		if first != nil && last != nil {
			f := first.In(loc)
			for m := time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, loc); !m.After(*last); m = m.AddDate(0, 1, 0) {
				if err := fill(db, Span{Month: m.Format("2006-01"), From: m.UTC(), To: m.AddDate(0, 1, 0).UTC()}); err != nil {
					return fmt.Errorf("month %s: %w", m.Format("2006-01"), err)
				}
			}
		}
		return db.Where("source = ?", string(src)).Delete(&rebuildRow{}).Error
	})
	if err != nil {
		return fmt.Errorf("rebuild the rollups of %s: %w", src, err)
	}
	return nil
}
