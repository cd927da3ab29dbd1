package pipeline

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/platform/store"
)

// Service is the pipeline domain of the caller's tenant: pipelines, opportunities, tasks and
// reminders, with the workflow engine that connects them. It decides every access with the
// warden; its timers are jobs on the queue.
type Service struct {
	store  *store.Store
	warden *access.Warden
	queue  *jobs.Queue
	deps   Deps
}

// CustomerPlace is where a customer sits for access: its owner rep and region path. An
// opportunity copies it, so that it is scoped like its customer.
type CustomerPlace struct {
	OwnerID    uuid.UUID
	RegionPath string
}

// Deps are what the pipeline asks of other domains; cmd wires them.
type Deps struct {
	// PlaceCustomer returns a customer the caller may read, or a not-found fault.
	PlaceCustomer func(ctx context.Context, id uuid.UUID) (CustomerPlace, error)
	// ManagerOf returns a user's manager, if any, for the platform's own work (no access check).
	ManagerOf func(ctx context.Context, userID uuid.UUID) (uuid.UUID, bool, error)
	// Currencies lists the currencies of the caller's tenant.
	Currencies func(ctx context.Context) ([]string, error)
	// FollowUp measures the activities logged against an opportunity in [from, to) (nil: the
	// opportunity shows no engagement).
	FollowUp func(ctx context.Context, opportunityID uuid.UUID, from, to time.Time) (Engagement, error)
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// NewService returns the pipeline service and registers its timers' handlers on q.
func NewService(s *store.Store, w *access.Warden, q *jobs.Queue, d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	svc := &Service{store: s, warden: w, queue: q, deps: d}
	jobs.Handle(q, svc.onTaskOverdue)
	jobs.Handle(q, svc.onTaskEscalation)
	jobs.Handle(q, svc.onOpportunityIdle)
	return svc
}

func (s *Service) now() time.Time { return s.deps.Now().UTC().Truncate(time.Microsecond) }
