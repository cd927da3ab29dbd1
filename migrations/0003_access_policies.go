package migrations

// accessPolicies: each tenant's access policies, in the structured form tenant admins edit.
var accessPolicies = Migration{
	Version: 3,
	Name:    "access_policies",
	SQL: `
CREATE TABLE access_policies (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	description TEXT NOT NULL,
	subjects TEXT NOT NULL,
	actions TEXT NOT NULL,
	kinds TEXT NOT NULL,
	scope TEXT NOT NULL,
	effect TEXT NOT NULL,
	builtin BOOLEAN NOT NULL,
	disabled BOOLEAN NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
`,
	TenantTables: []string{"access_policies"},
}
