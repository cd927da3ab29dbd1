package visits

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/blob"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/visits/route"
	"github.com/repflow/repflow/platform/visits/trust"
)

// Service is the visits domain: customers, tracks, fence events, visits and plans of the
// caller's tenant, deciding every access with the warden.
type Service struct {
	store  *store.Store
	warden *access.Warden
	fences *fenceCache
	opts   Options
}

// Options tune the service; the zero value of a field picks its default.
type Options struct {
	// Photos stores check-in photos; nil refuses photo uploads.
	Photos blob.Store
	// Trust holds the check-in thresholds (zero: trust.DefaultPolicy()).
	Trust *trust.Policy
	// Hysteresis tunes fence events (zero: DefaultHysteresis).
	Hysteresis *geo.Hysteresis
	// TimeZone is the caller's tenant's time zone, in which days begin (nil: UTC).
	TimeZone func(ctx context.Context) (*time.Location, error)
	// Distance measures travel between customers for route plans (nil: haversine at city speed);
	// a road or traffic provider plugs in here.
	Distance route.DistanceProvider
	// Reorders lists the customers the caller may see whose next order is predicted within
	// withinDays of today, or is past, with the predicted day (nil: plans show no reorders).
	Reorders func(ctx context.Context, withinDays int) (map[uuid.UUID]time.Time, error)
	// Now is the server's clock (nil: time.Now), replaceable so tests can replay a day.
	Now func() time.Time
}

// DefaultHysteresis suits phone GPS: a fix must be 15 m (or its accuracy) past a fence's edge to
// change the rep's state, fixes worse than 150 m are ignored, and five minutes inside a
// customer's fence make a visit.
var DefaultHysteresis = geo.Hysteresis{MinMargin: 15, MaxAccuracy: 150, DwellAfter: 5 * time.Minute}

// NewService returns the visits service over s, deciding access with w.
func NewService(s *store.Store, w *access.Warden, o Options) *Service {
	if o.Trust == nil {
		p := trust.DefaultPolicy()
		o.Trust = &p
	}
	if o.Hysteresis == nil {
		h := DefaultHysteresis
		o.Hysteresis = &h
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{store: s, warden: w, fences: newFenceCache(o.Now), opts: o}
}

// caller is the signed-in principal doing what; without one, what is refused.
func caller(ctx context.Context, what string) (identity.Principal, error) {
	p, ok := identity.From(ctx)
	if !ok {
		return p, fault.New(fault.Unauthorized, "unauthenticated", "sign in to "+what)
	}
	return p, nil
}

// now is the service's clock, in UTC at the database's precision.
func (s *Service) now() time.Time { return s.opts.Now().UTC().Truncate(time.Microsecond) }
