package migrations

// visits: GPS tracks, fence events, visits with their trust verdicts, reviews, revisions and
// photos, the visit cadence per customer grade, and the generation counter that keeps every
// replica's geofence index in step with the customers table.
//
// track_fixes is keyed by the client's own id for each fix, so a retried batch inserts nothing
// twice. rep_fence_states holds each rep's last fence state (geo.State as JSON) and last position:
// the next batch continues from it, on whichever replica it lands, with the row locked meanwhile.
//
// A visit's facts (where and when it started and ended, and the verdict) never change once it is
// closed; what was discussed lives in visit_revisions, append-only, one row per correction.
// Reviews are append-only too; visits.review_status mirrors the latest one for the queue.
var visits = Migration{
	Version: 7,
	Name:    "visits",
	SQL: `
CREATE TABLE fence_generations (
	tenant_id UUID NOT NULL,
	generation BIGINT NOT NULL,
	PRIMARY KEY (tenant_id)
);
CREATE TABLE fence_changes (
	tenant_id UUID NOT NULL,
	generation BIGINT NOT NULL,
	customer_id UUID NOT NULL,
	PRIMARY KEY (tenant_id, generation, customer_id)
);
CREATE TABLE track_fixes (
	tenant_id UUID NOT NULL,
	rep_id UUID NOT NULL,
	client_id UUID NOT NULL,
	fixed_at TIMESTAMPTZ NOT NULL,
	lat DOUBLE PRECISION NOT NULL,
	lon DOUBLE PRECISION NOT NULL,
	accuracy DOUBLE PRECISION NOT NULL,
	speed DOUBLE PRECISION,
	heading DOUBLE PRECISION,
	provider TEXT NOT NULL,
	mock BOOLEAN NOT NULL,
	received_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, rep_id, client_id),
	FOREIGN KEY (tenant_id, rep_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX track_fixes_rep_time ON track_fixes (tenant_id, rep_id, fixed_at);
CREATE TABLE rep_fence_states (
	tenant_id UUID NOT NULL,
	rep_id UUID NOT NULL,
	state TEXT NOT NULL,
	fixed_at TIMESTAMPTZ,
	lat DOUBLE PRECISION,
	lon DOUBLE PRECISION,
	accuracy DOUBLE PRECISION,
	PRIMARY KEY (tenant_id, rep_id),
	FOREIGN KEY (tenant_id, rep_id) REFERENCES users (tenant_id, id)
);
CREATE TABLE fence_events (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	rep_id UUID NOT NULL,
	customer_id UUID NOT NULL,
	region_id UUID NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('enter', 'exit', 'dwell')),
	at TIMESTAMPTZ NOT NULL,
	since TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE INDEX fence_events_rep_time ON fence_events (tenant_id, rep_id, at);
CREATE TABLE visits (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	rep_id UUID NOT NULL,
	customer_id UUID NOT NULL,
	region_id UUID NOT NULL,
	source TEXT NOT NULL CHECK (source IN ('checkin', 'auto')),
	client_id UUID,
	status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
	started_at TIMESTAMPTZ NOT NULL,
	ended_at TIMESTAMPTZ,
	checkin_lat DOUBLE PRECISION,
	checkin_lon DOUBLE PRECISION,
	checkin_accuracy DOUBLE PRECISION,
	checkin_device_time TIMESTAMPTZ,
	checkin_mock BOOLEAN,
	checkin_provider TEXT,
	checkout_lat DOUBLE PRECISION,
	checkout_lon DOUBLE PRECISION,
	checkout_accuracy DOUBLE PRECISION,
	checkout_device_time TIMESTAMPTZ,
	trusted BOOLEAN NOT NULL,
	verdict TEXT NOT NULL,
	distance_m DOUBLE PRECISION,
	review_status TEXT NOT NULL CHECK (review_status IN ('none', 'pending', 'accepted', 'rejected')),
	revision INTEGER NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	UNIQUE (tenant_id, rep_id, client_id),
	FOREIGN KEY (tenant_id, rep_id) REFERENCES users (tenant_id, id),
	FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
	CHECK ((status = 'open') = (ended_at IS NULL))
);
CREATE INDEX visits_rep_time ON visits (tenant_id, rep_id, started_at);
CREATE INDEX visits_customer_time ON visits (tenant_id, customer_id, started_at);
CREATE INDEX visits_review ON visits (tenant_id, review_status, started_at);
CREATE INDEX visits_open ON visits (tenant_id, rep_id, customer_id) WHERE status = 'open';
CREATE TABLE visit_revisions (
	tenant_id UUID NOT NULL,
	visit_id UUID NOT NULL,
	revision INTEGER NOT NULL,
	notes TEXT NOT NULL,
	reason TEXT NOT NULL,
	author_id UUID NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, visit_id, revision),
	FOREIGN KEY (tenant_id, visit_id) REFERENCES visits (tenant_id, id)
);
CREATE TABLE visit_reviews (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	visit_id UUID NOT NULL,
	decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
	comment TEXT NOT NULL,
	reviewer_id UUID NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, visit_id) REFERENCES visits (tenant_id, id)
);
CREATE INDEX visit_reviews_visit ON visit_reviews (tenant_id, visit_id, created_at);
CREATE TABLE visit_photos (
	tenant_id UUID NOT NULL,
	visit_id UUID NOT NULL,
	sha256 TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	uploaded_by UUID NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, visit_id, sha256),
	FOREIGN KEY (tenant_id, visit_id) REFERENCES visits (tenant_id, id)
);
CREATE TABLE visit_cadences (
	tenant_id UUID NOT NULL,
	grade TEXT NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D')),
	every_days INTEGER NOT NULL CHECK (every_days > 0 AND every_days <= 366),
	PRIMARY KEY (tenant_id, grade)
);
`,
	TenantTables: []string{"fence_generations", "fence_changes", "track_fixes", "rep_fence_states", "fence_events",
		"visits", "visit_photos", "visit_cadences"},
	AppendOnly: []string{"visit_revisions", "visit_reviews"},
}
