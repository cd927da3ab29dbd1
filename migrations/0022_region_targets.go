package migrations

// region targets: a region's own goal for a metric in a month or quarter, set by whoever may set
// the targets of every rep in the region. The region's dashboard scores against it; without one,
// against its reps' targets added up (work and money) or averaged (rates), as a team's does.
var regionTargets = Migration{
	Version: 22,
	Name:    "region targets",
	SQL: `
CREATE TABLE appraisal_region_targets (
	tenant_id UUID NOT NULL,
	region_id UUID NOT NULL,
	period TEXT NOT NULL,
	metric TEXT NOT NULL,
	value DOUBLE PRECISION NOT NULL CHECK (value >= 0),
	set_by UUID NOT NULL,
	set_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, region_id, period, metric),
	FOREIGN KEY (tenant_id, region_id) REFERENCES regions (tenant_id, id),
	FOREIGN KEY (tenant_id, set_by) REFERENCES users (tenant_id, id)
);
`,
	TenantTables: []string{"appraisal_region_targets"},
}
