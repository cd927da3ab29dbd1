// Package route orders a rep's day: given where the rep starts and the customers due, it finds a
// visit sequence with little travel that meets the customers' time windows, and says which
// customers cannot be fitted rather than leaving them out unnoticed.
//
// The planner builds a nearest-neighbour sequence, improves it with 2-opt and Or-opt moves
// (neighbour lists and don't-look bits keep each pass short), then kicks it with random
// double-bridge moves and improves again (iterated local search), keeping the best sequence seen.
// A seed and an iteration budget make it deterministic; a time limit caps it on slow machines.
// Days of up to seven stops are solved exactly by trying every order.
//
// With time windows the search first minimises the total lateness past the windows, then the
// distance. Stops whose window closes before the rep can reach them are set aside at once; if the
// best order is still late somewhere, the latest stop is set aside and the search resumes, until
// the route is on time everywhere. Set-aside stops come back in Route.Unserved with the reason.
package route

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/repflow/repflow/platform/fault"
)

// TimeWindow bounds the arrival at a stop. A zero Earliest or Latest leaves that side open.
type TimeWindow struct {
	Earliest time.Time // arriving earlier means waiting until then
	Latest   time.Time // arriving later means the stop cannot be served
}

// Stop is a customer to visit.
type Stop struct {
	ID       string
	Lat, Lon float64
	Window   *TimeWindow   // nil: any time
	Service  time.Duration // time spent at the customer
}

// Options tune Plan. The zero value plans an open path with haversine distances at city speed.
type Options struct {
	Distance  DistanceProvider // nil means Haversine{SpeedKmh: CitySpeedKmh}
	Departure time.Time        // when the rep leaves the start; required when a stop has a window
	Return    bool             // end the day back at the start
	Seed      uint64           // same seed, same input, same budget: same route
	// Kicks is the number of perturbation rounds: 0 picks DefaultKicks for the size of the day,
	// a negative number means local search only.
	Kicks int
	// TimeLimit caps the perturbation rounds by the clock (0 means DefaultTimeLimit). When it ends
	// the search before Kicks do, the result depends on the machine's speed.
	TimeLimit time.Duration
	// Neighbours is how many nearest stops each stop's moves consider (0 means 10). The start is
	// always among them, so a stop can be moved to the head or the tail of the day when its
	// window asks for that.
	Neighbours int
}

// DefaultTimeLimit bounds a plan when Options.TimeLimit is zero.
const DefaultTimeLimit = time.Second

// DefaultKicks is the number of perturbation rounds for a day of n stops. Measured on berlin52
// and kroA100, 300 rounds already reach the optimum for most seeds; the budget grows with the
// day because each round moves one neighbourhood only.
func DefaultKicks(n int) int { return max(300, 10*n) }

// Visit is one stop of the planned sequence with its schedule.
type Visit struct {
	Stop      Stop
	Distance  float64       // of the leg from the previous point (the start for the first visit)
	Travel    time.Duration // of that leg
	Arrival   time.Time
	Wait      time.Duration // until the window opens
	Departure time.Time     // Arrival + Wait + Stop.Service
}

// Leg is the way back to the start at the end of the day.
type Leg struct {
	Distance float64
	Travel   time.Duration
	Arrival  time.Time
}

// UnservedReason says why a stop is not in the sequence.
type UnservedReason string

const (
	// Unreachable: the window closes before the rep can get there even going straight from the start.
	Unreachable UnservedReason = "unreachable"
	// WindowConflict: reachable alone, but no order found serves it together with the others in their windows.
	WindowConflict UnservedReason = "window_conflict"
)

// Unserved is a stop the route cannot serve within its window.
type Unserved struct {
	Stop   Stop
	Reason UnservedReason
}

// Route is the planned day. When Options.Departure is zero, times count from the zero time.Time
// and only their differences mean anything.
type Route struct {
	Visits   []Visit
	Home     *Leg // the leg back to the start, with Options.Return
	Unserved []Unserved
	Distance float64       // total over all legs, Home included
	Travel   time.Duration // total driving time, waits and service excluded
	Finish   time.Time     // arrival home with Return, else departure from the last stop
}

// Plan orders stops into a route from start. It fails on invalid input and when ctx ends.
func Plan(ctx context.Context, start Point, stops []Stop, opts Options) (Route, error) {
	if err := validate(stops, opts); err != nil {
		return Route{}, err
	}
	provider := opts.Distance
	if provider == nil {
		provider = Haversine{SpeedKmh: CitySpeedKmh}
	}
	points := make([]Point, len(stops)+1)
	points[0] = start
	for i, s := range stops {
		points[i+1] = Point{Lat: s.Lat, Lon: s.Lon}
	}
	m, err := provider.Matrix(ctx, points)
	if err != nil {
		return Route{}, fmt.Errorf("plan route: %w", err)
	}
	if err := checkMatrix(m, len(points)); err != nil {
		return Route{}, fmt.Errorf("plan route: %w", err)
	}
	in := newInstance(m, stops, opts)
	order, unserved, err := solve(ctx, in, opts)
	if err != nil {
		return Route{}, fmt.Errorf("plan route: %w", err)
	}
	return in.route(order, unserved, stops, opts), nil
}

func validate(stops []Stop, opts Options) error {
	seen := make(map[string]int, len(stops))
	for i, s := range stops {
		loc := fmt.Sprintf("stops[%d]", i)
		if j, dup := seen[s.ID]; dup {
			return fault.New(fault.Invalid, "duplicate_stop", "stop ids must be unique",
				fault.Detail{Location: loc + ".id", Message: fmt.Sprintf("same id as stops[%d]", j), Value: s.ID})
		}
		seen[s.ID] = i
		if s.Service < 0 {
			return fault.New(fault.Invalid, "invalid_service", "service time cannot be negative",
				fault.Detail{Location: loc + ".service", Message: "negative", Value: s.Service.String()})
		}
		if s.Window == nil {
			continue
		}
		if opts.Departure.IsZero() {
			return fault.New(fault.Invalid, "departure_required", "time windows need a departure time",
				fault.Detail{Location: loc + ".window", Message: "window given without a departure time"})
		}
		w := s.Window
		if !w.Earliest.IsZero() && !w.Latest.IsZero() && w.Latest.Before(w.Earliest) {
			return fault.New(fault.Invalid, "invalid_window", "a window cannot close before it opens",
				fault.Detail{Location: loc + ".window", Message: "latest is before earliest"})
		}
	}
	return nil
}

// checkMatrix guards the search against a provider that answers the wrong shape or nonsense values.
func checkMatrix(m Matrix, n int) error {
	if len(m.Distance) != n || len(m.Duration) != n {
		return fmt.Errorf("distance provider answered %d×? for %d points", len(m.Distance), n)
	}
	for i := range n {
		if len(m.Distance[i]) != n || len(m.Duration[i]) != n {
			return fmt.Errorf("distance provider answered a short row %d", i)
		}
		for j := range n {
			d := m.Distance[i][j]
			if d < 0 || math.IsNaN(d) || math.IsInf(d, 0) || m.Duration[i][j] < 0 {
				return fmt.Errorf("distance provider answered %v, %v from point %d to %d", d, m.Duration[i][j], i, j)
			}
		}
	}
	return nil
}

// route turns an order of matrix indices into the schedule the rep follows.
func (in *instance) route(order []int, unserved []int, stops []Stop, opts Options) Route {
	r := Route{Visits: make([]Visit, 0, len(order))}
	t, prev := opts.Departure, 0
	for _, k := range order {
		s := stops[k-1]
		v := Visit{Stop: s, Distance: in.m.Distance[prev][k], Travel: in.m.Duration[prev][k]}
		v.Arrival = t.Add(v.Travel)
		if s.Window != nil && !s.Window.Earliest.IsZero() && v.Arrival.Before(s.Window.Earliest) {
			v.Wait = s.Window.Earliest.Sub(v.Arrival)
		}
		v.Departure = v.Arrival.Add(v.Wait + s.Service)
		r.Visits = append(r.Visits, v)
		r.Distance += v.Distance
		r.Travel += v.Travel
		t, prev = v.Departure, k
	}
	r.Finish = t
	if opts.Return {
		home := &Leg{Distance: in.m.Distance[prev][0], Travel: in.m.Duration[prev][0]}
		home.Arrival = t.Add(home.Travel)
		r.Home = home
		r.Distance += home.Distance
		r.Travel += home.Travel
		r.Finish = home.Arrival
	}
	for _, k := range unserved {
		reason := WindowConflict
		if in.unreachable(k) {
			reason = Unreachable
		}
		r.Unserved = append(r.Unserved, Unserved{Stop: stops[k-1], Reason: reason})
	}
	return r
}
