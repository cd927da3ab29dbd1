package tenants

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// Admission decides, at every signed-in request and at login, whether a tenant's people may use
// the service now: not before its admin has confirmed their address, not while the operator has
// suspended it, and only to read (and to pay) once its trial has ended unpaid or while its
// subscription is unpaid past its grace.
// It reads the tenant's row on each request, so a suspension made on one replica holds on all
// at once.
type Admission struct {
	store *store.Store
	// writable refuses the tenant's writes, with the reason (Plans.Writable).
	writable func(ctx context.Context, tenant uuid.UUID) error
}

// NewAdmission returns the gate; writable is the plan's verdict on writes.
func NewAdmission(s *store.Store, writable func(ctx context.Context, tenant uuid.UUID) error) *Admission {
	return &Admission{store: s, writable: writable}
}

var (
	errUnverified = fault.New(fault.Forbidden, "tenant_unverified",
		"the company's account is not open yet: its admin must first confirm their e-mail address with the link we sent")
	errSuspended = fault.New(fault.Forbidden, "tenant_suspended",
		"the company's account is suspended by the service operator; nothing is lost: contact support to resume it")
	errDeleting = fault.New(fault.Forbidden, "tenant_deleting",
		"the company's account is being deleted at its admin's request; contact support before the deletion date to keep it")
)

// StatusDeleting is a tenant whose admin asked for its deletion: closed, and purged with all its
// data after the grace period (tenants/datarights) unless the operator cancels it.
const StatusDeleting = "deleting"

// paths still open to a read-only tenant's writes: paying brings it back, and leaving (signing
// out, taking the data away, deleting the account) is always allowed.
var stillWritable = []string{"/api/v1/billing/", "/api/v1/auth/logout", "/api/v1/tenant/export", "/api/v1/tenant/deletion"}

// errSupportReadOnly answers a support session's attempt to change anything.
var errSupportReadOnly = fault.New(fault.Forbidden, "support_read_only",
	"a support session reads the company's data and changes nothing")

// Admit answers nil when p may make the request (method, path) in their tenant, else the fault
// that says why not. An operator's support session reads whatever the tenant's state (a
// suspended tenant is often why support looks) and never writes.
func (a *Admission) Admit(ctx context.Context, p identity.Principal, method, path string) error {
	read := method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
	if p.Support {
		if !read {
			return errSupportReadOnly
		}
		return nil
	}
	if err := a.Open(ctx, p.TenantID); err != nil {
		return err
	}
	if read {
		return nil
	}
	for _, prefix := range stillWritable {
		if strings.HasPrefix(path, prefix) {
			return nil
		}
	}
	return a.writable(ctx, p.TenantID)
}

// Open answers nil when the tenant is in service (verified, not suspended): what a login asks.
func (a *Admission) Open(ctx context.Context, tenant uuid.UUID) error {
	var status string
	err := a.store.Owner(ctx).Model(&tenantRow{}).Where("id = ?", tenant).Select("status").Scan(&status).Error
	if err != nil {
		return fmt.Errorf("tenant status: %w", err)
	}
	switch status {
	case StatusActive:
		return nil
	case StatusUnverified:
		return errUnverified
	case StatusSuspended:
		return errSuspended
	case StatusDeleting:
		return errDeleting
	}
	return fault.New(fault.Forbidden, "tenant_closed", "the company's account is not in service")
}
