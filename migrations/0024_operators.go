package migrations

// operators: the SaaS operator's own accounts (not tenant users), their bearer sessions, the
// audit of everything they do, and the support grants a tenant can see.
//
// The first three tables are global: only the owner handle (admin/) reads them. operator_audit
// names the tenant acted on in a column named tenant, not tenant_id, which marks the
// tenant-walled tables: an operator's audit line is the platform's record, not the tenant's data.
//
// support_grants is a tenant table written by the operator console through the owner handle.
// The tenant may read its grants and revoke one (revoked_at), never create or extend one: the
// app role gets SELECT and UPDATE of revoked_at only, so no tenant-side bug can open its data to
// an operator.
var operators = Migration{
	Version: 24,
	Name:    "operators",
	SQL: `
-- password_hash is a PHC argon2id string; totp_secret is the base32 TOTP secret, which has to be
-- kept readable to check codes. totp_last_step is the last accepted time step (unix time / 30),
-- so a code is never accepted twice.
CREATE TABLE operators (
	id UUID PRIMARY KEY,
	email TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	totp_secret TEXT NOT NULL,
	totp_last_step BIGINT NOT NULL DEFAULT 0,
	created_at TIMESTAMPTZ NOT NULL,
	disabled_at TIMESTAMPTZ
);

-- Only the SHA-256 of the bearer token is kept.
CREATE TABLE operator_sessions (
	token_hash BYTEA PRIMARY KEY,
	operator_id UUID NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
	ip TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX operator_sessions_operator ON operator_sessions (operator_id);

-- Every operator action, failed sign-ins included (they are also the login throttle's count).
-- operator_id is null for a sign-in with an unknown address.
CREATE TABLE operator_audit (
	id UUID PRIMARY KEY,
	at TIMESTAMPTZ NOT NULL,
	operator_id UUID,
	operator_email TEXT NOT NULL,
	action TEXT NOT NULL,
	outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'refused')),
	tenant UUID,
	reason TEXT NOT NULL,
	detail TEXT NOT NULL,
	ip TEXT NOT NULL,
	request_id TEXT NOT NULL
);
CREATE INDEX operator_audit_email ON operator_audit (operator_email, action, at);
CREATE INDEX operator_audit_ip ON operator_audit (ip, action, at);
CREATE INDEX operator_audit_tenant ON operator_audit (tenant, at);

CREATE TABLE support_grants (
	tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
	id UUID NOT NULL,
	operator_id UUID NOT NULL,
	operator_email TEXT NOT NULL,
	reason TEXT NOT NULL,
	starts_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	revoked_at TIMESTAMPTZ,
	-- The SHA-256 of the read-only session the grant's operator opened with it, if any.
	session_hash TEXT,
	PRIMARY KEY (tenant_id, id),
	CHECK (expires_at > starts_at)
);
`,
	PostgresSQL:  rowLevelSecurity("support_grants", "SELECT, UPDATE (revoked_at)"),
	GlobalTables: []string{"operators", "operator_sessions", "operator_audit"},
}
