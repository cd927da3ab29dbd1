package datarights_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/audit"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
)

// reminderJob is a job a company has queued for later: the purge must take its row too.
type reminderJob struct {
	jobs.Tenant
	Note string `json:"note"`
}

func (reminderJob) Kind() string { return "datarights_test_reminder" }

// fill gives c a row in every tenant table that provisioning left empty, and rows naming it
// in the global tables (billing, mail, sign-up, login throttle, operator audit) and the queue.
// Rows are inserted through the owner handle: they stand for what the domain services write,
// and TestFixtureFillsEveryTenantTable keeps this list whole as the schema grows.
func (w *world) fill(t *testing.T, c *company) {
	t.Helper()
	ctx := context.Background()
	db := w.s.Owner(ctx)
	now := time.Now().UTC().Truncate(time.Second)
	id := func(name string) uuid.UUID {
		if v, ok := c.related[name]; ok {
			return v
		}
		c.related[name] = identity.NewID()
		return c.related[name]
	}
	// The audit trail through its own log: its records are hash-chained.
	if err := w.audit.Record(identity.System(ctx, c.tenant), audit.Entry{Action: "tenant.signup", Resource: "tenant:" + c.tenant.String()}); err != nil {
		t.Fatalf("fill the audit trail: %v", err)
	}
	ins := func(table string, row map[string]any) {
		t.Helper()
		if _, ok := row["tenant"]; !ok && table != "login_throttle" {
			row["tenant_id"] = c.tenant
		}
		if err := db.Table(table).Create(row).Error; err != nil {
			t.Fatalf("fill %s: %v", table, err)
		}
	}
	// insOnce is for tables holding one row per tenant (or per key) that services may have made.
	insOnce := func(table string, row map[string]any) {
		t.Helper()
		var n int64
		if err := db.Table(table).Where("tenant_id = ?", c.tenant).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			ins(table, row)
		}
	}
	admin, region, cust, cust2 := c.admin, c.region, id("customer"), id("customer2")
	c.rep = id("rep")
	// A child region and a rep with a manager: rows referencing rows of their own table.
	ins("regions", map[string]any{"id": id("east"), "parent_id": region, "name": "East", "path": "/" + region.String() + "/" + id("east").String() + "/",
		"created_at": now, "updated_at": now})
	ins("users", map[string]any{"id": c.rep, "email": "rep@" + c.slug + ".test", "name": "Rep", "phone": "", "region_id": id("east"),
		"manager_id": admin, "status": "active", "created_at": now, "updated_at": now})
	ins("user_roles", map[string]any{"user_id": c.rep, "role": identity.RoleRep})
	ins("credentials", map[string]any{"user_id": admin, "password_hash": "$argon2id$secret-" + c.slug, "updated_at": now})
	ins("sessions", map[string]any{"id": id("session"), "user_id": admin, "kind": "web", "name": "browser", "secret_hash": []byte("s3cr3t"),
		"csrf_hash": []byte("csrf"), "created_at": now, "last_used_at": now, "ip": "10.0.0.1", "user_agent": "test"})
	ins("password_resets", map[string]any{"id": id("reset"), "user_id": admin, "secret_hash": []byte("reset"), "expires_at": now, "created_at": now})
	ins("teams", map[string]any{"id": id("team"), "name": "Fixture team", "region_id": region, "lead_id": admin, "created_at": now, "updated_at": now})
	ins("team_members", map[string]any{"team_id": id("team"), "user_id": c.rep})
	for _, cu := range []uuid.UUID{cust, cust2} {
		ins("customers", map[string]any{"id": cu, "name": "Shop " + cu.String()[:8], "contact_name": "", "phone": "", "address": "",
			"grade": "A", "owner_id": c.rep, "region_id": region, "lat": 31.2, "lon": 121.4, "fence_kind": "circle", "fence_radius": 100.0,
			"created_at": now, "updated_at": now})
	}
	ins("sample_records", map[string]any{"kind": "customers", "id": cust2})
	insOnce("fence_generations", map[string]any{"generation": 1})
	ins("fence_changes", map[string]any{"generation": 1, "customer_id": cust})
	ins("track_fixes", map[string]any{"rep_id": c.rep, "client_id": id("fix"), "fixed_at": now, "lat": 31.2, "lon": 121.4, "accuracy": 5.0,
		"provider": "gps", "mock": false, "received_at": now})
	insOnce("rep_fence_states", map[string]any{"rep_id": c.rep, "state": "outside", "fixed_at": now, "lat": 31.2, "lon": 121.4, "accuracy": 5.0})
	ins("fence_events", map[string]any{"id": id("fence_event"), "rep_id": c.rep, "customer_id": cust, "region_id": region, "kind": "enter", "at": now, "since": now})
	ins("visits", map[string]any{"id": id("visit"), "rep_id": c.rep, "customer_id": cust, "region_id": region, "source": "checkin", "status": "closed",
		"started_at": now.Add(-time.Hour), "ended_at": now, "trusted": true, "verdict": "ok", "review_status": "accepted", "revision": 1,
		"created_at": now, "updated_at": now})
	ins("visit_revisions", map[string]any{"visit_id": id("visit"), "revision": 1, "notes": "talked shelves", "reason": "", "author_id": c.rep, "created_at": now})
	ins("visit_reviews", map[string]any{"id": id("review"), "visit_id": id("visit"), "decision": "accepted", "comment": "", "reviewer_id": admin, "created_at": now})
	ins("visit_photos", map[string]any{"visit_id": id("visit"), "sha256": c.photo, "content_type": "image/jpeg", "size": len(samePhoto),
		"uploaded_by": c.rep, "created_at": now})
	insOnce("visit_cadences", map[string]any{"grade": "A", "every_days": 7})
	ins("products", map[string]any{"id": id("product"), "sku": "SKU-1", "name": "Noodles", "unit": "box", "list_price": "10", "currency": "CNY",
		"active": true, "created_at": now, "updated_at": now})
	ins("orders", map[string]any{"id": id("order"), "customer_id": cust, "owner_id": c.rep, "region_id": region, "currency": "CNY", "status": "approved",
		"visit_id": id("visit"), "payment_terms_days": 30, "notes": "", "gross": "10", "discount": "0", "total": "10", "amount_paid": "5",
		"approved_at": now, "due_on": "2026-12-31", "created_by": c.rep, "created_at": now, "updated_at": now})
	ins("order_lines", map[string]any{"order_id": id("order"), "line_no": 1, "product_id": id("product"), "quantity": "1", "unit_price": "10",
		"discount_pct": "0", "gross": "10", "discount": "0", "net": "10"})
	ins("order_transitions", map[string]any{"id": id("transition"), "order_id": id("order"), "to_status": "approved", "actor_id": admin, "comment": "", "at": now})
	ins("deliveries", map[string]any{"id": id("delivery"), "order_id": id("order"), "delivered_at": now, "note": "", "recorded_by": c.rep, "created_at": now})
	ins("delivery_lines", map[string]any{"delivery_id": id("delivery"), "order_id": id("order"), "line_no": 1, "quantity": "1"})
	ins("payments", map[string]any{"id": id("payment"), "order_id": id("order"), "amount": "5", "received_at": now, "method": "cash",
		"reference": "", "recorded_by": c.rep, "created_at": now})
	ins("shelf_checks", map[string]any{"id": id("shelf_check"), "customer_id": cust, "owner_id": c.rep, "region_id": region, "visit_id": id("visit"),
		"checked_at": now, "checked_by": c.rep, "note": "", "created_at": now})
	ins("shelf_check_items", map[string]any{"check_id": id("shelf_check"), "product_id": id("product"), "present": true, "stock_count": 3})
	for _, k := range []string{"contact", "contact2"} {
		ins("contacts", map[string]any{"id": id(k), "customer_id": cust, "owner_id": c.rep, "region_id": region, "name": "Ms " + k,
			"title": "", "role": "buyer", "phone": "", "email": k + "@shop.test", "created_at": now, "updated_at": now})
	}
	ins("contact_relationships", map[string]any{"id": id("relationship"), "customer_id": cust, "from_contact_id": id("contact"),
		"to_contact_id": id("contact2"), "kind": "reports_to", "strength": 3, "created_by": c.rep, "created_at": now})
	ins("activities", map[string]any{"id": id("activity"), "kind": "call", "owner_id": c.rep, "customer_id": cust, "region_id": region,
		"contact_id": id("contact"), "occurred_at": now, "direction": "out", "duration_s": 60, "outcome": "answered", "notes": "",
		"fingerprint": "f-" + c.slug, "created_at": now, "updated_at": now, "has_reply": false})
	ins("activity_contacts", map[string]any{"activity_id": id("activity"), "customer_id": cust, "contact_id": id("contact2")})
	ins("account_links", map[string]any{"child_id": cust2, "parent_id": cust, "linked_by": admin, "linked_at": now})
	ins("key_accounts", map[string]any{"customer_id": cust, "marked_by": admin, "marked_at": now})
	ins("projects", map[string]any{"id": id("project"), "customer_id": cust, "owner_id": c.rep, "region_id": region, "name": "Listing",
		"status": "active", "created_at": now, "updated_at": now})
	ins("project_milestones", map[string]any{"id": id("milestone"), "project_id": id("project"), "name": "Pilot", "planned_on": "2026-12-01",
		"created_at": now, "updated_at": now})
	ins("service_records", map[string]any{"id": id("service_record"), "customer_id": cust, "owner_id": c.rep, "region_id": region,
		"author_id": c.rep, "kind": "complaint", "summary": "late truck", "occurred_at": now, "created_at": now})
	ins("service_record_contacts", map[string]any{"service_record_id": id("service_record"), "customer_id": cust, "contact_id": id("contact")})
	ins("pipelines", map[string]any{"id": id("pipeline"), "name": "Fixture pipeline", "rules": "{}", "revision": 1, "created_at": now, "updated_at": now})
	ins("pipeline_stages", map[string]any{"id": id("stage"), "pipeline_id": id("pipeline"), "key": "fixture", "name": "Fixture", "position": 1,
		"probability": 10, "sla_days": 7, "outcome": "open", "checklist": "[]", "retired": false})
	ins("opportunities", map[string]any{"id": id("opportunity"), "pipeline_id": id("pipeline"), "stage_id": id("stage"), "customer_id": cust,
		"owner_id": c.rep, "region_path": "/" + region.String() + "/", "name": "Big deal", "amount": "100", "currency": "CNY",
		"expected_close": "2026-12-31", "next_step": "", "contact_ids": "[]", "status": "open", "outcome_reason": "",
		"stage_entered_at": now, "last_touched_at": now, "created_by": c.rep, "created_at": now, "updated_at": now})
	ins("opportunity_stage_moves", map[string]any{"id": id("move"), "opportunity_id": id("opportunity"), "to_stage_id": id("stage"),
		"moved_at": now, "moved_by": c.rep, "reason": ""})
	ins("tasks", map[string]any{"id": id("task"), "opportunity_id": id("opportunity"), "stage_id": id("stage"), "title": "Call back",
		"owner_id": c.rep, "region_path": "/" + region.String() + "/", "required": true, "status": "open", "due_at": now,
		"created_at": now, "updated_at": now})
	ins("reminders", map[string]any{"id": id("reminder"), "user_id": c.rep, "kind": "task_due", "opportunity_id": id("opportunity"),
		"task_id": id("task"), "message": "call back", "dedupe_key": "task:" + id("task").String(), "created_at": now})
	ins("appraisal_templates", map[string]any{"id": id("template"), "name": "Fixture KPIs", "version": 1, "created_at": now, "updated_at": now})
	ins("appraisal_template_versions", map[string]any{"template_id": id("template"), "version": 1, "body": "{}", "created_by": admin, "created_at": now})
	ins("appraisal_targets", map[string]any{"id": id("target"), "rep_id": c.rep, "region_path": "/" + region.String() + "/", "period": "2026-01",
		"metric": "visits", "value": 10.0, "set_by": admin, "set_at": now})
	ins("appraisal_reports", map[string]any{"id": id("report"), "period": "2026-01", "scope": "tenant", "version": 1, "body": "{}",
		"created_by": admin, "created_at": now})
	ins("appraisal_team_targets", map[string]any{"team_id": id("team"), "period": "2026-01", "metric": "visits", "value": 10.0, "set_by": admin, "set_at": now})
	ins("appraisal_region_targets", map[string]any{"region_id": region, "period": "2026-01", "metric": "visits", "value": 10.0, "set_by": admin, "set_at": now})
	ins("commission_plan_versions", map[string]any{"version": 1, "body": "{}", "created_by": admin, "created_at": now})
	ins("visit_rollups", map[string]any{"month": "2026-01", "rep_id": c.rep, "customer_id": cust, "check_ins": 1, "verified_check_ins": 1,
		"visits": 1, "seconds": 3600.0})
	ins("activity_rollups", map[string]any{"month": "2026-01", "owner_id": c.rep, "region_id": region, "calls": 1, "outbound_calls": 1,
		"answered_outbound_calls": 1, "answered_calls": 1, "call_seconds": 60, "messages": 0, "outbound_messages": 0,
		"replied_outbound_messages": 0, "meetings": 0})
	insOnce("rollup_rebuilds", map[string]any{"source": "visits"})
	ins("invitations", map[string]any{"id": id("invitation"), "email": "new@" + c.slug + ".test", "name": "New", "roles": "rep",
		"region_id": region, "token_hash": "invite-" + c.slug, "invited_by": admin, "created_at": now, "expires_at": now.Add(time.Hour)})
	ins("support_grants", map[string]any{"id": id("grant"), "operator_id": identity.NewID(), "operator_email": "ops@repflow.test",
		"reason": "help with an import", "starts_at": now, "expires_at": now.Add(time.Hour)})
	ins("connectors", map[string]any{"id": id("connector"), "kind": "tryton", "name": "ERP", "config": `{"url":"http://erp.test"}`,
		"secrets": `{"password":"s3cret"}`, "enabled": true,
		"state": "healthy", "message": "", "restarts": 0, "last_sync_error": "", "created_at": now, "updated_at": now})
	ins("connector_cursors", map[string]any{"connector_id": id("connector"), "entity": "customers", "cursor": "2026-01-01T00:00:00Z/7", "updated_at": now})
	ins("sync_runs", map[string]any{"id": id("sync_run"), "connector_id": id("connector"), "status": "done", "pending": "[]", "pulled": 1,
		"error": "", "started_at": now, "finished_at": now})
	ins("api_calls", map[string]any{"day": "2026-01-02", "calls": 42})
	ins("connector_records", map[string]any{"connector_id": id("connector"), "entity": "customers", "external_id": "7",
		"data": `{"name":"Shop"}`, "deleted": false, "pulled_at": now})

	// The global tables' rows about the company.
	ins("tenant_billing", map[string]any{"tenant": c.tenant, "stripe_customer_id": "cus_" + c.slug, "subscription_id": "sub_" + c.slug,
		"status": "canceled", "seats": 2, "created_at": now, "updated_at": now})
	ins("mail_outbox", map[string]any{"id": identity.NewID(), "tenant": c.tenant, "kind": "welcome", "recipient": c.email, "subject": "Hi",
		"body": "Welcome", "created_at": now})
	ins("signup_verifications", map[string]any{"token_hash": "verify-" + c.slug, "tenant": c.tenant, "email": c.email, "created_at": now,
		"expires_at": now.Add(time.Hour)})
	ins("login_throttle", map[string]any{"key": "email:" + c.email, "failures": 2, "window_start": now})
	ins("operator_audit", map[string]any{"id": identity.NewID(), "at": now, "operator_email": "ops@repflow.test", "action": "tenant.view",
		"outcome": "ok", "tenant": c.tenant, "reason": "support call", "detail": "", "ip": "10.0.0.9", "request_id": "r1"})
	err := w.s.Tx(identity.System(ctx, c.tenant), func(ctx context.Context, _ *gorm.DB) error {
		return w.queue.Enqueue(ctx, reminderJob{Tenant: jobs.Tenant{TenantID: c.tenant}, Note: "later"}, now.Add(24*time.Hour))
	})
	if err != nil {
		t.Fatal(err)
	}
}
