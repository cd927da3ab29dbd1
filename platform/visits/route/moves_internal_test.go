package route

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// randomProblem is a problem over n random stops with one-way costs, open or closed, and a
// random tour. With windows, half the stops get a window around when the tour arrives there, some
// opening up to half an hour later (the rep waits), closing a few minutes after, so the tour is on
// time with little slack and many moves make it late.
func randomProblem(seed uint64, n int, windows, ret bool) (*problem, []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	dep := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	m := newMatrix(n + 1)
	for i := range n + 1 {
		for j := range n + 1 {
			if i != j {
				m.Distance[i][j] = float64(1 + rng.IntN(5000))
				m.Duration[i][j] = time.Duration(m.Distance[i][j]) * 120 * time.Millisecond
			}
		}
	}
	stops := make([]Stop, n)
	for i := range stops {
		stops[i] = Stop{ID: strconv.Itoa(i), Service: time.Duration(rng.IntN(20)) * time.Minute}
	}
	order := rng.Perm(n)
	for i := range order {
		order[i]++
	}
	if windows {
		t, prev := dep, 0
		for _, k := range order {
			t = t.Add(m.Duration[prev][k])
			if rng.IntN(2) == 0 {
				opens := t.Add(time.Duration(rng.IntN(2400)-600) * time.Second)
				if opens.After(t) {
					t = opens
				}
				stops[k-1].Window = &TimeWindow{Earliest: opens, Latest: t.Add(time.Duration(rng.IntN(600)) * time.Second)}
			}
			t, prev = t.Add(stops[k-1].Service), k
		}
	}
	in := newInstance(m, stops, Options{Departure: dep, Return: ret})
	p := newProblem(in, order)
	tour := make([]int, n+1)
	for i := range tour {
		tour[i] = i // the problem numbers its nodes in the order given
	}
	return p, tour
}

// TestMovesMatchRecomputation checks each 2-opt and Or-opt move's O(1) length change, its lazily
// computed stops and its shortcut lateness against rebuilding the tour and scheduling it in full:
// on tours just on time (where the lateness shortcuts apply), on shuffled ones (late in many
// places) and on locally optimal ones, without windows too.
func TestMovesMatchRecomputation(t *testing.T) {
	const n = 12
	for seed := range uint64(100) {
		p, tour := randomProblem(seed, n, seed%4 != 0, seed%3 == 0)
		rng := rand.New(rand.NewPCG(seed, 8))
		if seed%2 == 1 {
			rng.Shuffle(n, func(i, j int) { tour[i+1], tour[j+1] = tour[j+1], tour[i+1] })
		}
		s := newSearch(context.Background(), p, tour, 4)
		if seed%4 == 3 {
			s.activate(s.tour...)
			if err := s.improve(); err != nil {
				t.Fatal(err)
			}
		}
		base := p.length(s.tour)
		check := func(name string, m move, want []int) {
			t.Helper()
			got := make([]int, len(s.tour))
			for i := range got {
				got[i] = s.node(m, i)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("seed %d %s %+v: tour (-want +got):\n%s", seed, name, m, diff)
			}
			if d, full := s.delta(m), p.length(want)-base; math.Abs(d-full) > 1e-6 {
				t.Fatalf("seed %d %s %+v: delta %v, recomputed %v", seed, name, m, d, full)
			}
			if !p.windows {
				return
			}
			wantLate := p.lateness(want)
			if late, within := s.lateness(m, math.MaxInt64); late != wantLate || !within {
				t.Fatalf("seed %d %s %+v: lateness %v (within %v), recomputed %v", seed, name, m, late, within, wantLate)
			}
			if wantLate > 0 {
				if _, within := s.lateness(m, wantLate-1); within {
					t.Fatalf("seed %d %s %+v: lateness %v reported within %v", seed, name, m, wantLate, wantLate-1)
				}
			}
		}
		for e1 := 0; e1 <= n; e1++ {
			for e2 := e1 + 2; e2 <= n; e2++ {
				want := slices.Clone(s.tour)
				slices.Reverse(want[e1+1 : e2+1])
				check("2-opt", twoOptMove(e1, e2), want)
			}
		}
		for first := 1; first <= n; first++ {
			for last := first; last <= min(n, first+2); last++ {
				for after := 0; after <= n; after++ {
					if after >= first-1 && after <= last {
						continue
					}
					for _, reversed := range []bool{false, true} {
						stretch := slices.Clone(s.tour[first : last+1])
						if reversed {
							slices.Reverse(stretch)
						}
						rest := slices.Concat(s.tour[:first], s.tour[last+1:])
						at := slices.Index(rest, s.tour[after]) + 1
						want := slices.Concat(rest[:at], stretch, rest[at:])
						check("or-opt", orOptMove(first, last, after, reversed), want)
					}
				}
			}
		}
	}
}

// TestDoubleBridgeKeepsEveryStop checks that kicks reorder stretches without losing or
// duplicating a stop, and that the start stays first.
func TestDoubleBridgeKeepsEveryStop(t *testing.T) {
	p, tour := randomProblem(1, 40, false, false)
	s := newSearch(context.Background(), p, tour, 5)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		before := slices.Clone(s.tour)
		s.doubleBridge(rng)
		s.clearQueue()
		if s.tour[0] != 0 {
			t.Fatalf("start moved to %d", slices.Index(s.tour, 0))
		}
		got, want := slices.Sorted(slices.Values(s.tour)), slices.Sorted(slices.Values(before))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("kick changed the stops (-want +got):\n%s", diff)
		}
		if slices.Equal(before, s.tour) {
			t.Fatal("kick left the tour as it was")
		}
	}
}
