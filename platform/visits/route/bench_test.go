package route

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// The benchmarks plan a closed tour through every city of a TSPLIB instance (52 and 100 cities)
// from city 1, with the default budget and seed 1, and report the gap to the published optimum
// (7542 and 21282) next to the same figures for the nearest-neighbour tour alone, the baseline,
// and the planner's time as a multiple of the baseline's. Both include building the matrix.
//
//	go test -run '^$' -bench 'PlanBerlin52|PlanKroA100' -count 3 ./platform/visits/route/
func BenchmarkPlanBerlin52(b *testing.B) { benchmarkTSPLIB(b, "berlin52", 7542) }

func BenchmarkPlanKroA100(b *testing.B) { benchmarkTSPLIB(b, "kroA100", 21282) }

func benchmarkTSPLIB(b *testing.B, name string, optimum float64) {
	f, err := os.Open(filepath.Join("testdata", name+".tsp"))
	if err != nil {
		b.Fatal(err)
	}
	in, err := ParseTSPLIB(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	start, stops := in.Nodes[0], make([]Stop, 0, len(in.Nodes)-1)
	for i, p := range in.Nodes[1:] {
		stops = append(stops, Stop{ID: strconv.Itoa(i + 2), Lat: p.Lat, Lon: p.Lon})
	}
	opts := Options{Distance: Euclidean2D{}, Return: true, Seed: 1}
	gap := func(length float64) float64 { return (length - optimum) / optimum * 100 }
	ctx := context.Background()

	var baselineNs float64
	b.Run("NearestNeighbour", func(b *testing.B) {
		order := make([]int, len(stops))
		for i := range order {
			order[i] = i + 1
		}
		points := append([]Point{start}, in.Nodes[1:]...)
		var length float64
		for b.Loop() {
			m, err := opts.Distance.Matrix(ctx, points)
			if err != nil {
				b.Fatal(err)
			}
			p := newProblem(newInstance(m, stops, opts), order)
			length = p.length(p.nearestNeighbour())
		}
		baselineNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(gap(length), "gap-%")
	})
	b.Run("Planner", func(b *testing.B) {
		var r Route
		for b.Loop() {
			if r, err = Plan(ctx, start, stops, opts); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(gap(r.Distance), "gap-%")
		if baselineNs > 0 {
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/baselineNs, "x-baseline-time")
		}
	})
}
