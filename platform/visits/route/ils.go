package route

import (
	"context"
	"math/rand/v2"
	"slices"
	"time"
)

// budget bounds one plan across all its rounds of setting stops aside.
type budget struct {
	deadline   time.Time
	kicks      int
	seed       uint64
	neighbours int
}

// optimise returns the best tour found for p: exact for a handful of stops, else a first tour
// (nearest neighbour, or p's own order when warm), local search, then iterated local search with
// double-bridge kicks.
func (p *problem) optimise(ctx context.Context, b budget, warm bool) ([]int, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if p.size()-1 <= exhaustiveMax {
		return p.exhaustive(), nil
	}
	var first []int
	if warm {
		first = make([]int, p.size())
		for i := range first {
			first[i] = i
		}
	} else {
		first = p.nearestNeighbour()
	}
	s := newSearch(ctx, p, first, b.neighbours)
	s.activate(s.tour...)
	if err := s.improve(); err != nil {
		return nil, err
	}
	best, bestScore := slices.Clone(s.tour), s.cur
	rng := rand.New(rand.NewPCG(b.seed, uint64(p.size())))
	for range max(0, b.kicks) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if time.Now().After(b.deadline) {
			break
		}
		s.doubleBridge(rng)
		if err := s.improve(); err != nil {
			return nil, err
		}
		// Sideways moves are accepted so the search drifts across plateaus of equal length.
		if !p.better(bestScore, s.cur) {
			copy(best, s.tour)
			bestScore = s.cur
			continue
		}
		copy(s.tour, best)
		s.refresh()
	}
	return best, nil
}

// doubleBridge cuts the tour into A B C D and reconnects it as A C B D: a 4-opt move that 2-opt
// and Or-opt cannot undo in one step, so the local search settles somewhere new. The stretches
// keep their direction, which matters when costs are asymmetric. On long days the cuts fall
// within kickSpan positions so a kick rearranges one part of the day rather than all of it.
func (s *search) doubleBridge(rng *rand.Rand) {
	span := min(s.n-1, kickSpan)
	from := 1 + rng.IntN(s.n-span)
	var cut [3]int
	for {
		for i := range cut {
			cut[i] = from + rng.IntN(span)
		}
		slices.Sort(cut[:])
		if cut[0] < cut[1] && cut[1] < cut[2] {
			break
		}
	}
	p1, p2, p3 := cut[0], cut[1], cut[2]
	t := s.tour
	k := copy(s.scratch, t[:p1])
	k += copy(s.scratch[k:], t[p2:p3])
	k += copy(s.scratch[k:], t[p1:p2])
	copy(s.scratch[k:], t[p3:])
	s.tour, s.scratch = s.scratch, s.tour
	s.refresh()
	s.activate(t[p1-1], t[p1], t[p2-1], t[p2], t[p3-1], t[p3])
}

// kickSpan is how many consecutive positions a kick's cuts fall within.
const kickSpan = 90
