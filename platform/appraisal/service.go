// Package appraisal is the tenant's appraisal configuration and, built on it, the scoring of
// reps: KPI templates (cloned from the shipped ones and edited, every version kept) and the
// targets each rep is appraised against. The scoring rules themselves are in appraisal/kpi, the
// commission rules in appraisal/commission; this package stores and serves them per tenant.
package appraisal

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// Service is the appraisal domain of the caller's tenant, deciding every access with the warden.
type Service struct {
	store  *store.Store
	warden *access.Warden
	deps   Deps
}

// Rep is what a target needs of the rep it is for.
type Rep struct {
	ID         uuid.UUID
	RegionPath string
	IsRep      bool
}

// Deps are what the appraisal asks of other domains; cmd wires them.
type Deps struct {
	// Rep finds a user by id inside the caller's tenant (not found: a fault of kind NotFound).
	Rep func(ctx context.Context, id uuid.UUID) (Rep, error)
	// Reps lists the active reps the caller may see, with their team and region names, for the
	// reports.
	Reps func(ctx context.Context) ([]RepInfo, error)
	// RegionPath finds a region the caller may see by id, and gives its path (not found: a fault
	// of kind NotFound).
	RegionPath func(ctx context.Context, region uuid.UUID) (string, error)
	// TeamMembers lists the members of a team the caller may see (not found: a fault of kind
	// NotFound).
	TeamMembers func(ctx context.Context, team uuid.UUID) ([]uuid.UUID, error)
	// Sources give the figures the scorecards are made of, one per domain.
	Sources []Source
	// Actions suggests the rep's next steps on day today (local midnight), at most
	// MaxActionsPerKind of each kind, as far as the caller may see (nil: none suggested).
	Actions func(ctx context.Context, rep uuid.UUID, today time.Time) ([]SuggestedAction, error)
	// Currencies lists the tenant's currencies, which a commission plan must pay in.
	Currencies func(ctx context.Context) ([]string, error)
	// TimeZone is the tenant's, in which months begin (nil: UTC).
	TimeZone func(ctx context.Context) (*time.Location, error)
	// Administrator is whom the scheduled monthly report is made as: the tenant's longest-serving
	// active admin (not found: a fault of kind NotFound, and no report).
	Administrator func(ctx context.Context) (identity.Principal, error)
	// Record writes an entry of the audit trail in the transaction of ctx, for what the platform
	// does without a request: the scheduled report (nil: not recorded).
	Record func(ctx context.Context, action, resource string) error
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// NewService returns the appraisal service over s.
func NewService(s *store.Store, w *access.Warden, d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Service{store: s, warden: w, deps: d}
}

func (s *Service) now() time.Time { return s.deps.Now().UTC().Truncate(time.Microsecond) }
