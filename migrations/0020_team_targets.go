package migrations

// team targets: a team's own goal for a metric in a month, set by whoever may set the targets of
// every member. The team's dashboard scores against it; without one, against its members'
// targets added up (work and money) or averaged (rates), as before.
var teamTargets = Migration{
	Version: 20,
	Name:    "team targets",
	SQL: `
CREATE TABLE appraisal_team_targets (
	tenant_id UUID NOT NULL,
	team_id UUID NOT NULL,
	period TEXT NOT NULL,
	metric TEXT NOT NULL,
	value DOUBLE PRECISION NOT NULL CHECK (value >= 0),
	set_by UUID NOT NULL,
	set_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, team_id, period, metric),
	FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id),
	FOREIGN KEY (tenant_id, set_by) REFERENCES users (tenant_id, id)
);
`,
	TenantTables: []string{"appraisal_team_targets"},
}
