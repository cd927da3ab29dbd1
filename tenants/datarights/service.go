// Package datarights is a tenant's rights over its data: to take all of it out (an export of
// every tenant table and every attachment, as one zip), and to have all of it deleted (a
// deletion with a grace period, then a purge that leaves no row, job or file of the tenant).
//
// Both work from the database's own catalog, not from a list kept here: a table added later
// with a tenant_id column is exported and purged the day it exists.
package datarights

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/audit"
	"github.com/repflow/repflow/platform/blob"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/platform/store"
)

// Defaults of Options.
const (
	DefaultGrace     = 30 * 24 * time.Hour
	DefaultExportTTL = 7 * 24 * time.Hour
	// DefaultAbandonAfter is how long a sign-up may stay unverified before it is purged.
	DefaultAbandonAfter = 7 * 24 * time.Hour
)

// Auditor appends to the tenant's audit trail (audit.Log).
type Auditor interface {
	Record(ctx context.Context, e audit.Entry) error
}

// Options tune the service.
type Options struct {
	// ExportDir holds the export files, one directory per tenant (required).
	ExportDir string
	// Grace is how long a deletion waits before the purge (default 30 days).
	Grace time.Duration
	// ExportTTL is how long a finished export may be downloaded (default 7 days).
	ExportTTL time.Duration
	// AbandonAfter is how long a sign-up may stay unverified, counted from its last
	// verification mail, before the sweep purges it (default 7 days).
	AbandonAfter time.Duration
	// RecordPurge writes the operator's audit line of a purge the platform made on its own (an
	// abandoned sign-up), with tx, the purge's transaction, so that both commit together; nil:
	// the purge is only logged.
	RecordPurge func(ctx context.Context, tx *gorm.DB, tenant uuid.UUID, action, detail string) error
	// Now is the clock (tests move it).
	Now func() time.Time
	Log *slog.Logger
}

// Service runs exports, deletions and purges.
type Service struct {
	store  *store.Store
	queue  *jobs.Queue
	photos blob.Store
	audit  Auditor
	opts   Options
}

// New returns the service and makes q the worker of its export jobs; photos may be nil when the
// server stores none. Call Schedule to have q run its sweeps.
func New(s *store.Store, q *jobs.Queue, photos blob.Store, a Auditor, o Options) (*Service, error) {
	if o.ExportDir == "" {
		return nil, errors.New("data rights: no export directory")
	}
	o.Grace = cmp.Or(o.Grace, DefaultGrace)
	o.ExportTTL = cmp.Or(o.ExportTTL, DefaultExportTTL)
	o.AbandonAfter = cmp.Or(o.AbandonAfter, DefaultAbandonAfter)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	svc := &Service{store: s, queue: q, photos: photos, audit: a, opts: o}
	jobs.Handle(q, svc.runExport)
	return svc, nil
}

func (s *Service) now() time.Time { return s.opts.Now().UTC().Truncate(time.Microsecond) }

// adminOf returns the signed-in tenant admin of ctx, or the fault that says who may do what.
func adminOf(ctx context.Context, what string) (identity.Principal, error) {
	p, err := identity.SignedIn(ctx, what)
	if err != nil {
		return p, err
	}
	if !p.HasRole(identity.RoleTenantAdmin) {
		return p, fault.New(fault.Forbidden, "forbidden", "only a tenant admin can "+what)
	}
	return p, nil
}

// tenantRow is the part of the global tenants row this package reads and writes.
type tenantRow struct {
	ID                  uuid.UUID
	Slug                string
	Name                string
	Status              string
	CreatedAt           time.Time
	UpdatedAt           time.Time
	DeletionRequestedAt *time.Time
	PurgeAfter          *time.Time
}

func (tenantRow) TableName() string { return "tenants" }
