package migrations

// connectors: a tenant's connectors to its CRM and ERP systems, each of a kind this server can run
// (a plugin binary), with its configuration as the connector's own JSON document (its secret
// fields, such as passwords, in a column of their own, which a data export leaves out) and its
// last known health. A sync run pulls each entity from the cursor where the last committed page ended;
// the records pulled are kept as the remote system last had them, one row per record, so a page
// pulled twice (a retry after a crash) writes the same rows again rather than new ones.
var connectors = Migration{
	Version: 29,
	Name:    "connectors",
	SQL: `
CREATE TABLE connectors (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	kind TEXT NOT NULL,
	name TEXT NOT NULL,
	config JSONB NOT NULL,
	secrets JSONB NOT NULL,
	enabled BOOLEAN NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('unknown', 'healthy', 'failing', 'crashed', 'disabled')),
	message TEXT NOT NULL,
	checked_at TIMESTAMPTZ,
	restarts INTEGER NOT NULL,
	last_sync_at TIMESTAMPTZ,
	last_sync_error TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	UNIQUE (tenant_id, name)
);
CREATE TABLE connector_cursors (
	tenant_id UUID NOT NULL,
	connector_id UUID NOT NULL,
	entity TEXT NOT NULL,
	cursor TEXT NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, connector_id, entity),
	FOREIGN KEY (tenant_id, connector_id) REFERENCES connectors (tenant_id, id)
);
CREATE TABLE sync_runs (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	connector_id UUID NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
	pending JSONB NOT NULL,
	pulled INTEGER NOT NULL,
	error TEXT NOT NULL,
	started_at TIMESTAMPTZ NOT NULL,
	finished_at TIMESTAMPTZ,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, connector_id) REFERENCES connectors (tenant_id, id)
);
CREATE INDEX sync_runs_connector ON sync_runs (tenant_id, connector_id, started_at);
CREATE TABLE connector_records (
	tenant_id UUID NOT NULL,
	connector_id UUID NOT NULL,
	entity TEXT NOT NULL,
	external_id TEXT NOT NULL,
	data JSONB NOT NULL,
	deleted BOOLEAN NOT NULL,
	changed_at TIMESTAMPTZ,
	pulled_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, connector_id, entity, external_id),
	FOREIGN KEY (tenant_id, connector_id) REFERENCES connectors (tenant_id, id)
);
`,
	TenantTables: []string{"connectors", "connector_cursors", "sync_runs", "connector_records"},
}
