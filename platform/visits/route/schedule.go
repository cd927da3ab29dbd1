package route

import "time"

// lateness is how late the tour would be with m applied, computed only as far as needed: the
// schedule up to m.from is reused, the walk stops once it passes bound (within is then false),
// and after m's stretch it stops as soon as the rest of the day is known to be unchanged or on
// time.
func (s *search) lateness(m move, bound time.Duration) (late time.Duration, within bool) {
	t, late := s.leave[m.from-1], s.lateTo[m.from-1]
	prev := s.tour[m.from-1]
	var l time.Duration
	for i := m.from; i < s.n; i++ {
		c := s.node(m, i)
		t, l = s.p.step(t, prev, c)
		if late = addSat(late, l); late > bound {
			return late, false
		}
		prev = c
		if i <= m.to {
			continue
		}
		// Past the stretch the stops are the old ones in the old order, and lateness there only
		// grows with a later start: leaving at the old time repeats the old lateness; leaving no
		// later than before keeps an on-time rest of the day on time.
		rest := s.lateTo[s.n-1] - s.lateTo[i]
		switch {
		case t == s.leave[i]:
			late = addSat(late, rest)
			return late, late <= bound
		case t < s.leave[i] && rest == 0:
			return late, true
		}
	}
	return late, true
}
