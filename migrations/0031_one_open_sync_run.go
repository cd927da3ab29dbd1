package migrations

// one open sync run: a connector has at most one sync run queued or running. Counting the open
// runs before starting one was not enough on PostgreSQL: two requests at once (a click and the
// scheduled sweep, or two replicas) each counted none, and both runs pulled the same pages.
// Duplicates left open by that race are ended first, the newest run of each connector kept.
var oneOpenSyncRun = Migration{
	Version: 31,
	Name:    "one open sync run",
	SQL: `
UPDATE sync_runs SET status = 'failed', error = 'ended: a newer run of the same connector was open at the same time', finished_at = CURRENT_TIMESTAMP
WHERE status IN ('queued', 'running') AND EXISTS (
	SELECT 1 FROM sync_runs newer
	WHERE newer.tenant_id = sync_runs.tenant_id AND newer.connector_id = sync_runs.connector_id
		AND newer.status IN ('queued', 'running')
		AND (newer.started_at > sync_runs.started_at OR (newer.started_at = sync_runs.started_at AND newer.id > sync_runs.id))
);
CREATE UNIQUE INDEX sync_runs_open ON sync_runs (tenant_id, connector_id) WHERE status IN ('queued', 'running');
`,
}
