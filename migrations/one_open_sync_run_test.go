package migrations_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/migrations"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
)

// Migration 31 on a database where the race it closes had left two runs of one connector open:
// the older is ended as failed, the newest stays open, and a second open run is refused after.
func TestOneOpenSyncRunEndsOlderDuplicates(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	db := s.Owner(ctx)
	exec := func(sql string, args ...any) {
		t.Helper()
		if err := db.Exec(sql, args...).Error; err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	// Back to the schema before migration 31.
	exec("DROP INDEX sync_runs_open")
	exec("DELETE FROM schema_migrations WHERE version = 31")

	tenant, connector := uuid.New(), uuid.New()
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	exec(`INSERT INTO connectors (tenant_id, id, kind, name, config, secrets, enabled, state, message, restarts, last_sync_error, created_at, updated_at)
		VALUES (?, ?, 'testconn', 'ERP', '{}', '{}', true, 'healthy', '', 0, '', ?, ?)`, tenant, connector, at, at)
	runs := []struct {
		id     uuid.UUID
		status string
		at     time.Time
		want   string
	}{
		{uuid.New(), "done", at.Add(-time.Hour), "done"},
		{uuid.New(), "running", at, "failed"},
		{uuid.New(), "queued", at.Add(time.Minute), "queued"},
	}
	for _, r := range runs {
		exec(`INSERT INTO sync_runs (tenant_id, id, connector_id, status, pending, pulled, error, started_at) VALUES (?, ?, ?, ?, '[]', 0, '', ?)`,
			tenant, r.id, connector, r.status, r.at)
	}

	if done, err := migrations.Up(ctx, s); err != nil || len(done) != 1 || done[0] != 31 {
		t.Fatalf("up: %v %v, want migration 31 applied", done, err)
	}
	for _, r := range runs {
		var got struct {
			Status     string
			Error      string
			FinishedAt *time.Time
		}
		if err := db.Table("sync_runs").Where("id = ?", r.id).Take(&got).Error; err != nil {
			t.Fatal(err)
		}
		if got.Status != r.want || (r.want == "failed") != (got.FinishedAt != nil && got.Error != "") {
			t.Errorf("run that was %s started %s: now %+v, want %s", r.status, r.at.Format(time.TimeOnly), got, r.want)
		}
	}
	err := db.Exec(`INSERT INTO sync_runs (tenant_id, id, connector_id, status, pending, pulled, error, started_at) VALUES (?, ?, ?, 'running', '[]', 0, '', ?)`,
		tenant, uuid.New(), connector, at.Add(time.Hour)).Error
	if !store.IsUniqueViolation(err) {
		t.Fatalf("a second open run: %v, want a unique violation", err)
	}
}
