package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web"
)

// Audited actions.
const (
	actionCreateOperator  = "operator.create"
	actionDisableOperator = "operator.disable"
	actionLogin           = "login"
	actionLogout          = "logout"
	actionSearchTenants   = "tenants.search"
	actionViewTenant      = "tenant.view"
	actionSuspend         = "tenant.suspend"
	actionResume          = "tenant.resume"
	actionGrantSupport    = "support.grant"
	actionListGrants      = "support.list"
	actionRevokeGrant     = "support.revoke"
	actionSupportSession  = "support.session"
	actionCancelDeletion  = "tenant.deletion.cancel"
	actionConnectorHealth = "connectors.health"
)

// entry is one line of operator_audit before it is written.
type entry struct {
	operator *Operator // nil: no known operator (a sign-in with an unknown address)
	email    string    // who, when operator is nil
	action   string
	outcome  string
	tenant   *uuid.UUID
	reason   string
	detail   string
}

// maxAuditText keeps a hostile input (an address typed at the login form) from bloating the table.
const maxAuditText = 1000

func clip(s string) string {
	if len(s) <= maxAuditText {
		return s
	}
	s = s[:maxAuditText]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// record writes e with db: the caller's transaction when the action writes too, so the change
// and its audit line commit together.
func (s *Service) record(ctx context.Context, db *gorm.DB, e entry) error {
	req := web.RequestOf(ctx)
	row := auditRow{ID: identity.NewID(), At: s.now(), OperatorEmail: clip(e.email), Action: e.action,
		Outcome: e.outcome, Tenant: e.tenant, Reason: clip(e.reason), Detail: clip(e.detail),
		IP: req.IP, RequestID: req.ID}
	if row.Outcome == "" {
		row.Outcome = outcomeOK
	}
	if e.operator != nil {
		id := e.operator.ID
		row.OperatorID, row.OperatorEmail = &id, e.operator.Email
	}
	if err := db.Create(&row).Error; err != nil {
		return fmt.Errorf("audit %s: %w", e.action, err)
	}
	return nil
}

// PlatformActor names, in operator_audit, what the platform did to a tenant on its own (a
// sweep), where an operator's address stands otherwise.
const PlatformActor = "platform"

// RecordPlatform writes the line of an action the platform took on a tenant by itself, with db:
// the transaction of that action, so that both commit together (tenants/datarights purges
// abandoned sign-ups this way).
func (s *Service) RecordPlatform(ctx context.Context, db *gorm.DB, tenant uuid.UUID, action, detail string) error {
	return s.record(ctx, db, entry{email: PlatformActor, action: action, tenant: &tenant, detail: detail})
}

// audit records an action of ctx's operator on its own, before what it reveals is returned.
func (s *Service) audit(ctx context.Context, e entry) error {
	op, err := operator(ctx)
	if err != nil {
		return err
	}
	e.operator = &op
	return s.record(ctx, s.st.Owner(ctx), e)
}

// refused audits an action turned away by a rule (a short reason, a wrong status) and returns
// the rule's fault: attempts matter to the audit as much as changes.
func (s *Service) refused(ctx context.Context, e entry, why error) error {
	e.outcome = outcomeRefused
	if f, ok := fault.As(why); ok {
		e.detail = strings.TrimSpace(e.detail + "; " + f.Message)
	}
	return errors.Join(why, s.record(ctx, s.st.Owner(ctx), e))
}
