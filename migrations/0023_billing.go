package migrations

// billing: each tenant's Stripe customer and per-seat subscription, and the Stripe events already
// processed. Both tables are global: Stripe's webhooks arrive with no tenant, so only the owner
// handle reads and writes them, and a tenant's own users can never change their billing state.
//
// tenant_billing extends a tenants row one to one. Its key column is named tenant, not tenant_id,
// which marks the tenant-walled tables: this is the platform's record about a tenant, not the
// tenant's data. The reference has no ON DELETE: a tenant still billed by Stripe must not vanish
// without its subscription ending.
var billing = Migration{
	Version: 23,
	Name:    "billing",
	SQL: `
CREATE TABLE tenant_billing (
	tenant UUID PRIMARY KEY REFERENCES tenants (id),
	stripe_customer_id TEXT NOT NULL UNIQUE,
	subscription_id TEXT UNIQUE,
	subscription_item_id TEXT,
	-- Stripe's subscription status (active, past_due, canceled, ...), or 'none' before the first.
	status TEXT NOT NULL,
	seats INTEGER NOT NULL DEFAULT 0 CHECK (seats >= 0),
	current_period_end TIMESTAMPTZ,
	-- Set when a payment first fails: the tenant turns read-only once it has passed.
	grace_until TIMESTAMPTZ,
	-- The creation time of the newest Stripe event applied: an older one never overwrites it.
	last_event_created TIMESTAMPTZ,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);

-- Stripe delivers an event at least once: its id is recorded in the transaction that applies it.
CREATE TABLE billing_events (
	id TEXT PRIMARY KEY,
	type TEXT NOT NULL,
	received_at TIMESTAMPTZ NOT NULL
);
`,
	GlobalTables: []string{"tenant_billing", "billing_events"},
}
