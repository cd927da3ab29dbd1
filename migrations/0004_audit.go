package migrations

// audit: the append-only, hash-chained audit trail. audit_records is insert-only for the app role;
// audit_heads holds each tenant's chain head (last seq and hash), locked and moved in the same
// transaction as every append so that concurrent appends never fork the chain, and so that
// deleting the newest records shows up as a head that points past the end.
var audit = Migration{
	Version: 4,
	Name:    "audit",
	SQL: `
CREATE TABLE audit_records (
	tenant_id UUID NOT NULL,
	seq BIGINT NOT NULL,
	id UUID NOT NULL,
	at TIMESTAMPTZ NOT NULL,
	actor_id UUID,
	session_id UUID,
	action TEXT NOT NULL,
	resource TEXT NOT NULL,
	outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'rejected')),
	status INTEGER NOT NULL,
	ip TEXT NOT NULL,
	user_agent TEXT NOT NULL,
	request_id TEXT NOT NULL,
	digest TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL,
	PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX audit_records_tenant_at ON audit_records (tenant_id, at);
CREATE INDEX audit_records_tenant_actor ON audit_records (tenant_id, actor_id, seq);

CREATE TABLE audit_heads (
	tenant_id UUID PRIMARY KEY,
	seq BIGINT NOT NULL,
	hash TEXT NOT NULL
);
`,
	TenantTables: []string{"audit_heads"},
	AppendOnly:   []string{"audit_records"},
}
