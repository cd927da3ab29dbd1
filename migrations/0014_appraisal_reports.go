package migrations

// appraisal_reports: each month's appraisal of the tenant, frozen as made (the body is the
// report as JSON: every rep's figures, scores, ranks and commission), one row per version and
// never changed: recomputing a month adds its next version.
var appraisalReports = Migration{
	Version: 14,
	Name:    "appraisal reports",
	SQL: `
CREATE TABLE appraisal_reports (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	period TEXT NOT NULL,
	scope TEXT NOT NULL,
	version INTEGER NOT NULL,
	body JSONB NOT NULL,
	created_by UUID NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	UNIQUE (tenant_id, period, scope, version)
);
`,
	AppendOnly: []string{"appraisal_reports"},
}
