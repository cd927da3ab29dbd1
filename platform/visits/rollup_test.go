package visits

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/rollup"
)

// checkRollups fails t unless the tenant's visit rollups, as its writes have moved them, hold
// what the visits add up to when summed by SQL month by month (visitSums, the figures' own
// rules), and unless a rebuild from the rows gives the same.
func checkRollups(t *testing.T, w *world, f *tenantFixture, loc *time.Location) {
	t.Helper()
	kept := rollupSums(t, w, f)
	want := rowSums(t, w, f, loc)
	compareSums(t, "rollups moved by the writes", want, kept)
	sys := identity.System(context.Background(), f.id)
	if err := rollup.Request(sys, w.s, rollup.Visits); err != nil {
		t.Fatal(err)
	}
	if err := NewService(w.s, w.w, Options{TimeZone: func(context.Context) (*time.Location, error) { return loc, nil }}).RebuildRollups(sys); err != nil {
		t.Fatal(err)
	}
	compareSums(t, "rollups rebuilt", want, rollupSums(t, w, f))
}

type sumKey struct {
	month         string
	rep, customer uuid.UUID
}

func rollupSums(t *testing.T, w *world, f *tenantFixture) map[sumKey]visitRollupRow {
	t.Helper()
	var rows []visitRollupRow
	tx(t, w, f, func(db *gorm.DB) error { return db.Find(&rows).Error })
	out := map[sumKey]visitRollupRow{}
	for _, r := range rows {
		out[sumKey{r.Month, r.RepID, r.CustomerID}] = r
	}
	return out
}

// rowSums sums the tenant's closed visits with SQL, month by month over the months they began in.
func rowSums(t *testing.T, w *world, f *tenantFixture, loc *time.Location) map[sumKey]visitRollupRow {
	t.Helper()
	out := map[sumKey]visitRollupRow{}
	tx(t, w, f, func(db *gorm.DB) error {
		var starts []aggregateTime
		if err := db.Model(&visitRow{}).Where("status = ?", VisitClosed).Pluck("started_at", &starts).Error; err != nil {
			return err
		}
		months := map[string]bool{}
		for _, s := range starts {
			m := rollup.Month(s.Time, loc)
			if months[m] {
				continue
			}
			months[m] = true
			from, _ := time.ParseInLocation("2006-01", m, loc)
			var rows []visitRollupRow
			err := visitSums(db, w.s.Dialect()).Where("visits.started_at >= ? AND visits.started_at < ?", from.UTC(), from.AddDate(0, 1, 0).UTC()).Scan(&rows).Error
			if err != nil {
				return err
			}
			for _, r := range rows {
				r.TenantID, r.Month = uuid.Nil, m
				out[sumKey{m, r.RepID, r.CustomerID}] = r
			}
		}
		if len(months) == 0 {
			t.Error("no closed visit: the check checks nothing")
		}
		return nil
	})
	return out
}

// compareSums compares the rows that add something (a row of zeros, from a visit that was
// rejected, adds nothing either way); seconds to the microsecond, as the figures read them.
func compareSums(t *testing.T, what string, want, got map[sumKey]visitRollupRow) {
	t.Helper()
	zero := func(r visitRollupRow) bool {
		return r.CheckIns == 0 && r.VerifiedCheckIns == 0 && r.Visits == 0 && math.Abs(r.Seconds) < 1e-6
	}
	for k, g := range got {
		wt := want[k]
		if zero(wt) && zero(g) {
			continue
		}
		if g.CheckIns != wt.CheckIns || g.VerifiedCheckIns != wt.VerifiedCheckIns || g.Visits != wt.Visits || math.Abs(g.Seconds-wt.Seconds) > 1e-6 {
			t.Errorf("%s: %v: got %+v, the visits add up to %+v", what, k, g, wt)
		}
	}
	for k, wt := range want {
		if _, ok := got[k]; !ok && !zero(wt) {
			t.Errorf("%s: %v missing: the visits add up to %+v", what, k, wt)
		}
	}
}

func tx(t *testing.T, w *world, f *tenantFixture, fn func(db *gorm.DB) error) {
	t.Helper()
	err := w.s.Tx(identity.System(context.Background(), f.id), func(_ context.Context, db *gorm.DB) error { return fn(db) })
	if err != nil {
		t.Fatal(err)
	}
}
