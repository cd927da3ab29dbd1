package route_test

import (
	"context"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/repflow/repflow/platform/visits/route"
)

func TestPlanSchedule(t *testing.T) {
	dep := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	a := route.Stop{ID: "a", Lon: east(1000).Lon, Service: 20 * time.Minute}
	b := route.Stop{ID: "b", Lon: east(2000).Lon, Service: 10 * time.Minute,
		Window: &route.TimeWindow{Earliest: dep.Add(time.Hour)}}
	r, err := route.Plan(context.Background(), route.Point{}, []route.Stop{b, a},
		route.Options{Departure: dep, Distance: route.Haversine{SpeedKmh: 60}})
	if err != nil {
		t.Fatal(err)
	}
	want := []route.Visit{
		{Stop: a, Distance: 1000, Travel: time.Minute, Arrival: dep.Add(time.Minute), Departure: dep.Add(21 * time.Minute)},
		{Stop: b, Distance: 1000, Travel: time.Minute, Arrival: dep.Add(22 * time.Minute), Wait: 38 * time.Minute,
			Departure: dep.Add(70 * time.Minute)},
	}
	approx := cmp.Options{
		cmp.Comparer(func(x, y float64) bool { return math.Abs(x-y) < 1e-6 }),
		cmp.Comparer(func(x, y time.Duration) bool { return (x - y).Abs() < time.Millisecond }),
		cmp.Comparer(func(x, y time.Time) bool { return x.Sub(y).Abs() < time.Millisecond }),
	}
	if diff := cmp.Diff(want, r.Visits, approx); diff != "" {
		t.Errorf("visits (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(dep.Add(70*time.Minute), r.Finish, approx); diff != "" {
		t.Errorf("finish (-want +got):\n%s", diff)
	}
}

// lineDay places n stops 1 km apart east of the start; without windows the best order runs
// outwards s1, s2, ... At 30 km/h each kilometre takes 2 minutes.
func lineDay(n int) []route.Stop {
	stops := make([]route.Stop, n)
	for i := range stops {
		stops[i] = stopAt("s"+strconv.Itoa(i+1), east(float64(i+1)*1000))
	}
	return stops
}

func TestPlanWindowForcesFirst(t *testing.T) {
	dep := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	for _, n := range []int{3, 12, 40} { // 3 is solved exhaustively, the others by the search
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			stops := lineDay(n)
			far := &stops[n-1]
			// Driving straight there takes 2n minutes; going out in order would arrive at 2n too but
			// only after the others' service times.
			for i := range stops {
				stops[i].Service = 15 * time.Minute
			}
			far.Window = &route.TimeWindow{Latest: dep.Add(time.Duration(2*n+1) * time.Minute)}
			r, err := route.Plan(context.Background(), route.Point{}, stops, route.Options{Departure: dep, Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Unserved) != 0 || len(r.Visits) != n {
				t.Fatalf("%d visits, unserved %+v", len(r.Visits), r.Unserved)
			}
			first := r.Visits[0]
			if first.Stop.ID != far.ID || first.Arrival.After(far.Window.Latest) {
				t.Errorf("first visit %s at %v, want %s by %v; order %v", first.Stop.ID, first.Arrival, far.ID, far.Window.Latest, ids(r))
			}
			// After the far stop the rest are on the way back: 2 km per stop-pair less the detour.
			if want := float64(2*n-1) * 1000; math.Abs(r.Distance-want) > 1 {
				t.Errorf("distance = %v, want %v (order %v)", r.Distance, want, ids(r))
			}
		})
	}
}

func TestPlanReportsUnservableStops(t *testing.T) {
	dep := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	stops := lineDay(10)
	// s5 is 10 minutes away but closes 5 minutes after departure: nobody can make it.
	stops[4].Window = &route.TimeWindow{Latest: dep.Add(5 * time.Minute)}
	// Mirror images 4 km west and east of the start, both open only 8:08 to 8:09: reachable alone,
	// not both, since going from one to the other takes 16 minutes.
	west := route.Stop{ID: "west", Lon: -east(4000).Lon,
		Window: &route.TimeWindow{Earliest: dep.Add(8 * time.Minute), Latest: dep.Add(9 * time.Minute)}}
	stops[3].Window = &route.TimeWindow{Earliest: dep.Add(8 * time.Minute), Latest: dep.Add(9 * time.Minute)}
	stops = append(stops, west)
	r, err := route.Plan(context.Background(), route.Point{}, stops, route.Options{Departure: dep, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]route.UnservedReason{}
	for _, u := range r.Unserved {
		reasons[u.Stop.ID] = u.Reason
	}
	if reasons["s5"] != route.Unreachable || len(reasons) != 2 {
		t.Fatalf("unserved = %v, want s5 unreachable and one of s4/west in conflict", reasons)
	}
	if reasons["s4"] != route.WindowConflict && reasons["west"] != route.WindowConflict {
		t.Fatalf("unserved = %v, want s4 or west in conflict", reasons)
	}
	if len(r.Visits) != len(stops)-2 {
		t.Fatalf("%d visits for %d stops with 2 unserved", len(r.Visits), len(stops))
	}
	for _, v := range r.Visits {
		w := v.Stop.Window
		if w != nil && ((!w.Latest.IsZero() && v.Arrival.After(w.Latest)) || v.Arrival.Add(v.Wait).Before(w.Earliest)) {
			t.Errorf("%s served at %v+%v outside its window %v-%v", v.Stop.ID, v.Arrival, v.Wait, w.Earliest, w.Latest)
		}
	}
}

// TestPlanMatchesBruteForce compares the search (9 stops, beyond the exhaustive cut-off) with
// trying every order, on random asymmetric costs, with and without time windows.
func TestPlanMatchesBruteForce(t *testing.T) {
	dep := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	for seed := range uint64(6) {
		withWindows := seed%2 == 1
		t.Run(strconv.FormatUint(seed, 10), func(t *testing.T) {
			day := randomDay(seed, 9, dep, withWindows)
			r, err := route.Plan(context.Background(), route.Point{}, day.stops,
				route.Options{Distance: day, Departure: dep, Seed: seed, Return: seed%3 == 0})
			if err != nil {
				t.Fatal(err)
			}
			best, feasible := day.bruteForce(dep, seed%3 == 0)
			if !feasible {
				t.Fatal("the generator's reference order should serve every window")
			}
			if len(r.Unserved) != 0 {
				t.Fatalf("unserved %+v although an order serves all", r.Unserved)
			}
			if math.Abs(r.Distance-best) > 1e-6 {
				t.Errorf("planned %v (order %v), best order %v", r.Distance, ids(r), best)
			}
		})
	}
}
