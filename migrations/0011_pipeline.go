package migrations

// pipeline: per-tenant sales pipelines (stages with their checklists, and the workflow rules as
// one validated JSON document), opportunities with their stage history, the tasks the workflow
// hands out, and the reminders it sends.
//
// Stages are never deleted: a stage an admin removes is retired, because the stage history of
// past opportunities names it. Stage moves are append-only: an opportunity's path through the
// pipeline (who moved it, when) is evidence for the appraisal. Reminders carry a key that makes
// each timer's reminder unique, so a timer that fires twice still reminds once.
//
// Dates without a time (expected close) are ISO 8601 text: they sort and compare as text on
// both databases.
var pipeline = Migration{
	Version: 11,
	Name:    "pipeline",
	SQL: `
CREATE TABLE pipelines (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	name TEXT NOT NULL,
	rules JSONB NOT NULL,
	revision BIGINT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	UNIQUE (tenant_id, name)
);
CREATE TABLE pipeline_stages (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	pipeline_id UUID NOT NULL,
	key TEXT NOT NULL,
	name TEXT NOT NULL,
	position INTEGER NOT NULL,
	probability INTEGER NOT NULL,
	sla_days INTEGER NOT NULL,
	outcome TEXT NOT NULL,
	checklist JSONB NOT NULL,
	retired BOOLEAN NOT NULL,
	PRIMARY KEY (tenant_id, id),
	UNIQUE (tenant_id, pipeline_id, key),
	FOREIGN KEY (tenant_id, pipeline_id) REFERENCES pipelines (tenant_id, id)
);
CREATE TABLE opportunities (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	pipeline_id UUID NOT NULL,
	stage_id UUID NOT NULL,
	customer_id UUID NOT NULL,
	owner_id UUID NOT NULL,
	region_path TEXT NOT NULL,
	name TEXT NOT NULL,
	amount NUMERIC(20,4) NOT NULL,
	currency TEXT NOT NULL,
	expected_close TEXT NOT NULL,
	next_step TEXT NOT NULL,
	contact_ids JSONB NOT NULL,
	status TEXT NOT NULL,
	outcome_reason TEXT NOT NULL,
	stage_entered_at TIMESTAMPTZ NOT NULL,
	last_touched_at TIMESTAMPTZ NOT NULL,
	closed_at TIMESTAMPTZ,
	created_by UUID NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, pipeline_id) REFERENCES pipelines (tenant_id, id),
	FOREIGN KEY (tenant_id, stage_id) REFERENCES pipeline_stages (tenant_id, id),
	FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX opportunities_owner ON opportunities (tenant_id, owner_id, id);
CREATE INDEX opportunities_region ON opportunities (tenant_id, region_path, id);
CREATE INDEX opportunities_stage ON opportunities (tenant_id, stage_id, status);
CREATE TABLE opportunity_stage_moves (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	opportunity_id UUID NOT NULL,
	from_stage_id UUID,
	to_stage_id UUID NOT NULL,
	moved_at TIMESTAMPTZ NOT NULL,
	moved_by UUID,
	reason TEXT NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities (tenant_id, id),
	FOREIGN KEY (tenant_id, to_stage_id) REFERENCES pipeline_stages (tenant_id, id)
);
CREATE INDEX opportunity_stage_moves_opportunity ON opportunity_stage_moves (tenant_id, opportunity_id, moved_at);
CREATE TABLE tasks (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	opportunity_id UUID NOT NULL,
	stage_id UUID NOT NULL,
	title TEXT NOT NULL,
	owner_id UUID NOT NULL,
	region_path TEXT NOT NULL,
	required BOOLEAN NOT NULL,
	status TEXT NOT NULL,
	due_at TIMESTAMPTZ NOT NULL,
	done_at TIMESTAMPTZ,
	done_by UUID,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities (tenant_id, id),
	FOREIGN KEY (tenant_id, stage_id) REFERENCES pipeline_stages (tenant_id, id)
);
CREATE INDEX tasks_opportunity ON tasks (tenant_id, opportunity_id, stage_id, status);
CREATE INDEX tasks_owner ON tasks (tenant_id, owner_id, status, due_at);
CREATE TABLE reminders (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	user_id UUID NOT NULL,
	kind TEXT NOT NULL,
	opportunity_id UUID,
	task_id UUID,
	message TEXT NOT NULL,
	dedupe_key TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	read_at TIMESTAMPTZ,
	PRIMARY KEY (tenant_id, id),
	UNIQUE (tenant_id, dedupe_key)
);
CREATE INDEX reminders_user ON reminders (tenant_id, user_id, id);
`,
	TenantTables: []string{"pipelines", "pipeline_stages", "opportunities", "tasks", "reminders"},
	AppendOnly:   []string{"opportunity_stage_moves"},
}
