package route

import (
	"context"
	"math"
	"slices"
	"time"
)

// open is the offset that stands for "no bound" on a window side.
const open = time.Duration(math.MaxInt64)

// instance is the whole day: matrix index 0 is the start, index k is stops[k-1].
type instance struct {
	m        Matrix
	ret      bool
	windows  bool
	earliest []time.Duration // offsets from departure; -open when the window has no opening
	latest   []time.Duration // offsets from departure; open when it has no closing
	service  []time.Duration
}

func newInstance(m Matrix, stops []Stop, opts Options) *instance {
	n := len(stops) + 1
	in := &instance{
		m: m, ret: opts.Return,
		earliest: make([]time.Duration, n), latest: make([]time.Duration, n), service: make([]time.Duration, n),
	}
	in.earliest[0], in.latest[0] = -open, open
	for i, s := range stops {
		k := i + 1
		in.earliest[k], in.latest[k], in.service[k] = -open, open, s.Service
		if s.Window == nil {
			continue
		}
		in.windows = true
		if !s.Window.Earliest.IsZero() {
			in.earliest[k] = s.Window.Earliest.Sub(opts.Departure)
		}
		if !s.Window.Latest.IsZero() {
			in.latest[k] = s.Window.Latest.Sub(opts.Departure)
		}
	}
	return in
}

// unreachable reports whether stop k is late even when driven to first.
func (in *instance) unreachable(k int) bool { return in.m.Duration[0][k] > in.latest[k] }

// solve orders the stops, setting aside those that cannot be served in their windows: first the
// unreachable ones, then, while the best order still arrives late somewhere, the latest stop.
// After a stop is set aside the search resumes from the order it had, with a tenth of the kicks.
func solve(ctx context.Context, in *instance, opts Options) (order, unserved []int, err error) {
	limit := opts.TimeLimit
	if limit <= 0 {
		limit = DefaultTimeLimit
	}
	b := budget{deadline: time.Now().Add(limit), kicks: opts.Kicks, seed: opts.Seed, neighbours: opts.Neighbours}
	if b.kicks == 0 {
		b.kicks = DefaultKicks(len(in.m.Distance) - 1)
	}
	for k := 1; k < len(in.m.Distance); k++ {
		if in.windows && in.unreachable(k) {
			unserved = append(unserved, k)
		} else {
			order = append(order, k)
		}
	}
	kicks := b.kicks
	for warm := false; ; warm = true {
		p := newProblem(in, order)
		tour, err := p.optimise(ctx, b, warm)
		if err != nil {
			return nil, nil, err
		}
		worst := p.mostLate(tour)
		order = order[:0]
		for _, c := range tour[1:] {
			if c != worst {
				order = append(order, p.idx[c])
			}
		}
		if worst < 0 {
			return order, unserved, nil
		}
		unserved = append(unserved, p.idx[worst])
		b.kicks = kicks / 10
	}
}

// problem is the part of the instance the search works on, renumbered densely: node 0 is the
// start, node c is matrix index idx[c]. A tour is a cycle through all nodes with tour[0] == 0.
type problem struct {
	idx      []int
	cost     [][]float64 // cost[c][0] is 0 for an open path: the day ends wherever the last stop is
	dur      [][]time.Duration
	earliest []time.Duration
	latest   []time.Duration
	service  []time.Duration
	windows  bool
	eps      float64 // improvements smaller than this are rounding noise
}

func newProblem(in *instance, order []int) *problem {
	n := len(order) + 1
	p := &problem{
		idx: append([]int{0}, order...), cost: make([][]float64, n), dur: make([][]time.Duration, n),
		earliest: make([]time.Duration, n), latest: make([]time.Duration, n), service: make([]time.Duration, n),
		windows: in.windows,
	}
	maxCost := 0.0
	for a, i := range p.idx {
		p.cost[a], p.dur[a] = make([]float64, n), make([]time.Duration, n)
		for b, j := range p.idx {
			p.cost[a][b], p.dur[a][b] = in.m.Distance[i][j], in.m.Duration[i][j]
			if b == 0 && !in.ret {
				p.cost[a][b] = 0
			}
			maxCost = max(maxCost, p.cost[a][b])
		}
		p.earliest[a], p.latest[a], p.service[a] = in.earliest[i], in.latest[i], in.service[i]
	}
	p.eps = 1e-9 * max(1, maxCost)
	return p
}

func (p *problem) size() int { return len(p.idx) }

func (p *problem) length(tour []int) float64 {
	sum := 0.0
	for i, c := range tour {
		sum += p.cost[c][tour[(i+1)%len(tour)]]
	}
	return sum
}

// lateness sums how late the tour arrives at each stop past its window; waits are free.
func (p *problem) lateness(tour []int) time.Duration {
	var late, t, l time.Duration
	for i := 1; i < len(tour) && p.windows; i++ {
		t, l = p.step(t, tour[i-1], tour[i])
		late = addSat(late, l)
	}
	return late
}

// mostLate is the node arriving latest past its window, -1 if the tour is on time everywhere.
func (p *problem) mostLate(tour []int) int {
	worst, most := -1, time.Duration(0)
	var t, l time.Duration
	for i := 1; i < len(tour) && p.windows; i++ {
		if t, l = p.step(t, tour[i-1], tour[i]); l > most {
			worst, most = tour[i], l
		}
	}
	return worst
}

// step drives from prev to c leaving prev at t: it returns when the rep leaves c (after waiting
// for the window to open and serving) and how late past the window the rep arrived.
func (p *problem) step(t time.Duration, prev, c int) (leave, late time.Duration) {
	t = addSat(t, p.dur[prev][c])
	if t > p.latest[c] {
		late = t - p.latest[c]
	}
	return addSat(max(t, p.earliest[c]), p.service[c]), late
}

// addSat adds without wrapping around, so absurd provider durations cannot turn lateness negative.
func addSat(a, b time.Duration) time.Duration {
	if b > 0 && a > open-b {
		return open
	}
	return a + b
}

// score orders tours: less lateness first, then shorter.
type score struct {
	late   time.Duration
	length float64
}

func (p *problem) score(tour []int) score { return score{p.lateness(tour), p.length(tour)} }

func (p *problem) better(a, b score) bool {
	return a.late < b.late || (a.late == b.late && a.length < b.length-p.eps)
}

// nearestNeighbour builds a first tour by always driving to the closest unvisited stop; with
// windows, to the stop whose service can start soonest, closeness breaking ties.
func (p *problem) nearestNeighbour() []int {
	n := p.size()
	tour := make([]int, 1, n)
	used := make([]bool, n)
	used[0] = true
	var t time.Duration
	for cur := 0; len(tour) < n; {
		next, nextStart := -1, time.Duration(0)
		for c := 1; c < n; c++ {
			if used[c] {
				continue
			}
			start := time.Duration(0)
			if p.windows {
				start = max(addSat(t, p.dur[cur][c]), p.earliest[c])
			}
			if next < 0 || start < nextStart || (start == nextStart && p.cost[cur][c] < p.cost[cur][next]) {
				next, nextStart = c, start
			}
		}
		t = addSat(nextStart, p.service[next])
		used[next] = true
		tour = append(tour, next)
		cur = next
	}
	return tour
}

// exhaustiveMax is the largest day solved by trying every order: 7! = 5040 orders take well
// under a millisecond and give the exact best.
const exhaustiveMax = 7

// exhaustive tries every order of the stops and keeps the first best one.
func (p *problem) exhaustive() []int {
	tour := make([]int, p.size())
	for i := range tour {
		tour[i] = i
	}
	best := slices.Clone(tour)
	bestScore := p.score(best)
	var permute func(k int)
	permute = func(k int) {
		if k == len(tour) {
			if s := p.score(tour); p.better(s, bestScore) {
				copy(best, tour)
				bestScore = s
			}
			return
		}
		for i := k; i < len(tour); i++ {
			tour[k], tour[i] = tour[i], tour[k]
			permute(k + 1)
			tour[k], tour[i] = tour[i], tour[k]
		}
	}
	permute(1)
	return best
}
