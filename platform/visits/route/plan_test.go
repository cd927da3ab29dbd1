package route_test

import (
	"context"
	"errors"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/visits/route"
)

// tsplibDay turns an instance into a closed-tour problem: node 1 is the start, the others are stops.
func tsplibDay(in *route.TSPLIB) (route.Point, []route.Stop) {
	stops := make([]route.Stop, 0, len(in.Nodes)-1)
	for i, p := range in.Nodes[1:] {
		stops = append(stops, route.Stop{ID: strconv.Itoa(i + 2), Lat: p.Lat, Lon: p.Lon})
	}
	return in.Nodes[0], stops
}

// tourOf lists the node numbers of a closed TSPLIB tour planned from node 1.
func tourOf(t *testing.T, r route.Route) []int {
	t.Helper()
	tour := []int{1}
	for _, v := range r.Visits {
		id, err := strconv.Atoi(v.Stop.ID)
		if err != nil {
			t.Fatal(err)
		}
		tour = append(tour, id)
	}
	return tour
}

func TestPlanTSPLIBWithinThreePercent(t *testing.T) {
	for _, tc := range tsplibInstances {
		in := loadTSPLIB(t, tc.name+".tsp")
		start, stops := tsplibDay(in)
		for _, seed := range []uint64{1, 2, 3} {
			t.Run(tc.name+"/seed"+strconv.FormatUint(seed, 10), func(t *testing.T) {
				r, err := route.Plan(context.Background(), start, stops,
					route.Options{Distance: route.Euclidean2D{}, Return: true, Seed: seed})
				if err != nil {
					t.Fatal(err)
				}
				// The reported total must be the length of the tour it reports, measured independently.
				got, err := in.TourLength(tourOf(t, r))
				if err != nil {
					t.Fatal(err)
				}
				if got != r.Distance {
					t.Errorf("reported distance %v, tour measures %v", r.Distance, got)
				}
				gap := (got - tc.optimum) / tc.optimum * 100
				t.Logf("%s seed %d: %v, gap %.2f %%", tc.name, seed, got, gap)
				if gap < 0 || gap > 3 {
					t.Errorf("tour %v is %.2f %% from the optimum %v", got, gap, tc.optimum)
				}
			})
		}
	}
}

func TestPlanSameSeedSameRoute(t *testing.T) {
	in := loadTSPLIB(t, "kroA100.tsp")
	start, stops := tsplibDay(in)
	opts := route.Options{Distance: route.Euclidean2D{}, Seed: 42, Kicks: 150, TimeLimit: time.Minute}
	first, err := route.Plan(context.Background(), start, stops, opts)
	if err != nil {
		t.Fatal(err)
	}
	second, err := route.Plan(context.Background(), start, stops, opts)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("same seed, different routes (-first +second):\n%s", diff)
	}
}

// east is a point d metres east of origin, on the equator where a degree is the same length both ways.
func east(metres float64) route.Point {
	return route.Point{Lon: metres / (2 * math.Pi * 6371008.8 / 360)}
}

func stopAt(id string, p route.Point) route.Stop { return route.Stop{ID: id, Lat: p.Lat, Lon: p.Lon} }

func ids(r route.Route) []string {
	out := []string{}
	for _, v := range r.Visits {
		out = append(out, v.Stop.ID)
	}
	return out
}

func TestPlanTinyDays(t *testing.T) {
	dep := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	a, b := stopAt("a", east(1000)), stopAt("b", east(3000))
	tests := []struct {
		name     string
		stops    []route.Stop
		ret      bool
		want     []string
		distance float64
	}{
		{"none", nil, false, []string{}, 0},
		{"none, back home", nil, true, []string{}, 0},
		{"one", []route.Stop{b}, false, []string{"b"}, 3000},
		{"one, back home", []route.Stop{b}, true, []string{"b"}, 6000},
		{"two, nearer first", []route.Stop{b, a}, false, []string{"a", "b"}, 3000},
		{"two, back home", []route.Stop{b, a}, true, nil, 6000}, // either direction is 6 km
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := route.Plan(context.Background(), route.Point{}, tc.stops, route.Options{Departure: dep, Return: tc.ret})
			if err != nil {
				t.Fatal(err)
			}
			if tc.want != nil {
				if diff := cmp.Diff(tc.want, ids(r)); diff != "" {
					t.Errorf("order (-want +got):\n%s", diff)
				}
			}
			if len(r.Visits) != len(tc.stops) || len(r.Unserved) != 0 {
				t.Errorf("%d visits, %d unserved for %d stops", len(r.Visits), len(r.Unserved), len(tc.stops))
			}
			if math.Abs(r.Distance-tc.distance) > 0.01 {
				t.Errorf("distance = %v, want %v", r.Distance, tc.distance)
			}
			if tc.ret != (r.Home != nil) {
				t.Errorf("home leg = %+v with return %v", r.Home, tc.ret)
			}
			// At 30 km/h a metre takes 0.12 s.
			wantFinish := dep.Add(time.Duration(tc.distance * 0.12 * float64(time.Second)))
			if d := r.Finish.Sub(wantFinish); d < -time.Millisecond || d > time.Millisecond {
				t.Errorf("finish = %v, want %v", r.Finish, wantFinish)
			}
		})
	}
}

func TestPlanDuplicateCoordinates(t *testing.T) {
	in := loadTSPLIB(t, "berlin52.tsp")
	start, stops := tsplibDay(in)
	// Every city twice, and one stop exactly at the start: twins must end up next to each other.
	twins := append([]route.Stop{{ID: "home", Lat: start.Lat, Lon: start.Lon}}, stops...)
	for _, s := range stops {
		s.ID += "-twin"
		twins = append(twins, s)
	}
	r, err := route.Plan(context.Background(), start, twins, route.Options{Distance: route.Euclidean2D{}, Return: true, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Visits) != len(twins) {
		t.Fatalf("%d visits for %d stops", len(r.Visits), len(twins))
	}
	seen := map[string]bool{}
	for _, v := range r.Visits {
		seen[v.Stop.ID] = true
	}
	if len(seen) != len(twins) {
		t.Errorf("%d distinct stops visited of %d", len(seen), len(twins))
	}
	if gap := (r.Distance - 7542) / 7542 * 100; gap < 0 || gap > 3 {
		t.Errorf("doubled berlin52 tour %v is %.2f %% from 7542", r.Distance, gap)
	}
}

func TestPlanRejectsBadInput(t *testing.T) {
	dep := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		start route.Point
		stops []route.Stop
		opts  route.Options
		code  string
	}{
		{"duplicate id", route.Point{}, []route.Stop{{ID: "a"}, {ID: "a"}}, route.Options{}, "duplicate_stop"},
		{"negative service", route.Point{}, []route.Stop{{ID: "a", Service: -time.Minute}}, route.Options{}, "invalid_service"},
		{"window without departure", route.Point{}, []route.Stop{{ID: "a", Window: &route.TimeWindow{Latest: dep}}}, route.Options{}, "departure_required"},
		{"window closes before it opens", route.Point{}, []route.Stop{{ID: "a", Window: &route.TimeWindow{Earliest: dep, Latest: dep.Add(-time.Minute)}}},
			route.Options{Departure: dep}, "invalid_window"},
		{"latitude out of range", route.Point{}, []route.Stop{{ID: "a", Lat: 91}}, route.Options{}, "invalid_position"},
		{"start longitude out of range", route.Point{Lon: -180.5}, nil, route.Options{}, "invalid_position"},
		{"nan", route.Point{Lat: math.NaN()}, nil, route.Options{}, "invalid_position"},
		{"nan on a plane", route.Point{}, []route.Stop{{ID: "a", Lon: math.Inf(1)}}, route.Options{Distance: route.Euclidean2D{}}, "invalid_position"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := route.Plan(context.Background(), tc.start, tc.stops, tc.opts)
			f, ok := fault.As(err)
			if !ok || f.Kind != fault.Invalid || f.Code != tc.code {
				t.Errorf("err = %v, want invalid %s", err, tc.code)
			}
		})
	}
}

func TestPlanRejectsBrokenProvider(t *testing.T) {
	stops := []route.Stop{{ID: "a"}, {ID: "b"}}
	short := brokenProvider{m: route.Matrix{Distance: [][]float64{{0}}, Duration: [][]time.Duration{{0}}}}
	negative := brokenProvider{m: route.Matrix{
		Distance: [][]float64{{0, 1, 1}, {1, 0, -1}, {1, 1, 0}},
		Duration: make([][]time.Duration, 3),
	}}
	for i := range negative.m.Duration {
		negative.m.Duration[i] = make([]time.Duration, 3)
	}
	failing := brokenProvider{err: errors.New("road service down")}
	for name, p := range map[string]brokenProvider{"short": short, "negative": negative, "failing": failing} {
		if _, err := route.Plan(context.Background(), route.Point{}, stops, route.Options{Distance: p}); err == nil {
			t.Errorf("%s provider: no error", name)
		}
	}
}

type brokenProvider struct {
	m   route.Matrix
	err error
}

func (b brokenProvider) Matrix(context.Context, []route.Point) (route.Matrix, error) {
	return b.m, b.err
}

func TestPlanHonoursCancellation(t *testing.T) {
	in := loadTSPLIB(t, "kroA100.tsp")
	start, stops := tsplibDay(in)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := route.Plan(ctx, start, stops, route.Options{Distance: route.Euclidean2D{}}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before: err = %v", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, err := route.Plan(ctx, start, stops, route.Options{Distance: route.Euclidean2D{}, Kicks: math.MaxInt, TimeLimit: time.Hour})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled during: err = %v", err)
	}
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("took %v to notice the deadline", took)
	}
}

func TestPlanStopsAtTimeLimit(t *testing.T) {
	in := loadTSPLIB(t, "kroA100.tsp")
	start, stops := tsplibDay(in)
	began := time.Now()
	r, err := route.Plan(context.Background(), start, stops,
		route.Options{Distance: route.Euclidean2D{}, Kicks: math.MaxInt, TimeLimit: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Visits) != len(stops) {
		t.Errorf("%d visits for %d stops", len(r.Visits), len(stops))
	}
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("took %v for a 30 ms limit", took)
	}
}

func TestHaversine(t *testing.T) {
	m, err := route.Haversine{SpeedKmh: 60}.Matrix(context.Background(), []route.Point{
		{Lat: 0, Lon: 0}, {Lat: 1, Lon: 0}, {Lat: 0, Lon: 180}, {Lat: 52.52, Lon: 13.405},
	})
	if err != nil {
		t.Fatal(err)
	}
	degree := 2 * math.Pi * 6371008.8 / 360 // metres per degree of a great circle
	if d := m.Distance[0][1]; math.Abs(d-degree) > 1e-6 {
		t.Errorf("one degree of latitude = %v m, want %v", d, degree)
	}
	if d := m.Distance[0][2]; math.Abs(d-180*degree) > 1e-3 {
		t.Errorf("half the equator = %v m, want %v", d, 180*degree)
	}
	if m.Distance[1][3] != m.Distance[3][1] || m.Distance[3][3] != 0 {
		t.Error("haversine matrix not symmetric with a zero diagonal")
	}
	wantTime := time.Duration(degree / 1000 * float64(time.Hour) / 60)
	if d := m.Duration[0][1] - wantTime; d.Abs() > time.Millisecond {
		t.Errorf("one degree at 60 km/h = %v, want %v", m.Duration[0][1], wantTime)
	}
	if _, err := (route.Haversine{}).Matrix(context.Background(), nil); err == nil {
		t.Error("zero speed accepted")
	}
}
