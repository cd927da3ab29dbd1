package route

// move is a candidate change of the tour: reversing positions from..to (2-opt), or taking the
// stretch first..last out and putting it back after the node now at position after (Or-opt).
type move struct {
	orOpt       bool
	from, to    int // the positions whose stops change; the rest of the tour stays put
	first, last int
	after       int
	reversed    bool
}

// twoOptMove removes edges e1 < e2 and reverses the positions between them.
func twoOptMove(e1, e2 int) move { return move{from: e1 + 1, to: e2} }

// orOptMove moves positions first..last after position after, which lies outside them and is
// not first-1.
func orOptMove(first, last, after int, reversed bool) move {
	return move{orOpt: true, first: first, last: last, after: after, reversed: reversed,
		from: min(first, after+1), to: max(last, after)}
}

// delta is m's change in tour length, in O(1).
func (s *search) delta(m move) float64 {
	c := s.p.cost
	if !m.orOpt {
		a, b, x, y := s.tour[m.from-1], s.tour[m.from], s.tour[m.to], s.at(m.to+1)
		return c[a][x] + c[b][y] - c[a][b] - c[x][y] +
			(s.bwd[m.to] - s.bwd[m.from]) - (s.fwd[m.to] - s.fwd[m.from])
	}
	saved, turn := s.cut(m.first, m.last)
	return s.insertion(m, saved, turn)
}

// cut is what taking positions first..last out of the tour saves, and what driving them in
// reverse costs extra: Or-opt computes it once for every place it tries to put them.
func (s *search) cut(first, last int) (saved, turn float64) {
	c := s.p.cost
	prev, head, tail, next := s.tour[first-1], s.tour[first], s.tour[last], s.at(last+1)
	saved = c[prev][head] + c[tail][next] - c[prev][next]
	turn = (s.bwd[last] - s.bwd[first]) - (s.fwd[last] - s.fwd[first])
	return saved, turn
}

// insertion is Or-opt move m's change in length given what its cut saves and turning costs.
func (s *search) insertion(m move, saved, turn float64) float64 {
	c := s.p.cost
	head, tail := s.tour[m.first], s.tour[m.last]
	u, v := s.tour[m.after], s.at(m.after+1)
	if m.reversed {
		return c[u][tail] + c[head][v] + turn - c[u][v] - saved
	}
	return c[u][head] + c[tail][v] - c[u][v] - saved
}

// node is the stop at position i once m is applied.
func (s *search) node(m move, i int) int {
	if i < m.from || i > m.to {
		return s.tour[i]
	}
	if !m.orOpt {
		return s.tour[m.from+m.to-i]
	}
	seg := m.last - m.first + 1
	j := i - (m.after + 1) // index into the stretch when it lands after an earlier position
	if m.after > m.last {
		if i <= m.after-seg {
			return s.tour[i+seg]
		}
		j = i - (m.after - seg + 1)
	} else if i > m.after+seg {
		return s.tour[i-seg]
	}
	if m.reversed {
		return s.tour[m.last-j]
	}
	return s.tour[m.first+j]
}

// buildOrOpt writes the tour with m's stretch moved.
func (s *search) buildOrOpt(dst []int, m move) {
	copy(dst, s.tour)
	for i := m.from; i <= m.to; i++ {
		dst[i] = s.node(m, i)
	}
}
