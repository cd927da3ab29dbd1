package migrations

// dataRights: a tenant's right to take its data out and to have it deleted.
//
// tenant_exports is a tenant table: each export a tenant admin asked for, with its file's state.
// The file itself is a zip under the data directory, named after the export's id; the row says
// when it may be downloaded until. Its checksum is file_sha256: a column named sha256 in a
// tenant table names a blob (visit_photos.sha256), which an export attaches.
//
// A deletion is two columns of the tenants row, not a table of its own: the purge deletes the
// row last, so nothing about the request outlives the tenant, and a cancelled request leaves
// nothing behind. status becomes 'deleting' meanwhile.
var dataRights = Migration{
	Version: 26,
	Name:    "data rights: exports and deletion",
	SQL: `
ALTER TABLE tenants ADD COLUMN deletion_requested_at TIMESTAMPTZ;
ALTER TABLE tenants ADD COLUMN purge_after TIMESTAMPTZ;

CREATE TABLE tenant_exports (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('queued', 'ready', 'failed', 'expired')),
	requested_by UUID NOT NULL,
	requested_at TIMESTAMPTZ NOT NULL,
	finished_at TIMESTAMPTZ,
	expires_at TIMESTAMPTZ,
	size BIGINT NOT NULL DEFAULT 0,
	file_sha256 TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, requested_by) REFERENCES users (tenant_id, id)
);
`,
	TenantTables: []string{"tenant_exports"},
}
