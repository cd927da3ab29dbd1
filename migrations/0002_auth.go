package migrations

// auth: password hashes, web sessions and bearer tokens, password reset links, and the global
// login throttle.
var auth = Migration{
	Version: 2,
	Name:    "auth",
	SQL: `
-- password_hash is a PHC string ("$argon2id$v=19$m=...,t=...,p=...$salt$hash"), so each hash
-- carries the parameters it was made with. A user without a row cannot log in.
CREATE TABLE credentials (
	tenant_id UUID NOT NULL,
	user_id UUID NOT NULL,
	password_hash TEXT NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, user_id),
	FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);

-- Web sessions and bearer tokens. Only the SHA-256 of the secret is kept; the string the client
-- holds embeds tenant and id, so a lookup stays inside one tenant.
CREATE TABLE sessions (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	user_id UUID NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('web', 'token')),
	name TEXT NOT NULL,
	secret_hash BYTEA NOT NULL,
	csrf_hash BYTEA,
	created_at TIMESTAMPTZ NOT NULL,
	last_used_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ,
	revoked_at TIMESTAMPTZ,
	ip TEXT NOT NULL,
	user_agent TEXT NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_tenant_user ON sessions (tenant_id, user_id);

CREATE TABLE password_resets (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	user_id UUID NOT NULL,
	secret_hash BYTEA NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	used_at TIMESTAMPTZ,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX password_resets_tenant_user ON password_resets (tenant_id, user_id);

-- Failed logins per "email:<addr>" and "ip:<addr>", shared by every replica. Global: login
-- counts failures before (or without) knowing a tenant.
CREATE TABLE login_throttle (
	key TEXT PRIMARY KEY,
	failures INTEGER NOT NULL,
	window_start TIMESTAMPTZ NOT NULL,
	locked_until TIMESTAMPTZ
);
`,
	TenantTables: []string{"credentials", "sessions", "password_resets"},
	GlobalTables: []string{"login_throttle"},
}
