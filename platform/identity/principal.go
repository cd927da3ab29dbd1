// Package identity carries who is acting, and for which tenant, through a context.
//
// The tenant of every request comes from here and from nowhere else: handlers never read a
// tenant id from a body, path or query. Only the authentication middleware (and provisioning,
// which creates the tenant) may put a Principal into a context.
package identity

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/fault"
)

// Role names. A user holds one or more; policies are granted to roles and to single users.
const (
	RoleRep            = "rep"
	RoleManager        = "manager"
	RoleHQ             = "hq"
	RoleTenantAdmin    = "tenant_admin"
	RoleDataSpecialist = "data_specialist"
)

// Roles lists every built-in role, in the order the UI shows them.
var Roles = []string{RoleRep, RoleManager, RoleHQ, RoleTenantAdmin, RoleDataSpecialist}

// ValidRole reports whether r is a built-in role.
func ValidRole(r string) bool { return slices.Contains(Roles, r) }

// Principal is the authenticated actor of a request.
type Principal struct {
	TenantID uuid.UUID
	UserID   uuid.UUID
	Roles    []string
	// RegionID and RegionPath locate the user in the tenant's region tree. RegionPath is the
	// materialised path of region ids ("/<root>/<child>/"), so a subtree is a prefix.
	RegionID   uuid.UUID
	RegionPath string
	// SessionID is the session or token that authenticated the request (uuid.Nil for system work).
	SessionID uuid.UUID
	// Support marks an operator's support session: it reads, never writes, and UserID is the
	// support grant's id, not a user's.
	Support bool
}

// HasRole reports whether the principal holds role r.
func (p Principal) HasRole(r string) bool { return slices.Contains(p.Roles, r) }

type principalKey struct{}

// With returns a context that carries p.
func With(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// From returns the principal of ctx, if any.
func From(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok && p.TenantID != uuid.Nil
}

// TenantID returns the tenant of ctx's principal, or uuid.Nil when there is none.
func TenantID(ctx context.Context) uuid.UUID {
	p, _ := From(ctx)
	return p.TenantID
}

// System returns a context acting inside tenant t with no user: for work the platform itself
// does on a tenant's behalf (provisioning, checking a presented token, background jobs).
func System(ctx context.Context, t uuid.UUID) context.Context {
	return With(ctx, Principal{TenantID: t})
}

// NewID returns a new time-ordered UUIDv7: ids leak no counts and clients may mint them offline.
func NewID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// SignedIn returns the principal of a signed-in user in ctx, or the fault that asks to sign in
// to do what: a person's request, never the platform's own work (which has no user).
func SignedIn(ctx context.Context, what string) (Principal, error) {
	p, ok := From(ctx)
	if !ok || p.UserID == uuid.Nil {
		return p, fault.New(fault.Unauthorized, "unauthenticated", "sign in to "+what)
	}
	return p, nil
}
