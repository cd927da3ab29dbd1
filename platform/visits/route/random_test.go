package route_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/repflow/repflow/platform/visits/route"
)

// dayCosts is a day with random one-way costs (a stand-in for a road provider) and, optionally,
// windows built around a random reference order so that at least one order serves them all.
type dayCosts struct {
	m     route.Matrix
	stops []route.Stop
}

func randomDay(seed uint64, n int, dep time.Time, withWindows bool) *dayCosts {
	rng := rand.New(rand.NewPCG(seed, 99))
	d := &dayCosts{m: route.Matrix{Distance: make([][]float64, n+1), Duration: make([][]time.Duration, n+1)}}
	for i := range n + 1 {
		d.m.Distance[i] = make([]float64, n+1)
		d.m.Duration[i] = make([]time.Duration, n+1)
		for j := range n + 1 {
			if i != j {
				metres := math.Round(1000 + rng.Float64()*9000)
				d.m.Distance[i][j] = metres
				d.m.Duration[i][j] = time.Duration(metres * 0.12 * float64(time.Second))
			}
		}
	}
	for i := range n {
		d.stops = append(d.stops, route.Stop{ID: "c" + strconv.Itoa(i+1), Service: 10 * time.Minute})
	}
	if !withWindows {
		return d
	}
	t, prev := time.Duration(0), 0
	for _, k := range rng.Perm(n) {
		t += d.m.Duration[prev][k+1]
		if rng.IntN(2) == 0 {
			d.stops[k].Window = &route.TimeWindow{
				Earliest: dep.Add(t - time.Duration(rng.IntN(20))*time.Minute),
				Latest:   dep.Add(t + time.Duration(rng.IntN(20))*time.Minute),
			}
		}
		t += d.stops[k].Service
		prev = k + 1
	}
	return d
}

func (d *dayCosts) Matrix(_ context.Context, points []route.Point) (route.Matrix, error) {
	if len(points) != len(d.m.Distance) {
		return route.Matrix{}, fmt.Errorf("random day has %d points, asked for %d", len(d.m.Distance), len(points))
	}
	return d.m, nil
}

// bruteForce is the shortest length over all orders that arrive within every window.
func (d *dayCosts) bruteForce(dep time.Time, ret bool) (best float64, feasible bool) {
	n := len(d.stops)
	order := make([]int, n)
	for i := range order {
		order[i] = i + 1
	}
	best = math.Inf(1)
	var permute func(k int)
	permute = func(k int) {
		if k < n {
			for i := k; i < n; i++ {
				order[k], order[i] = order[i], order[k]
				permute(k + 1)
				order[k], order[i] = order[i], order[k]
			}
			return
		}
		length, t, prev := 0.0, dep, 0
		for _, c := range order {
			length += d.m.Distance[prev][c]
			t = t.Add(d.m.Duration[prev][c])
			if w := d.stops[c-1].Window; w != nil {
				if t.After(w.Latest) {
					return
				}
				if t.Before(w.Earliest) {
					t = w.Earliest
				}
			}
			t = t.Add(d.stops[c-1].Service)
			prev = c
		}
		if ret {
			length += d.m.Distance[prev][0]
		}
		if length < best {
			best, feasible = length, true
		}
	}
	permute(0)
	return best, feasible
}
