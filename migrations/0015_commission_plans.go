package migrations

// commission plans: the tenant's commission plan (commission.Plan as JSON), every version kept
// and never changed: the newest is the plan in force, and a report names the version it paid by.
var commissionPlans = Migration{
	Version: 15,
	Name:    "commission plans",
	SQL: `
CREATE TABLE commission_plan_versions (
	tenant_id UUID NOT NULL,
	version INTEGER NOT NULL,
	body JSONB NOT NULL,
	created_by UUID NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, version)
);
`,
	AppendOnly: []string{"commission_plan_versions"},
}
