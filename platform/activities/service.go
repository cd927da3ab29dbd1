package activities

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// CustomerRef is what this domain needs of a customer (an account): its name for messages, and
// the owner and region its rows are placed under for access.
type CustomerRef struct {
	ID       uuid.UUID
	Name     string
	OwnerID  uuid.UUID
	RegionID uuid.UUID
}

// Customers finds a customer for the caller in ctx. It answers a fault.NotFound for a customer
// that does not exist or that the caller may not read, and it must run its queries through the
// store's Tx with the ctx it is given, so that it joins the caller's transaction.
type Customers interface {
	Customer(ctx context.Context, id uuid.UUID) (CustomerRef, error)
}

// CustomerOwners is what a Customers may also do, as the one cmd wires does: give the owner of
// each of the customers named that the caller may list, leaving the others out, by the same
// rule as Customer. It says whose key accounts are whose, as the key-account figures count them;
// without it the key-account list is unavailable.
type CustomerOwners interface {
	Owners(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]uuid.UUID, error)
}

// Service is the activities domain of the caller's tenant, deciding every access with the warden.
type Service struct {
	store     *store.Store
	warden    *access.Warden
	customers Customers
	opts      Options
}

// Options tune the service; the zero value of a field picks its default.
type Options struct {
	// TimeZone is the caller's tenant's time zone, in which periods and dates are read (nil: UTC).
	TimeZone func(ctx context.Context) (*time.Location, error)
	// Now is the server's clock (nil: time.Now).
	Now func() time.Time
	// Worked tells the pipeline that an activity was logged against an opportunity, inside the
	// same transaction (its idle timers restart); a not-found answer refuses the activity, as the
	// caller may not work that opportunity. nil: opportunity ids are stored unchecked.
	Worked func(ctx context.Context, opportunityID uuid.UUID) error
	// Ordered says which of customers placed an order that counts in [from, to), among the
	// orders the caller may list, as key-account retention counts it (the orders domain's
	// CustomersOrdered). nil: the key-account list cannot tell, and says so.
	Ordered func(ctx context.Context, customers []uuid.UUID, from, to time.Time) (map[uuid.UUID]bool, error)
}

// NewService returns the activities service over s, deciding access with w and finding
// customers through c.
func NewService(s *store.Store, w *access.Warden, c Customers, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{store: s, warden: w, customers: c, opts: o}
}

// now is the service's clock, in UTC at the database's precision.
func (s *Service) now() time.Time { return s.opts.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) timeZone(ctx context.Context) (*time.Location, error) {
	if s.opts.TimeZone == nil {
		return time.UTC, nil
	}
	return s.opts.TimeZone(ctx)
}

// account is a customer the caller may see, with its region's path for access decisions.
type account struct {
	CustomerRef
	RegionPath string
}

// account finds a customer named in a request: one the caller cannot see is an invalid
// reference at location, not a missing resource.
func (s *Service) account(ctx context.Context, db *gorm.DB, id uuid.UUID, location string) (account, error) {
	c, err := s.customers.Customer(ctx, id)
	if fault.Is(err, fault.NotFound) {
		if location == "" {
			return account{}, fault.NotFoundf("account")
		}
		return account{}, fault.Reference(location, "there is no such customer", id)
	}
	if err != nil {
		return account{}, fmt.Errorf("load customer: %w", err)
	}
	path, err := regionPath(db, c.RegionID)
	if err != nil {
		return account{}, err
	}
	return account{CustomerRef: c, RegionPath: path}, nil
}

// resource places a row of kind k owned by owner in the account's region.
func (a account) resource(k access.Kind, id, owner uuid.UUID) access.Resource {
	return access.Resource{Kind: k, ID: id, OwnerID: owner, RegionPath: a.RegionPath}
}

// checkRow loads the region path of a stored row and asks the warden; a row outside the
// caller's scope is not found, like a missing one.
func (s *Service) checkRow(ctx context.Context, db *gorm.DB, a access.Action, k access.Kind, id, owner, region uuid.UUID, thing string) error {
	path, err := regionPath(db, region)
	if err != nil {
		return err
	}
	return s.warden.CheckRow(ctx, a, access.Resource{Kind: k, ID: id, OwnerID: owner, RegionPath: path}, thing)
}

// serialize makes concurrent transactions of the tenant that change one graph (account links,
// reporting lines) run one after the other, so that two links checked apart cannot close a cycle
// together. SQLite needs nothing: its transactions take the write lock at BEGIN.
func (s *Service) serialize(ctx context.Context, db *gorm.DB, graph int32) error {
	if s.store.Dialect() != store.Postgres {
		return nil
	}
	t := identity.TenantID(ctx)
	key := int32(binary.BigEndian.Uint32(t[:4]) ^ binary.BigEndian.Uint32(t[12:]))
	if err := db.Exec("SELECT pg_advisory_xact_lock(?, ?)", graph, key).Error; err != nil {
		return fmt.Errorf("lock %d: %w", graph, err)
	}
	return nil
}

// The graphs serialize guards.
const (
	graphAccounts  int32 = 7710901
	graphReporting int32 = 7710902
)

// text trims v and checks its length (and presence when required).
func text(v, location string, maxLen int, required bool) (string, error) {
	t := strings.TrimSpace(v)
	if required && t == "" {
		return "", fault.Field(location, "is required", v)
	}
	if utf8.RuneCountInString(t) > maxLen {
		return "", fault.Field(location, fmt.Sprintf("is longer than %d characters", maxLen), v)
	}
	return t, nil
}

// period reads [from, to) given as days (YYYY-MM-DD, to exclusive) in loc.
func period(from, to string, loc *time.Location) (time.Time, time.Time, error) {
	f, err := time.ParseInLocation(time.DateOnly, from, loc)
	if err != nil {
		return f, f, fault.Field("query.from", "is not a date (YYYY-MM-DD)", from)
	}
	t, err := time.ParseInLocation(time.DateOnly, to, loc)
	if err != nil {
		return f, t, fault.Field("query.to", "is not a date (YYYY-MM-DD)", to)
	}
	if !t.After(f) || t.Sub(f) > maxPeriod {
		return f, t, fault.Field("query.to", "must be after from, and the period at most 400 days", to)
	}
	return f, t, nil
}

// ratio is n/d, and 1 when there was nothing to judge (d = 0), as in the visits domain's
// metrics: a rep who sent nothing missed no reply. The counts travel beside every ratio, so a
// reader who wants to tell "none" from "all" can.
func ratio(n, d int) float64 {
	if d == 0 {
		return 1
	}
	return float64(n) / float64(d)
}
