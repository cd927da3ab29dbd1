package migrations

// appraisal: KPI templates with every version kept (a report names the version that scored it,
// and a version never changes), and each rep's target per metric and month.
//
// A template's body is kpi.Template as JSON. Targets carry the rep's region path as it was when
// set, so that a manager's scope over them is the scope over the rep.
var appraisal = Migration{
	Version: 13,
	Name:    "appraisal",
	SQL: `
CREATE TABLE appraisal_templates (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	name TEXT NOT NULL,
	version INTEGER NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	UNIQUE (tenant_id, name)
);
CREATE TABLE appraisal_template_versions (
	tenant_id UUID NOT NULL,
	template_id UUID NOT NULL,
	version INTEGER NOT NULL,
	body JSONB NOT NULL,
	created_by UUID,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, template_id, version),
	FOREIGN KEY (tenant_id, template_id) REFERENCES appraisal_templates (tenant_id, id)
);
CREATE TABLE appraisal_targets (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	rep_id UUID NOT NULL,
	region_path TEXT NOT NULL,
	period TEXT NOT NULL,
	metric TEXT NOT NULL,
	value DOUBLE PRECISION NOT NULL,
	set_by UUID NOT NULL,
	set_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	UNIQUE (tenant_id, rep_id, period, metric),
	FOREIGN KEY (tenant_id, rep_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX appraisal_targets_period ON appraisal_targets (tenant_id, period, rep_id);
`,
	TenantTables: []string{"appraisal_templates", "appraisal_targets"},
	AppendOnly:   []string{"appraisal_template_versions"},
}
