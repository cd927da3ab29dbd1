package migrations

// sign-up: the mail the platform sends (an outbox, so a message survives a restart and a mail
// server that is down), the e-mail verification of a new tenant, and the invitations a tenant
// admin sends to reps and managers.
//
// mail_outbox and signup_verifications are global: a verification is redeemed before anyone is
// signed in, and the outbox is delivered by the platform for every tenant. Their column naming
// the tenant is "tenant", not tenant_id, which marks the tenant-walled tables. Invitations belong
// to the tenant that sends them; an invitation's link carries its tenant's id beside the secret,
// so that accepting it finds the row inside that tenant.
var signup = Migration{
	Version: 25,
	Name:    "sign-up, mail outbox and invitations",
	SQL: `
CREATE TABLE mail_outbox (
	id UUID PRIMARY KEY,
	tenant UUID REFERENCES tenants (id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	recipient TEXT NOT NULL,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	sent_at TIMESTAMPTZ,
	attempts INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_unsent ON mail_outbox (created_at) WHERE sent_at IS NULL;

ALTER TABLE tenants ADD COLUMN verified_at TIMESTAMPTZ;
UPDATE tenants SET verified_at = created_at;

CREATE TABLE signup_verifications (
	token_hash TEXT PRIMARY KEY,
	tenant UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
	email TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	used_at TIMESTAMPTZ
);
CREATE INDEX signup_verifications_tenant ON signup_verifications (tenant);

CREATE TABLE invitations (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	email TEXT NOT NULL,
	name TEXT NOT NULL,
	roles TEXT NOT NULL,
	region_id UUID NOT NULL,
	manager_id UUID,
	token_hash TEXT NOT NULL,
	invited_by UUID NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	accepted_at TIMESTAMPTZ,
	revoked_at TIMESTAMPTZ,
	user_id UUID,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, region_id) REFERENCES regions (tenant_id, id),
	FOREIGN KEY (tenant_id, manager_id) REFERENCES users (tenant_id, id),
	FOREIGN KEY (tenant_id, invited_by) REFERENCES users (tenant_id, id)
);
CREATE UNIQUE INDEX invitations_token ON invitations (tenant_id, token_hash);
-- One open invitation per address: a second invite of the same person renews the first.
CREATE UNIQUE INDEX invitations_open_email ON invitations (tenant_id, email) WHERE accepted_at IS NULL AND revoked_at IS NULL;
`,
	TenantTables: []string{"invitations"},
	GlobalTables: []string{"mail_outbox", "signup_verifications"},
}
