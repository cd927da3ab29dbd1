package visits

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/visits/cadence"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/visits/route"
)

// Defaults of a day's plan.
const (
	DefaultServiceTime = 20 * time.Minute
	DefaultDayStart    = 8*time.Hour + 30*time.Minute // local time of departure
	DefaultDayEnd      = 18 * time.Hour               // local time the last visit must start by
)

// PlanRequest asks for a rep's day: the customers due by their grade's cadence, in the order that
// keeps travel short.
type PlanRequest struct {
	RepID uuid.UUID
	Date  string     // the day, YYYY-MM-DD, in the tenant's time zone
	Start *geo.Point // where the rep sets off; nil: their last known position, else the first due customer
	// Departure is when the rep sets off (zero: DefaultDayStart on Day); no visit starts after
	// DefaultDayEnd, and the customers that cannot be fitted are returned as unserved.
	Departure time.Time
	Return    bool
	Service   time.Duration                  // at each customer (zero: DefaultServiceTime)
	Windows   map[uuid.UUID]route.TimeWindow // a customer's opening hours that day, if any
}

// DayPlan is the answer: every due customer with how overdue it is, and the route through them.
type DayPlan struct {
	Day       time.Time
	Start     geo.Point
	Due       []DueCustomer
	Route     route.Route
	Cadences  cadence.Cadences
	Customers map[uuid.UUID]Customer
	// lastVisits are the customers' last counted visits up to the day.
	lastVisits map[uuid.UUID]time.Time
}

// DueCustomer is a customer due for a visit on the plan's day: by its grade's cadence, or because
// its next order is predicted within ReorderLeadDays (ReorderBy), so that the visit before the
// order is the one that takes it.
type DueCustomer struct {
	CustomerID  uuid.UUID
	Grade       Grade
	LastVisit   *time.Time
	OverdueDays int
	ReorderBy   *time.Time
}

// ReorderLeadDays is how far ahead of a customer's predicted next order its visit is planned.
const ReorderLeadDays = 2

// PlanDay plans a rep's day over the rep's own customers that the caller may see. A visit that
// a manager rejected does not count as the customer's last visit.
func (s *Service) PlanDay(ctx context.Context, req PlanRequest) (DayPlan, error) {
	loc, err := s.timeZone(ctx)
	if err != nil {
		return DayPlan{}, err
	}
	day, err := time.ParseInLocation(time.DateOnly, req.Date, loc)
	if err != nil {
		return DayPlan{}, fault.Field("body.date", "is not a date (YYYY-MM-DD)", req.Date)
	}
	if req.Service == 0 {
		req.Service = DefaultServiceTime
	}
	if req.Service < 0 || req.Service > 8*time.Hour {
		return DayPlan{}, fault.Field("body.service_minutes", "must be between 1 and 480 minutes", req.Service.Minutes())
	}
	if req.Departure.IsZero() {
		req.Departure = day.Add(DefaultDayStart)
	}
	plan := DayPlan{Day: day, Customers: map[uuid.UUID]Customer{}}
	var last *geo.Point
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.referencedRep(ctx, db, req.RepID, "body.rep_id"); err != nil {
			return err
		}
		if plan.Cadences, err = loadCadences(db); err != nil {
			return err
		}
		scope, err := s.warden.Scope(ctx, access.List, KindCustomer, customerColumns)
		if err != nil {
			return err
		}
		var rows []customerRow
		if err := db.Model(&customerRow{}).Scopes(scope).Where("customers.owner_id = ?", req.RepID).Order("customers.id").Find(&rows).Error; err != nil {
			return fmt.Errorf("load customers: %w", err)
		}
		for _, r := range rows {
			c, err := toCustomer(r)
			if err != nil {
				return err
			}
			plan.Customers[c.ID] = c
		}
		lastOf, err := lastVisitOf(db, plan.Customers, day)
		if err != nil {
			return err
		}
		plan.lastVisits = lastOf
		plan.Due = dueCustomers(plan.Customers, lastOf, plan.Cadences, day, loc)
		var st fenceStateRow
		if err := db.Where("rep_id = ?", req.RepID).Limit(1).Find(&st).Error; err != nil {
			return fmt.Errorf("load last position: %w", err)
		}
		if st.Lat != nil && st.Lon != nil {
			last = &geo.Point{Lat: *st.Lat, Lon: *st.Lon}
		}
		return nil
	})
	if err != nil {
		return DayPlan{}, fmt.Errorf("plan day: %w", err)
	}
	if err := s.addReorders(ctx, &plan, loc); err != nil {
		return DayPlan{}, fmt.Errorf("plan day: %w", err)
	}
	return plan, s.route(ctx, &plan, req, last)
}

// addReorders marks the rep's customers whose next order is predicted by ReorderLeadDays after
// the plan's day, and adds those not due by their cadence. Past days get none: the prediction is
// of today's.
func (s *Service) addReorders(ctx context.Context, plan *DayPlan, loc *time.Location) error {
	if s.opts.Reorders == nil {
		return nil
	}
	y, m, d := s.now().In(loc).Date()
	ahead := int(plan.Day.Sub(time.Date(y, m, d, 0, 0, 0, 0, loc)).Hours() / 24)
	if ahead < 0 {
		return nil
	}
	reorders, err := s.opts.Reorders(ctx, min(ahead+ReorderLeadDays, 90))
	if fault.Is(err, fault.Forbidden) {
		return nil // a caller who may not see orders plans by cadence alone
	}
	if err != nil {
		return err
	}
	horizon := plan.Day.AddDate(0, 0, ReorderLeadDays)
	due := map[uuid.UUID]int{}
	for i, c := range plan.Due {
		due[c.CustomerID] = i
	}
	for id, by := range reorders {
		c, mine := plan.Customers[id]
		if !mine || by.After(horizon) {
			continue
		}
		by := by
		if i, ok := due[id]; ok {
			plan.Due[i].ReorderBy = &by
			continue
		}
		add := DueCustomer{CustomerID: id, Grade: c.Grade, ReorderBy: &by}
		if last, ok := plan.lastVisits[id]; ok {
			add.LastVisit = &last
		}
		plan.Due = append(plan.Due, add)
	}
	return nil
}

// lastVisitOf returns the customers' last counted visits up to the end of day.
func lastVisitOf(db *gorm.DB, customers map[uuid.UUID]Customer, day time.Time) (map[uuid.UUID]time.Time, error) {
	if len(customers) == 0 {
		return map[uuid.UUID]time.Time{}, nil
	}
	ids := make([]uuid.UUID, 0, len(customers))
	for id := range customers {
		ids = append(ids, id)
	}
	return lastVisits(db, ids, day.AddDate(0, 0, 1))
}

// dueCustomers applies the cadences to the customers' last counted visits.
func dueCustomers(customers map[uuid.UUID]Customer, lastOf map[uuid.UUID]time.Time, c cadence.Cadences, day time.Time, loc *time.Location) []DueCustomer {
	in := make([]cadence.Customer, 0, len(customers))
	for id, cust := range customers {
		in = append(in, cadence.Customer{ID: id, Grade: string(cust.Grade), LastVisit: lastOf[id], Lat: cust.Location.Lat, Lon: cust.Location.Lon})
	}
	due := cadence.Due(in, c, day, loc)
	out := make([]DueCustomer, len(due))
	for i, d := range due {
		out[i] = DueCustomer{CustomerID: d.ID, Grade: Grade(d.Grade), OverdueDays: d.OverdueDays}
		if !d.LastVisit.IsZero() {
			t := d.LastVisit
			out[i].LastVisit = &t
		}
	}
	return out
}

// lastVisits returns when each of the customers was last visited before a time, counting every
// visit a manager did not reject; a customer never visited is missing from the map.
func lastVisits(db *gorm.DB, customers []uuid.UUID, before time.Time) (map[uuid.UUID]time.Time, error) {
	var lasts []struct {
		CustomerID uuid.UUID
		Last       aggregateTime
	}
	err := db.Model(&visitRow{}).Select("customer_id, MAX(started_at) AS last").
		Where("customer_id IN ? AND review_status <> ? AND started_at < ?", customers, ReviewRejected, before.UTC()).
		Group("customer_id").Scan(&lasts).Error
	if err != nil {
		return nil, fmt.Errorf("load last visits: %w", err)
	}
	out := make(map[uuid.UUID]time.Time, len(lasts))
	for _, l := range lasts {
		out[l.CustomerID] = l.Last.Time
	}
	return out, nil
}

// route orders the due customers into the day.
func (s *Service) route(ctx context.Context, plan *DayPlan, req PlanRequest, last *geo.Point) error {
	switch {
	case req.Start != nil:
		if err := req.Start.Validate(); err != nil {
			return fault.Field("body.start", geoMessage(err), nil)
		}
		plan.Start = *req.Start
	case last != nil:
		plan.Start = *last
	case len(plan.Due) > 0:
		plan.Start = plan.Customers[plan.Due[0].CustomerID].Location
	default:
		return nil // nothing due, nowhere to start: an empty day
	}
	end := plan.Day.Add(DefaultDayEnd)
	stops := make([]route.Stop, len(plan.Due))
	for i, d := range plan.Due {
		c := plan.Customers[d.CustomerID]
		w := route.TimeWindow{Latest: end}
		if own, ok := req.Windows[d.CustomerID]; ok {
			w = own
			if w.Latest.IsZero() || w.Latest.After(end) {
				w.Latest = end
			}
		}
		stops[i] = route.Stop{ID: c.ID.String(), Lat: c.Location.Lat, Lon: c.Location.Lon, Window: &w, Service: req.Service}
	}
	for id := range req.Windows {
		if _, ok := plan.Customers[id]; !ok {
			return fault.Field("body.windows", "names a customer that is not the rep's: "+id.String(), id.String())
		}
	}
	r, err := route.Plan(ctx, route.Point{Lat: plan.Start.Lat, Lon: plan.Start.Lon}, stops, route.Options{
		Distance: s.opts.Distance, Departure: req.Departure, Return: req.Return, Seed: 1})
	if err != nil {
		if f, ok := fault.As(err); ok {
			return f
		}
		return fmt.Errorf("plan route: %w", err)
	}
	plan.Route = r
	return nil
}

// timeZone is the tenant's time zone (UTC when the service was given no way to know it).
func (s *Service) timeZone(ctx context.Context) (*time.Location, error) {
	if s.opts.TimeZone == nil {
		return time.UTC, nil
	}
	return s.opts.TimeZone(ctx)
}
