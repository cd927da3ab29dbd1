package migrations

// core: tenants, the login directory, the region tree, users and their roles, teams.
var core = Migration{
	Version: 1,
	Name:    "core",
	SQL: `
CREATE TABLE tenants (
	id UUID PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	industry TEXT NOT NULL,
	time_zone TEXT NOT NULL,
	currency TEXT NOT NULL,
	status TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);

-- The one table keyed by something other than the tenant: an e-mail address signs in to exactly
-- one tenant, and login must find which before any tenant is known. Only the owner handle reads it
-- across tenants; the app role sees its own tenant's rows like any other tenant table.
CREATE TABLE login_emails (
	email TEXT PRIMARY KEY,
	tenant_id UUID NOT NULL,
	user_id UUID NOT NULL
);
CREATE INDEX login_emails_tenant_user ON login_emails (tenant_id, user_id);

CREATE TABLE regions (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	parent_id UUID,
	name TEXT NOT NULL,
	path TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, parent_id) REFERENCES regions (tenant_id, id)
);
CREATE UNIQUE INDEX regions_tenant_path ON regions (tenant_id, path);
CREATE UNIQUE INDEX regions_tenant_parent_name ON regions (tenant_id, parent_id, name);

CREATE TABLE users (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	email TEXT NOT NULL,
	name TEXT NOT NULL,
	phone TEXT NOT NULL DEFAULT '',
	region_id UUID NOT NULL,
	manager_id UUID,
	status TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, region_id) REFERENCES regions (tenant_id, id),
	FOREIGN KEY (tenant_id, manager_id) REFERENCES users (tenant_id, id)
);
CREATE UNIQUE INDEX users_tenant_email ON users (tenant_id, email);
CREATE INDEX users_tenant_region ON users (tenant_id, region_id);
CREATE INDEX users_tenant_manager ON users (tenant_id, manager_id);

CREATE TABLE user_roles (
	tenant_id UUID NOT NULL,
	user_id UUID NOT NULL,
	role TEXT NOT NULL,
	PRIMARY KEY (tenant_id, user_id, role),
	FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX user_roles_tenant_role ON user_roles (tenant_id, role);

CREATE TABLE teams (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	name TEXT NOT NULL,
	region_id UUID NOT NULL,
	lead_id UUID,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, region_id) REFERENCES regions (tenant_id, id),
	FOREIGN KEY (tenant_id, lead_id) REFERENCES users (tenant_id, id)
);
CREATE UNIQUE INDEX teams_tenant_name ON teams (tenant_id, name);

CREATE TABLE team_members (
	tenant_id UUID NOT NULL,
	team_id UUID NOT NULL,
	user_id UUID NOT NULL,
	PRIMARY KEY (tenant_id, team_id, user_id),
	FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id) ON DELETE CASCADE,
	FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX team_members_tenant_user ON team_members (tenant_id, user_id);
`,
	GlobalTables: []string{"tenants"},
	TenantTables: []string{"login_emails", "regions", "users", "user_roles", "teams", "team_members"},
}
