package main

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/repflow/repflow/platform/activities"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/rollup"
	"github.com/repflow/repflow/platform/visits"
)

// Rollups left to rebuild (by the upgrade that introduced them, or a bulk load) are rebuilt when
// repflow starts; meanwhile the month's figures come from the records, and they are the same
// figures either way.
func TestPendingRollupsAreRebuiltAtStart(t *testing.T) {
	h := newHarness(t)
	c := h.company("Rollup Co")
	ctx := context.Background()
	rctx := identity.With(ctx, h.principal(c.tenant, c.users["rep"].ID))
	now := time.Now()
	if _, err := h.app.visits.CheckOut(rctx, c.visit.ID, visits.CheckOutInput{
		Position: visits.Position{Point: c.customer.Location, Datum: visits.WGS84}, Accuracy: 10, DeviceTime: now}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.app.activities.CreateActivity(rctx, activities.NewActivity{ID: identity.NewID(), Kind: activities.KindCall,
		CustomerID: c.customer.ID, OccurredAt: now.Add(-time.Minute), Direction: activities.Outbound, DurationS: 95,
		Outcome: activities.OutcomeAnswered}); err != nil {
		t.Fatal(err)
	}
	hq := identity.With(ctx, h.principal(c.tenant, c.users["hq"].ID))
	first := time.Date(now.In(shanghai(t)).Year(), now.In(shanghai(t)).Month(), 1, 0, 0, 0, 0, shanghai(t))
	month := func() ([]visits.RepMetrics, []activities.RepMetrics) {
		t.Helper()
		v, err := h.app.visits.Metrics(hq, visits.MetricsQuery{From: first.Format(time.DateOnly), To: first.AddDate(0, 1, 0).Format(time.DateOnly)})
		if err != nil {
			t.Fatal(err)
		}
		a, err := h.app.activities.Metrics(hq, activities.MetricsQuery{From: first.Format(time.DateOnly), To: first.AddDate(0, 1, 0).Format(time.DateOnly)})
		if err != nil {
			t.Fatal(err)
		}
		return v, a
	}
	visited, called := month()
	total := func(v []visits.RepMetrics, a []activities.RepMetrics) (n, calls int) {
		for _, m := range v {
			n += m.Visits
		}
		for _, m := range a {
			calls += m.Calls
		}
		return n, calls
	}
	if n, calls := total(visited, called); n == 0 || calls == 0 {
		t.Fatalf("the month has %d visits and %d calls: nothing to compare", n, calls)
	}

	// As after the upgrade: no rollups yet, a rebuild pending.
	owner := h.app.store.Owner(ctx)
	for _, table := range []string{"visit_rollups", "activity_rollups"} {
		if err := owner.Exec("DELETE FROM "+table+" WHERE tenant_id = ?", c.tenant).Error; err != nil {
			t.Fatal(err)
		}
	}
	sys := identity.System(ctx, c.tenant)
	if err := rollup.Request(sys, h.app.store, rollup.Visits, rollup.Activities); err != nil {
		t.Fatal(err)
	}
	same := func(when string) {
		t.Helper()
		v, a := month()
		if d := cmp.Diff(visited, v); d != "" {
			t.Errorf("visit figures %s (-before +now):\n%s", when, d)
		}
		if d := cmp.Diff(called, a); d != "" {
			t.Errorf("activity figures %s (-before +now):\n%s", when, d)
		}
	}
	same("while the rollups wait for their rebuild")

	if err := h.app.rebuildRollups(ctx); err != nil {
		t.Fatal(err)
	}
	if pending, err := rollup.Pending(sys, h.app.store); err != nil || len(pending) != 0 {
		t.Fatalf("still pending after the rebuild: %v %v", pending, err)
	}
	var rows int64
	if err := owner.Table("visit_rollups").Where("tenant_id = ?", c.tenant).Count(&rows).Error; err != nil || rows != 1 {
		t.Errorf("%d visit rollups after the rebuild, want 1 (%v)", rows, err)
	}
	same("after the rebuild")
}
