package orders

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/platform/store"
)

// Service is the orders domain of the caller's tenant, deciding every access with the warden.
type Service struct {
	store      *store.Store
	warden     *access.Warden
	customers  Customers
	currencies Currencies
	queue      *jobs.Queue
	reminders  Reminders
	opts       Options
}

// Options tune the service; the zero value of a field picks its default.
type Options struct {
	// TimeZone is the caller's tenant's time zone, in which due days and overdue days are counted
	// (nil: UTC).
	TimeZone func(ctx context.Context) (*time.Location, error)
	// Now is the server's clock (nil: time.Now), replaceable so tests can replay a period.
	Now func() time.Time
	// Opportunity finds an opportunity the caller may read, for an order that names it (nil:
	// opportunity ids are stored unchecked).
	Opportunity func(ctx context.Context, id uuid.UUID) (OpportunityRef, error)
}

// OpportunityRef is what an order needs of the opportunity it comes from: whose it is, and
// whether it was lost (a lost deal takes no orders; an open one may, as an FMCG trial order).
type OpportunityRef struct {
	CustomerID uuid.UUID
	Lost       bool
}

// NewService returns the orders service over s, deciding access with w, finding customers with
// customers and the tenant's currencies with currencies. Approvals set replenishment timers on q,
// whose reminders go out through reminders; it registers the timers' handler on q, so a queue
// serves one Service. A nil q sets no timers; with nil reminders the timers do nothing.
func NewService(s *store.Store, w *access.Warden, customers Customers, currencies Currencies, q *jobs.Queue,
	reminders Reminders, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	svc := &Service{store: s, warden: w, customers: customers, currencies: currencies, queue: q, reminders: reminders, opts: o}
	if q != nil {
		jobs.Handle(q, svc.onReplenishmentDue)
	}
	return svc
}

// now is the service's clock, in UTC at the database's precision.
func (s *Service) now() time.Time { return s.opts.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) timeZone(ctx context.Context) (*time.Location, error) {
	if s.opts.TimeZone == nil {
		return time.UTC, nil
	}
	loc, err := s.opts.TimeZone(ctx)
	if err != nil {
		return nil, fmt.Errorf("tenant's time zone: %w", err)
	}
	return loc, nil
}

// checkCurrency checks that the tenant trades in c.
func (s *Service) checkCurrency(ctx context.Context, c, location string) error {
	if err := checkCurrencyCode(c, location); err != nil {
		return err
	}
	used, err := s.currencies.Currencies(ctx)
	if err != nil {
		return fmt.Errorf("tenant's currencies: %w", err)
	}
	if !slices.Contains(used, c) {
		return fault.Field(location, fmt.Sprintf("is not a currency your company trades in (%s); ask your tenant admin to add it", strings.Join(used, ", ")), c)
	}
	return nil
}

// customer finds the customer named in a request: one the caller cannot see is an invalid
// reference in the body, not a missing resource.
func (s *Service) customer(ctx context.Context, id uuid.UUID, location string) (CustomerRef, error) {
	c, err := s.customers.Customer(ctx, id)
	if fault.Is(err, fault.NotFound) {
		return CustomerRef{}, fault.Reference(location, "there is no such customer", id)
	}
	if err != nil {
		return CustomerRef{}, fmt.Errorf("find customer: %w", err)
	}
	return c, nil
}

// regionPath reads the path of a region, which places a row for access decisions.
func regionPath(db *gorm.DB, id uuid.UUID) (string, error) {
	var r regionRow
	if err := db.Where("id = ?", id).Take(&r).Error; err != nil {
		return "", fmt.Errorf("load region %s: %w", id, err)
	}
	return r.Path, nil
}

// locked takes the rows a query reads for update until the transaction ends: every change of an
// order (status, delivery, payment) locks it first, so two of them never interleave. SQLite needs
// no lock: its transactions take the write lock at BEGIN.
func (s *Service) locked(db *gorm.DB) *gorm.DB {
	if s.store.Dialect() != store.Postgres {
		return db
	}
	return db.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
}

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

func pageLimit(n int) int {
	if n <= 0 {
		return DefaultPageSize
	}
	return min(n, MaxPageSize)
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// likePrefix matches every string that starts with p.
func likePrefix(p string) string { return likeEscaper.Replace(p) + "%" }

// likeContains matches every string that contains p.
func likeContains(p string) string { return "%" + likeEscaper.Replace(p) + "%" }

// civilDay is midnight of t's day in loc.
func civilDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}
