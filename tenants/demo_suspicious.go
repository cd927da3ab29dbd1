package tenants

import (
	"math/rand/v2"
	"slices"
)

// suspicious turns a few planned visits into ones the check-in's trust verdict catches, as
// demoSuspicious places them, and every demoTrackOnlyEvery-th visit into one the rep forgot to
// check in at.
func (p *demoPlan) suspicious(rng *rand.Rand, reps []*demoRep, sites []*demoSite) {
	n := 0
	for _, day := range p.work {
		for _, rd := range day {
			for _, s := range rd.stops {
				if n%demoTrackOnlyEvery == demoTrackOnlyEvery/2 {
					s.act = actTrackOnly
				}
				n++
			}
		}
	}
	used := map[*demoRep]bool{}
	sources := map[*demoStop]bool{} // check-ins a replay copies: they stay honest
	honest := func(s *demoStop) bool { return s.act == actCheckIn && !sources[s] }
	for i, f := range demoSuspicious {
		from := int(f.at * float64(len(p.days)-1))
		rd, stop := p.find(from, i*5, reps, used, func(rd *demoRepDay) *demoStop {
			switch f.act {
			case actReplay:
				return p.replayable(rd)
			case actTeleport:
				// The phone spends the morning far away, so the jump is the day's first move.
				if honest(rd.stops[0]) {
					return rd.stops[0]
				}
				return nil
			}
			if j := slices.IndexFunc(rd.stops, honest); j >= 0 {
				return rd.stops[j]
			}
			return nil
		})
		if stop == nil {
			continue // no rep went out after that day: nothing to fake
		}
		used[rd.rep] = true
		switch f.act {
		case actReplay:
			sources[stop] = true
			last := rd.stops[len(rd.stops)-1]
			s := &demoStop{site: stop.site, act: actReplay, day: rd.day, left: last.leave, replays: stop, claim: stop.claim, acc: stop.acc}
			s.arrive = s.left.Add(minutes(rng, 8, 15))
			// The rep sits in a café near the last real visit, then sends the old fix.
			s.checkIn = s.arrive.Add(minutes(rng, 8, 12))
			s.leave = s.checkIn.Add(minutes(rng, 12, 20))
			s.park = clearSpot(rng, last.at, 400, 900, sites)
			s.at = s.park
			rd.stops = append(rd.stops, s)
			continue
		case actFarAway:
			stop.park = clearSpot(rng, stop.site.Location, 1900, 2100, sites)
			stop.at, stop.claim = stop.park, scatter(rng, stop.park, 4)
		case actTeleport:
			stop.jump = clearSpot(rng, stop.site.Location, 59_000, 61_000, sites)
		case actNearby:
			stop.park = acrossTheRoad(rng, stop.site, sites)
			stop.claim, stop.acc = scatter(rng, stop.park, 3), tenths(10+rng.Float64()*10)
		}
		stop.act = f.act
	}
}

// find looks from day `from` on for a rep's day where pick finds a visit, trying the reps in an
// order rotated by rotate, those not used yet first.
func (p *demoPlan) find(from, rotate int, reps []*demoRep, used map[*demoRep]bool, pick func(*demoRepDay) *demoStop) (*demoRepDay, *demoStop) {
	for _, anyRep := range []bool{false, true} {
		for d := from; d < len(p.work); d++ {
			for k := range reps {
				r := reps[(k+rotate)%len(reps)]
				if used[r] && !anyRep {
					continue
				}
				for _, rd := range p.work[d] {
					if rd.rep != r {
						continue
					}
					if s := pick(rd); s != nil {
						return rd, s
					}
				}
			}
		}
	}
	return nil, nil
}

// replayable is the rep's latest honest check-in of the six days before rd at a customer rd
// does not visit: the trust verdict compares a check-in with the rep's check-ins of the last
// seven days.
func (p *demoPlan) replayable(rd *demoRepDay) *demoStop {
	for d := rd.day - 1; d >= max(0, rd.day-6); d-- {
		for _, earlier := range p.work[d] {
			if earlier.rep != rd.rep {
				continue
			}
			for i := len(earlier.stops) - 1; i >= 0; i-- {
				s := earlier.stops[i]
				today := slices.ContainsFunc(rd.stops, func(t *demoStop) bool { return t.site == s.site })
				if s.act == actCheckIn && !today {
					return s
				}
			}
		}
	}
	return nil
}
