package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/rollup"
	"github.com/repflow/repflow/platform/store"
)

// rebuildRollups rebuilds the monthly rollups that some tenant has pending (every tenant once,
// after the upgrade that introduced them; a load tenant after its bulk load), so that its
// reports read them rather than every record. Until then its figures come from the records.
func (a *app) rebuildRollups(ctx context.Context) error {
	var pending []uuid.UUID
	if err := a.store.Owner(ctx).Table("rollup_rebuilds").Distinct("tenant_id").Pluck("tenant_id", &pending).Error; err != nil {
		return fmt.Errorf("find pending rollups: %w", err)
	}
	rebuilds := map[rollup.Source]func(context.Context) error{
		rollup.Visits: a.visits.RebuildRollups, rollup.Activities: a.activities.RebuildRollups}
	for _, tenant := range pending {
		started := time.Now()
		sys := identity.System(ctx, tenant)
		srcs, err := rollup.Pending(sys, a.store)
		if err != nil {
			return err
		}
		for _, src := range srcs {
			rebuild := rebuilds[src]
			if rebuild == nil {
				return fmt.Errorf("tenant %s: no rollups named %q", tenant, src)
			}
			if err := rebuild(sys); err != nil {
				return fmt.Errorf("tenant %s: %w", tenant, err)
			}
		}
		slog.Info("rollups rebuilt", "tenant", tenant, "sources", srcs, "took", time.Since(started).Round(time.Millisecond))
	}
	if len(pending) > 0 && a.store.Dialect() == store.Postgres {
		// The planner's statistics: autovacuum may be off or slow to notice a table that grew at once.
		if err := a.store.Owner(ctx).Exec("ANALYZE visit_rollups, activity_rollups").Error; err != nil {
			return fmt.Errorf("analyse rollups: %w", err)
		}
	}
	return nil
}
