package migrations

// metric rollups: the figures the appraisal reads most, kept per month (in the tenant's time
// zone) as the work is recorded, so that a month's report reads a few rows per rep instead of
// every visit and call of the month (millions at 2,000 reps).
//
//   - visit_rollups: per rep, customer and month, the rep's closed visits to the customer that
//     started in the month: check-ins, verified ones, visits that count and their seconds.
//     Per customer because coverage counts distinct customers visited.
//   - activity_rollups: per rep, region and month, the rep's activities that occurred in the
//     month, counted as the activity figures count them. Per region because the activities a
//     caller may see are decided by owner and region, so the same access filter applies.
//
// rollup_rebuilds lists the (tenant, source) pairs whose rollups must be rebuilt from the rows
// before they can be trusted: every tenant that existed before this version. repflow rebuilds
// them when it starts (see the domains' RebuildRollups); until then the figures come from the
// rows, as before. A tenant created later keeps its rollups from its first record.
var metricRollups = Migration{
	Version: 18,
	Name:    "metric rollups",
	SQL: `
CREATE TABLE visit_rollups (
	tenant_id UUID NOT NULL,
	month TEXT NOT NULL,
	rep_id UUID NOT NULL,
	customer_id UUID NOT NULL,
	check_ins INTEGER NOT NULL,
	verified_check_ins INTEGER NOT NULL,
	visits INTEGER NOT NULL,
	seconds DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (tenant_id, month, rep_id, customer_id),
	FOREIGN KEY (tenant_id, rep_id) REFERENCES users (tenant_id, id),
	FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE TABLE activity_rollups (
	tenant_id UUID NOT NULL,
	month TEXT NOT NULL,
	owner_id UUID NOT NULL,
	region_id UUID NOT NULL,
	calls INTEGER NOT NULL,
	outbound_calls INTEGER NOT NULL,
	answered_outbound_calls INTEGER NOT NULL,
	answered_calls INTEGER NOT NULL,
	call_seconds BIGINT NOT NULL,
	messages INTEGER NOT NULL,
	outbound_messages INTEGER NOT NULL,
	replied_outbound_messages INTEGER NOT NULL,
	meetings INTEGER NOT NULL,
	PRIMARY KEY (tenant_id, month, owner_id, region_id),
	FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id),
	FOREIGN KEY (tenant_id, region_id) REFERENCES regions (tenant_id, id)
);
CREATE TABLE rollup_rebuilds (
	tenant_id UUID NOT NULL,
	source TEXT NOT NULL CHECK (source IN ('visits', 'activities')),
	PRIMARY KEY (tenant_id, source)
);
INSERT INTO rollup_rebuilds (tenant_id, source) SELECT id, 'visits' FROM tenants;
INSERT INTO rollup_rebuilds (tenant_id, source) SELECT id, 'activities' FROM tenants;
`,
	TenantTables: []string{"visit_rollups", "activity_rollups", "rollup_rebuilds"},
}
