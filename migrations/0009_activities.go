package migrations

// activities: a rep's calls, meetings and messages with a customer, and the key-account records
// of the industrial template: the account hierarchy, which accounts are key, the contacts of an
// account with their relationships, projects with milestones, and service records.
//
// An activity's id is the client's own (reps log calls offline); fingerprint is a hash of the
// body that created it, so a retry with the same id is told from a different activity reusing
// it. opportunity_id has no foreign key: the pipeline domain's table does not exist yet.
//
// Rows that belong to an account copy the customer's owner and region when created, so that
// access scopes filter them like customers. Contacts are unique per (customer, id) so that the
// foreign keys of activities, attendees, relationships and service records also prove that a
// contact belongs to the same account as the row naming it.
//
// Outcomes, channels, contact roles and service kinds are checked by the service, not by CHECK
// constraints: they are open lists that grow, and SQLite cannot alter a CHECK. Service records
// are records of work: append-only, like visit reviews.
var activities = Migration{
	Version: 9,
	Name:    "activities",
	SQL: `
CREATE TABLE contacts (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	customer_id UUID NOT NULL,
	owner_id UUID NOT NULL,
	region_id UUID NOT NULL,
	name TEXT NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL,
	phone TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	UNIQUE (tenant_id, customer_id, id),
	FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
	FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id),
	FOREIGN KEY (tenant_id, region_id) REFERENCES regions (tenant_id, id)
);
CREATE INDEX contacts_owner ON contacts (tenant_id, owner_id, id);
CREATE TABLE contact_relationships (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	customer_id UUID NOT NULL,
	from_contact_id UUID NOT NULL,
	to_contact_id UUID NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('reports_to', 'influences')),
	strength INTEGER CHECK (strength >= 1 AND strength <= 5),
	created_by UUID NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	UNIQUE (tenant_id, from_contact_id, to_contact_id, kind),
	FOREIGN KEY (tenant_id, customer_id, from_contact_id) REFERENCES contacts (tenant_id, customer_id, id),
	FOREIGN KEY (tenant_id, customer_id, to_contact_id) REFERENCES contacts (tenant_id, customer_id, id),
	CHECK (from_contact_id <> to_contact_id)
);
CREATE UNIQUE INDEX contact_relationships_one_manager ON contact_relationships (tenant_id, from_contact_id) WHERE kind = 'reports_to';
CREATE INDEX contact_relationships_customer ON contact_relationships (tenant_id, customer_id);
CREATE INDEX contact_relationships_to ON contact_relationships (tenant_id, to_contact_id);
CREATE TABLE activities (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('call', 'meeting', 'message')),
	owner_id UUID NOT NULL,
	customer_id UUID NOT NULL,
	region_id UUID NOT NULL,
	contact_id UUID,
	opportunity_id UUID,
	occurred_at TIMESTAMPTZ NOT NULL,
	ended_at TIMESTAMPTZ,
	direction TEXT CHECK (direction IN ('in', 'out')),
	duration_s INTEGER CHECK (duration_s >= 0),
	outcome TEXT,
	channel TEXT,
	replied_at TIMESTAMPTZ,
	reply_to_id UUID,
	notes TEXT NOT NULL DEFAULT '',
	fingerprint TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id),
	FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
	FOREIGN KEY (tenant_id, region_id) REFERENCES regions (tenant_id, id),
	FOREIGN KEY (tenant_id, customer_id, contact_id) REFERENCES contacts (tenant_id, customer_id, id),
	FOREIGN KEY (tenant_id, reply_to_id) REFERENCES activities (tenant_id, id),
	CHECK ((kind = 'call' AND direction IS NOT NULL AND duration_s IS NOT NULL AND outcome IS NOT NULL
			AND ended_at IS NULL AND channel IS NULL AND replied_at IS NULL AND reply_to_id IS NULL)
		OR (kind = 'meeting' AND ended_at IS NOT NULL AND ended_at > occurred_at AND direction IS NULL
			AND duration_s IS NULL AND outcome IS NULL AND channel IS NULL AND replied_at IS NULL AND reply_to_id IS NULL)
		OR (kind = 'message' AND direction IS NOT NULL AND channel IS NOT NULL
			AND ended_at IS NULL AND duration_s IS NULL AND outcome IS NULL))
);
CREATE INDEX activities_owner_time ON activities (tenant_id, owner_id, occurred_at);
CREATE INDEX activities_customer_time ON activities (tenant_id, customer_id, occurred_at, id);
CREATE INDEX activities_time ON activities (tenant_id, occurred_at, id);
CREATE INDEX activities_opportunity_time ON activities (tenant_id, opportunity_id, occurred_at) WHERE opportunity_id IS NOT NULL;
CREATE INDEX activities_reply_to ON activities (tenant_id, reply_to_id) WHERE reply_to_id IS NOT NULL;
CREATE TABLE activity_contacts (
	tenant_id UUID NOT NULL,
	activity_id UUID NOT NULL,
	customer_id UUID NOT NULL,
	contact_id UUID NOT NULL,
	PRIMARY KEY (tenant_id, activity_id, contact_id),
	FOREIGN KEY (tenant_id, activity_id) REFERENCES activities (tenant_id, id),
	FOREIGN KEY (tenant_id, customer_id, contact_id) REFERENCES contacts (tenant_id, customer_id, id)
);
CREATE INDEX activity_contacts_contact ON activity_contacts (tenant_id, contact_id);
CREATE TABLE account_links (
	tenant_id UUID NOT NULL,
	child_id UUID NOT NULL,
	parent_id UUID NOT NULL,
	linked_by UUID NOT NULL,
	linked_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, child_id),
	FOREIGN KEY (tenant_id, child_id) REFERENCES customers (tenant_id, id),
	FOREIGN KEY (tenant_id, parent_id) REFERENCES customers (tenant_id, id),
	CHECK (child_id <> parent_id)
);
CREATE INDEX account_links_parent ON account_links (tenant_id, parent_id);
CREATE TABLE key_accounts (
	tenant_id UUID NOT NULL,
	customer_id UUID NOT NULL,
	marked_by UUID NOT NULL,
	marked_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, customer_id),
	FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE TABLE projects (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	customer_id UUID NOT NULL,
	owner_id UUID NOT NULL,
	region_id UUID NOT NULL,
	name TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('active', 'completed', 'cancelled')),
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
	FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id),
	FOREIGN KEY (tenant_id, region_id) REFERENCES regions (tenant_id, id)
);
CREATE INDEX projects_customer ON projects (tenant_id, customer_id, id);
CREATE INDEX projects_owner ON projects (tenant_id, owner_id, id);
CREATE TABLE project_milestones (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	project_id UUID NOT NULL,
	name TEXT NOT NULL,
	planned_on TEXT NOT NULL CHECK (planned_on LIKE '____-__-__'),
	done_on TEXT CHECK (done_on LIKE '____-__-__'),
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id)
);
CREATE INDEX project_milestones_project ON project_milestones (tenant_id, project_id, planned_on);
CREATE INDEX project_milestones_planned ON project_milestones (tenant_id, planned_on);
CREATE TABLE service_records (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	customer_id UUID NOT NULL,
	owner_id UUID NOT NULL,
	region_id UUID NOT NULL,
	author_id UUID NOT NULL,
	kind TEXT NOT NULL,
	summary TEXT NOT NULL,
	occurred_at TIMESTAMPTZ NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	UNIQUE (tenant_id, customer_id, id),
	FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
	FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id),
	FOREIGN KEY (tenant_id, author_id) REFERENCES users (tenant_id, id),
	FOREIGN KEY (tenant_id, region_id) REFERENCES regions (tenant_id, id)
);
CREATE INDEX service_records_customer_time ON service_records (tenant_id, customer_id, occurred_at, id);
CREATE INDEX service_records_owner_time ON service_records (tenant_id, owner_id, occurred_at);
CREATE TABLE service_record_contacts (
	tenant_id UUID NOT NULL,
	service_record_id UUID NOT NULL,
	customer_id UUID NOT NULL,
	contact_id UUID NOT NULL,
	PRIMARY KEY (tenant_id, service_record_id, contact_id),
	FOREIGN KEY (tenant_id, customer_id, service_record_id) REFERENCES service_records (tenant_id, customer_id, id),
	FOREIGN KEY (tenant_id, customer_id, contact_id) REFERENCES contacts (tenant_id, customer_id, id)
);
CREATE INDEX service_record_contacts_contact ON service_record_contacts (tenant_id, contact_id);
`,
	TenantTables: []string{"contacts", "contact_relationships", "activities", "activity_contacts", "account_links",
		"key_accounts", "projects", "project_milestones"},
	AppendOnly: []string{"service_records", "service_record_contacts"},
}
