package migrations

// api calls: how many authenticated API requests each tenant made per day (UTC), for the
// operator's view of its usage. Servers count in memory and add their counts every few seconds,
// so several replicas add up rather than overwrite each other.
var apiCalls = Migration{
	Version: 30,
	Name:    "api calls",
	SQL: `
CREATE TABLE api_calls (
	tenant_id UUID NOT NULL,
	day TEXT NOT NULL,
	calls BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, day)
);
`,
	TenantTables: []string{"api_calls"},
}
