package tenants

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/repflow/repflow/platform/visits/cadence"
	"github.com/repflow/repflow/platform/visits/geo"
)

// The demo's field work is planned before any of it is recorded: which rep visits which customer
// on which day, when, where the phone is, and which visits are faked. Planning draws from a
// seeded generator only, so every demo gets the same kind of history; only the dates follow the
// day the demo is made.

// demoDays is how many days of field work the demo has, up to yesterday: 13 weeks, so that
// whichever weekday the demo is made on, the first and the last working day are at least 89
// days apart.
const demoDays = 91

// demoAct is how a planned visit is recorded.
type demoAct int

const (
	actCheckIn   demoAct = iota // an honest visit: check-in inside the fence, check-out
	actTrackOnly                // the rep forgot to check in: only the track's dwell records the visit
	actNearby                   // honest, but checked in from across the road: outside the fence, accepted on review
	actFarAway                  // fake: checked in from a café 2 km from the customer
	actMock                     // fake: a mock-location app put the phone at the customer
	actTeleport                 // fake: the track is 60 km away a minute before the check-in
	actReplay                   // fake: an earlier check-in's fix sent again, for a visit that never happened
)

// fake reports whether the act is a visit that did not happen, which the manager rejects.
func (a demoAct) fake() bool { return a >= actFarAway }

// demoSuspicious places the suspicious visits over the 13 weeks (as a fraction of them), each on
// another rep. About one visit in sixty is faked, as in a team where a few reps try it once; the
// last two fall in the last week, whose reviews are left for the demo's managers to do.
var demoSuspicious = []struct {
	act demoAct
	at  float64
}{
	{actReplay, 0.42}, {actFarAway, 0.10}, {actNearby, 0.20}, {actMock, 0.27}, {actTeleport, 0.58},
	{actNearby, 0.66}, {actFarAway, 0.76}, {actMock, 0.95}, {actNearby, 0.97},
}

// demoTrackOnlyEvery is how often a rep forgets to check in: every so many visits.
const demoTrackOnlyEvery = 25

// demoPlan is the demo's field work: per day, the days of the reps who went out.
type demoPlan struct {
	days []time.Time // local midnights, oldest first; the last is yesterday
	work [][]*demoRepDay
}

// demoRepDay is one rep's working day: leaving home, the stops in order, back home.
type demoRepDay struct {
	rep   *demoRep
	day   int
	start time.Time
	stops []*demoStop
}

// demoStop is one planned visit (or what a faker claims was one).
type demoStop struct {
	site    *demoSite
	act     demoAct
	day     int
	left    time.Time // when the rep set off from the previous place
	arrive  time.Time // when the drive ended, at park
	checkIn time.Time
	leave   time.Time
	park    geo.Point // where the drive ended
	at      geo.Point // where the phone stayed until leaving
	jump    geo.Point // actTeleport: where the track is a minute before the check-in
	claim   geo.Point // the check-in's position
	acc     float64   // the check-in's accuracy
	replays *demoStop // actReplay: the check-in whose fix is sent again
}

// planDemo plans the reps' days from 13 weeks ago to yesterday: Monday to Saturday, less two days
// off each, visiting the customers their grade's cadence makes due (a day early now and then, or
// a day late on a busy one), nearest first. Each rep goes out on the first and the last working
// day, so the history spans the whole 13 weeks.
func planDemo(rng *rand.Rand, reps []*demoRep, sites []*demoSite, today time.Time, cad cadence.Cadences) *demoPlan {
	p := &demoPlan{work: make([][]*demoRepDay, demoDays)}
	for i := demoDays; i >= 1; i-- {
		p.days = append(p.days, today.AddDate(0, 0, -i))
	}
	first := slices.IndexFunc(p.days, working)
	last := len(p.days) - 1
	for !working(p.days[last]) {
		last--
	}
	every := func(s *demoSite) int { return max(1, cad[string(s.Grade)]) }
	next := map[*demoSite]int{}
	off := map[*demoRep]map[int]bool{}
	for _, r := range reps {
		for _, s := range r.sites {
			next[s] = rng.IntN(every(s)) // as if last visited some time before the demo began
		}
		off[r] = map[int]bool{}
		for len(off[r]) < 2 {
			if d := first + 1 + rng.IntN(last-first-1); working(p.days[d]) {
				off[r][d] = true
			}
		}
	}
	for d, day := range p.days {
		if !working(day) {
			continue
		}
		for _, r := range reps {
			if off[r][d] {
				continue
			}
			var due []*demoSite
			for _, s := range r.sites {
				late := next[s] <= d && (next[s] < d-2 || rng.Float64() >= 0.08)
				early := next[s] == d+1 && rng.Float64() < 0.2
				if late || early {
					due = append(due, s)
				}
			}
			if len(due) == 0 && (d == first || d == last) {
				due = []*demoSite{slices.MinFunc(r.sites, func(a, b *demoSite) int { return cmp.Compare(next[a], next[b]) })}
			}
			if len(due) == 0 {
				continue
			}
			for _, s := range due {
				next[s] = d + every(s)
			}
			p.work[d] = append(p.work[d], planDay(rng, r, d, day, nearestFirst(r.home, due)))
		}
	}
	p.suspicious(rng, reps, sites)
	return p
}

// working reports whether the reps work on day: FMCG reps work Saturdays too.
func working(day time.Time) bool { return day.Weekday() != time.Sunday }

// nearestFirst orders the customers by always driving to the nearest one not yet visited.
func nearestFirst(from geo.Point, sites []*demoSite) []*demoSite {
	left := slices.Clone(sites)
	out := make([]*demoSite, 0, len(sites))
	for len(left) > 0 {
		i := 0
		for j := range left {
			if geo.Distance(from, left[j].heart) < geo.Distance(from, left[i].heart) {
				i = j
			}
		}
		out = append(out, left[i])
		from = left[i].heart
		left = slices.Delete(left, i, i+1)
	}
	return out
}

// planDay times a rep's visits: off between 08:30 and 13:30 (the rest of a rep's day goes on
// calls, orders and prospects the demo does not have), 10 to 40 minutes at each customer, and
// lunch on the way once the morning is over.
func planDay(rng *rand.Rand, r *demoRep, d int, day time.Time, sites []*demoSite) *demoRepDay {
	rd := &demoRepDay{rep: r, day: d, start: day.Add(8*time.Hour + 30*time.Minute + minutes(rng, 0, 300))}
	t, from, lunch := rd.start, r.home, false
	for _, s := range sites {
		stop := &demoStop{site: s, day: d, left: t, park: s.heart, at: s.heart, acc: tenths(5 + rng.Float64()*25)}
		if !lunch && t.Hour() >= 12 {
			t, lunch = t.Add(minutes(rng, 40, 70)), true
		}
		stop.arrive = t.Add(drive(rng, from, s.heart))
		stop.checkIn = stop.arrive.Add(seconds(rng, 5, 40))
		stop.leave = stop.checkIn.Add(minutes(rng, 10, 40))
		// Where the phone is at check-in: near the heart of the site, well inside its fence.
		stop.claim = scatter(rng, s.heart, min(s.room/3, 8))
		rd.stops = append(rd.stops, stop)
		t, from = stop.leave, s.heart
	}
	return rd
}

// drive is how long a drive across town takes: 1.35 times the straight line at 22 to 32 km/h,
// and a few minutes to park, at least four minutes in all.
func drive(rng *rand.Rand, a, b geo.Point) time.Duration {
	kmh := 22 + rng.Float64()*10
	d := time.Duration(geo.Distance(a, b)*1.35/(kmh/3.6)*float64(time.Second)) + minutes(rng, 2, 5)
	return max(d, 4*time.Minute)
}

// tenths rounds an accuracy to the decimetre, as phones report it.
func tenths(metres float64) float64 { return math.Round(metres*10) / 10 }

func minutes(rng *rand.Rand, lo, hi int) time.Duration {
	return time.Duration(lo)*time.Minute + time.Duration(rng.Int64N(int64(hi-lo)*int64(time.Minute)+1))
}

func seconds(rng *rand.Rand, lo, hi int) time.Duration {
	return time.Duration(lo)*time.Second + time.Duration(rng.Int64N(int64(hi-lo)*int64(time.Second)+1))
}
