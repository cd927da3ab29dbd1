// Package admin is the SaaS operator's console API: operator accounts with a mandatory second
// factor, tenant search and detail (billing state, usage), suspension, and read-only,
// time-limited support grants.
//
// It is the only package that reaches across tenants, and it does so only through the store's
// owner handle. Every operator action, reads included, is written to operator_audit before its
// answer leaves.
package admin

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/auth"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/store"
)

// Config wires the service.
type Config struct {
	// Now is the clock; nil means the wall clock.
	Now func() time.Time
	// Issuer names the service in authenticator apps; "" means "repflow".
	Issuer string
	// Billing reads a tenant's billing state for the tenant detail; nil reads the
	// tenant_billing table when the schema has one (see billing.go).
	Billing BillingLookup
	// CancelDeletion keeps a tenant whose admin asked for its deletion, before its purge
	// (tenants/datarights); nil: this server cannot.
	CancelDeletion func(ctx context.Context, tenant uuid.UUID) error
	// RecordInTenant writes an entry of the tenant's own audit trail, for what an operator does
	// to the tenant's data access (support grants and sessions); nil: only operator_audit.
	RecordInTenant func(ctx context.Context, tenant uuid.UUID, action, resource string) error
}

// Service is the operator console.
type Service struct {
	st       *store.Store
	now      func() time.Time
	issuer   string
	billing  BillingLookup
	cancel   func(ctx context.Context, tenant uuid.UUID) error
	inTenant func(ctx context.Context, tenant uuid.UUID, action, resource string) error
	cost     auth.Params
	// dummyHash is verified against when an address is unknown, so that a wrong address costs
	// as long as a wrong password and timing tells no one which addresses exist.
	dummyHash func() string
}

// New returns the console over st.
func New(st *store.Store, cfg Config) *Service {
	s := &Service{st: st, issuer: cfg.Issuer, billing: cfg.Billing, cancel: cfg.CancelDeletion, inTenant: cfg.RecordInTenant, cost: auth.DefaultParams()}
	clock := cfg.Now
	if clock == nil {
		clock = time.Now
	}
	// The database keeps microseconds: a time read back must equal the one written.
	s.now = func() time.Time { return clock().UTC().Truncate(time.Microsecond) }
	if s.issuer == "" {
		s.issuer = "repflow"
	}
	if s.billing == nil {
		s.billing = s.readBillingTable
	}
	if s.inTenant == nil {
		s.inTenant = func(context.Context, uuid.UUID, string, string) error { return nil }
	}
	s.dummyHash = sync.OnceValue(func() string { return auth.HashPassword("not a password anyone has", s.cost) })
	return s
}

type operatorKey struct{}

// signedIn is the operator of a request and the session that authenticated it.
type signedIn struct {
	op        Operator
	tokenHash []byte
}

func withOperator(ctx context.Context, op Operator, tokenHash []byte) context.Context {
	return context.WithValue(ctx, operatorKey{}, signedIn{op: op, tokenHash: tokenHash})
}

// OperatorFrom returns the signed-in operator of ctx, if any.
func OperatorFrom(ctx context.Context) (Operator, bool) {
	si, ok := ctx.Value(operatorKey{}).(signedIn)
	return si.op, ok && si.op.ID != uuid.Nil
}

// errSignIn answers every operation but login without a valid operator session.
var errSignIn = fault.New(fault.Unauthorized, "unauthenticated",
	"sign in as an operator first: send Authorization: Bearer <token> from POST /admin/api/v1/login")

// operator returns ctx's operator, or the fault asking to sign in.
func operator(ctx context.Context) (Operator, error) {
	op, ok := OperatorFrom(ctx)
	if !ok {
		return Operator{}, errSignIn
	}
	return op, nil
}
