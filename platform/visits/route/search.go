package route

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// search improves one tour in place with 2-opt and Or-opt moves. Tour positions run 0..n-1 with
// the start fixed at position 0; edge k goes from tour[k] to tour[(k+1)%n].
//
// Costs may be asymmetric (one-way streets; and an open path's free edges back to the start), so
// reversing a stretch of the tour changes the cost of the stretch itself. The prefix sums fwd and
// bwd give that change in O(1): fwd[k] sums edges 0..k-1 as driven, bwd[k] the same edges driven
// backwards. They are rebuilt in O(n) after each applied move, which is rare next to evaluations.
type search struct {
	p        *problem
	n        int
	neigh    [][]int // per node, the nodes its moves try to link it to, nearest first
	tour     []int
	pos      []int // pos[node] is its position in tour
	fwd, bwd []float64
	cur      score
	leave    []time.Duration // with windows: when the rep leaves position i
	lateTo   []time.Duration // with windows: lateness summed over positions 0..i
	scratch  []int
	queue    []int  // nodes whose don't-look bit is off
	queued   []bool // don't-look bits, inverted
	ctx      context.Context
	steps    int
}

func newSearch(ctx context.Context, p *problem, tour []int, neighbours int) *search {
	n := p.size()
	s := &search{
		p: p, n: n, tour: tour, pos: make([]int, n), fwd: make([]float64, n+1), bwd: make([]float64, n+1),
		scratch: make([]int, n), queued: make([]bool, n), ctx: ctx,
	}
	if p.windows {
		s.leave, s.lateTo = make([]time.Duration, n), make([]time.Duration, n)
	}
	if neighbours <= 0 {
		neighbours = 10
	}
	s.neigh = nearest(p, min(neighbours, n-1))
	s.refresh()
	return s
}

// nearest lists each node's k closest nodes, by the cost both ways so the lists suit either
// direction of travel; ties go to the lower node so the lists are deterministic. The start is
// put on every list: moves next to it decide the first and last stop, which time windows and
// an open end care about more than closeness does.
func nearest(p *problem, k int) [][]int {
	n := p.size()
	lists := make([][]int, n)
	for a := range n {
		others := make([]int, 0, n-1)
		for b := 1; b < n; b++ {
			if b != a {
				others = append(others, b)
			}
		}
		slices.SortFunc(others, func(x, y int) int {
			if c := cmp.Compare(p.cost[a][x]+p.cost[x][a], p.cost[a][y]+p.cost[y][a]); c != 0 {
				return c
			}
			return cmp.Compare(x, y)
		})
		if a == 0 {
			lists[a] = others[:k]
		} else {
			lists[a] = append([]int{0}, others[:k-1]...)
		}
	}
	return lists
}

// refresh rebuilds positions, prefix sums and the score after the tour changed.
func (s *search) refresh() {
	t, c := s.tour, s.p.cost
	for i, node := range t {
		s.pos[node] = i
	}
	for k := range s.n {
		a, b := t[k], t[(k+1)%s.n]
		s.fwd[k+1] = s.fwd[k] + c[a][b]
		s.bwd[k+1] = s.bwd[k] + c[b][a]
	}
	s.cur = score{0, s.fwd[s.n]}
	if s.p.windows {
		for i := 1; i < s.n; i++ {
			var late time.Duration
			s.leave[i], late = s.p.step(s.leave[i-1], t[i-1], t[i])
			s.lateTo[i] = addSat(s.lateTo[i-1], late)
		}
		s.cur.late = s.lateTo[s.n-1]
	}
}

// at is the stop at position i, which may be one past either end of the tour.
func (s *search) at(i int) int {
	switch {
	case i < 0:
		i += s.n
	case i >= s.n:
		i -= s.n
	}
	return s.tour[i]
}

func (s *search) activate(nodes ...int) {
	for _, v := range nodes {
		if !s.queued[v] {
			s.queued[v] = true
			s.queue = append(s.queue, v)
		}
	}
}

// cancelled reports whether the caller gave up, looking every few steps only. The time limit
// does not stop a local search: it always runs to a local optimum, which takes milliseconds.
func (s *search) cancelled() error {
	if s.steps++; s.steps%64 != 0 {
		return nil
	}
	return s.ctx.Err()
}

// improve runs moves until no node with its don't-look bit off yields an improvement.
func (s *search) improve() error {
	for len(s.queue) > 0 {
		if err := s.cancelled(); err != nil {
			s.clearQueue()
			return err
		}
		a := s.queue[0]
		s.queue = s.queue[1:]
		s.queued[a] = false
		if s.twoOpt(a) || s.orOpt(a) {
			s.activate(a)
		}
	}
	return nil
}

func (s *search) clearQueue() {
	for _, v := range s.queue {
		s.queued[v] = false
	}
	s.queue = s.queue[:0]
}

// accept applies m if it improves the tour; delta is its change in length. Without windows the
// O(1) delta decides alone. With windows a move is scheduled when it could help: when it is
// shorter, or when the tour is late somewhere and a longer order might be on time.
func (s *search) accept(delta float64, m move) bool {
	shorter := delta < -s.p.eps
	if !shorter && (!s.p.windows || s.cur.late == 0) {
		return false
	}
	if s.p.windows {
		late, within := s.lateness(m, s.cur.late)
		if !within || (late == s.cur.late && !shorter) {
			return false
		}
	}
	if m.orOpt {
		s.buildOrOpt(s.scratch, m)
		s.tour, s.scratch = s.scratch, s.tour
	} else {
		slices.Reverse(s.tour[m.from : m.to+1])
	}
	s.refresh()
	return true
}

// twoOpt tries to link a with each neighbour c by reversing the stretch between them, on either
// side of a. Removing edges e1 < e2 and reversing positions e1+1..e2 keeps the start in place.
func (s *search) twoOpt(a int) bool {
	p := s.pos[a]
	for _, c := range s.neigh[a] {
		q := s.pos[c]
		for _, e := range [2][2]int{{p, q}, {(p - 1 + s.n) % s.n, (q - 1 + s.n) % s.n}} {
			e1, e2 := min(e[0], e[1]), max(e[0], e[1])
			if e2-e1 < 2 {
				continue
			}
			if s.try2opt(e1, e2) {
				s.activate(a, c)
				return true
			}
		}
	}
	return false
}

func (s *search) try2opt(e1, e2 int) bool {
	a, b, x, y := s.tour[e1], s.tour[e1+1], s.tour[e2], s.at(e2+1)
	m := twoOptMove(e1, e2)
	moved := s.accept(s.delta(m), m)
	if moved {
		s.activate(a, b, x, y)
	}
	return moved
}

// orOpt tries to move a stretch of one to three stops that starts or ends at a next to one of
// a's neighbours, as driven or reversed.
func (s *search) orOpt(a int) bool {
	pa := s.pos[a]
	if pa == 0 {
		return false // the start never moves
	}
	for seg := 1; seg <= 3; seg++ {
		if last := pa + seg - 1; last <= s.n-1 && s.orOptFrom(a, pa, last, true) {
			return true
		}
		if first := pa - seg + 1; first >= 1 && s.orOptFrom(a, first, pa, false) {
			return true
		}
	}
	return false
}

// orOptFrom moves the stretch first..last so that a (its first stop when atHead) sits next to
// one of a's neighbours.
func (s *search) orOptFrom(a, first, last int, atHead bool) bool {
	prev, head, tail, next := s.tour[first-1], s.tour[first], s.tour[last], s.at(last+1)
	saved, turn := s.cut(first, last)
	for _, nb := range s.neigh[a] {
		q := s.pos[nb]
		if q >= first && q <= last {
			continue
		}
		// after nb: u = nb; before nb: v = nb. The stretch's own neighbours close the gap it leaves.
		succ, pred := s.at(q+1), s.at(q-1)
		if succ == head {
			succ = next
		}
		if pred == tail {
			pred = prev
		}
		for _, after := range [2]bool{true, false} {
			u, v := pred, nb
			if after {
				u, v = nb, succ
			}
			if u == prev {
				continue // back where it was; turning it round there is a 2-opt move
			}
			// a next to nb: as driven when a leads after nb or trails before nb, else reversed.
			reversed := after != atHead
			if first == last && reversed {
				continue
			}
			m := orOptMove(first, last, s.pos[u], reversed)
			if s.accept(s.insertion(m, saved, turn), m) {
				s.activate(prev, head, tail, next, u, v)
				return true
			}
		}
	}
	return false
}
