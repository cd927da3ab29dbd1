package tenants

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/platform/visits/geo"
)

// The demo's places and tracks. Across a city the earth is flat enough to turn metres into
// degrees with the local scale.

const metresPerDegree = geo.EarthRadius * math.Pi / 180

// offset is p moved north and east by so many metres.
func offset(p geo.Point, north, east float64) geo.Point {
	return geo.Point{Lat: p.Lat + north/metresPerDegree, Lon: p.Lon + east/(metresPerDegree*math.Cos(p.Lat*math.Pi/180))}
}

// toward is p moved metres along bearing (radians clockwise from north).
func toward(p geo.Point, bearing, metres float64) geo.Point {
	return offset(p, metres*math.Cos(bearing), metres*math.Sin(bearing))
}

// scatter is p as a phone reports it: off by GPS noise of sigma metres each way.
func scatter(rng *rand.Rand, p geo.Point, sigma float64) geo.Point {
	return offset(p, rng.NormFloat64()*sigma, rng.NormFloat64()*sigma)
}

// between is the point a fraction f of the way from a to b.
func between(a, b geo.Point, f float64) geo.Point {
	return geo.Point{Lat: a.Lat + (b.Lat-a.Lat)*f, Lon: a.Lon + (b.Lon-a.Lon)*f}
}

// clearOf reports whether p is at least metres outside every customer's fence.
func clearOf(p geo.Point, sites []*demoSite, metres float64) bool {
	for _, s := range sites {
		if s.Fence.Distance(p) < metres {
			return false
		}
	}
	return true
}

// clearSpot is a place lo to hi metres from centre and 250 m clear of every customer's fence (a
// home, a café), so that time spent there never looks like a visit.
func clearSpot(rng *rand.Rand, centre geo.Point, lo, hi float64, sites []*demoSite) geo.Point {
	var p geo.Point
	for range 100 {
		p = toward(centre, rng.Float64()*2*math.Pi, lo+rng.Float64()*(hi-lo))
		if clearOf(p, sites, 250) {
			break
		}
	}
	return p
}

// acrossTheRoad is where a rep parks when the shop's own bay is taken: 45 to 80 m outside its
// fence (the check-ins allow 30), in no other customer's.
func acrossTheRoad(rng *rand.Rand, s *demoSite, sites []*demoSite) geo.Point {
	var p geo.Point
	for range 100 {
		bearing, want := rng.Float64()*2*math.Pi, 45+rng.Float64()*35
		p = s.heart
		for step := 0; s.Fence.Distance(p) < want && step < 100; step++ {
			p = toward(p, bearing, 5)
		}
		if clearOf(p, sites, 40) {
			break
		}
	}
	return p
}

// heartOf is where a rep stands in a shop: on a 5 m grid around its location, the point deepest
// inside its fence and farthest from the fences of its neighbours, preferring the location
// itself. room is that point's margin to the nearest fence edge.
func heartOf(s *demoSite, sites []*demoSite) (heart geo.Point, room float64) {
	var near []*demoSite
	for _, o := range sites {
		if o != s && geo.Distance(o.Location, s.Location) < 1000 {
			near = append(near, o)
		}
	}
	heart, room = s.Location, math.Inf(-1)
	best := math.Inf(-1)
	for n := -60.0; n <= 60; n += 5 {
		for e := -60.0; e <= 60; e += 5 {
			p := offset(s.Location, n, e)
			r := -s.Fence.Distance(p)
			for _, o := range near {
				r = min(r, o.Fence.Distance(p))
			}
			if score := r - 0.05*math.Hypot(n, e); score > best {
				heart, room, best = p, r, score
			}
		}
	}
	return heart, room
}

// trip is the track of a drive from a to b, setting off at t0 and arriving at t1: two fixes as
// the rep drives off, then one every 30 to 60 s over the last four to eight minutes. The rep
// drives at city speed (faster when the plan leaves less time) and spends the rest of the time,
// a lunch say, off the record.
func (r *demoReplay) trip(a, b geo.Point, t0, t1 time.Time, mock bool) []visits.TrackFix {
	d, total := max(geo.Distance(a, b), 1), t1.Sub(t0).Seconds()
	v := max(7.0, d/max(total-60, 30)) // metres per second
	var fixes []visits.TrackFix
	for _, s := range []float64{60, 120} {
		if v*s <= d/2 && s < total-180 {
			fixes = append(fixes, r.fix(t0.Add(time.Duration(s)*time.Second), between(a, b, v*s/d), mock))
		}
	}
	start := t1.Add(-time.Duration(min(d/v, total-150) * float64(time.Second)))
	if tail := t1.Add(-minutes(r.rng, 4, 8)); tail.After(start) {
		start = tail
	}
	for t := start; t.Before(t1.Add(-20 * time.Second)); t = t.Add(seconds(r.rng, 30, 60)) {
		fixes = append(fixes, r.fix(t, between(b, a, min(1, v*t1.Sub(t).Seconds()/d)), mock))
	}
	return append(fixes, r.fix(t1.Add(-seconds(r.rng, 2, 15)), b, mock))
}

// stay is the track of a phone left at p from t0 to t1: a fix every three to six minutes and one
// just before leaving, accurate enough to be room metres inside the fence around p.
func (r *demoReplay) stay(p geo.Point, room float64, t0, t1 time.Time, mock bool) []visits.TrackFix {
	var fixes []visits.TrackFix
	still := func(t time.Time) {
		acc := min(5+r.rng.Float64()*15, max(4, room-12))
		fixes = append(fixes, visits.TrackFix{ClientID: identity.NewID(), Time: t, Point: scatter(r.rng, p, 2),
			Accuracy: tenths(acc), Provider: "fused", Mock: mock})
	}
	for t := t0.Add(minutes(r.rng, 1, 3)); t.Before(t1.Add(-time.Minute)); t = t.Add(minutes(r.rng, 3, 6)) {
		still(t)
	}
	still(t1.Add(-seconds(r.rng, 0, 40)))
	return fixes
}

// jumpTrack is the track of a phone idling at s.jump, far from the customer, up to a minute
// before the check-in there.
func (r *demoReplay) jumpTrack(s *demoStop) []visits.TrackFix {
	last := s.checkIn.Add(-time.Minute)
	var fixes []visits.TrackFix
	for t := last.Add(-minutes(r.rng, 6, 9)); t.Before(last.Add(-30 * time.Second)); t = t.Add(seconds(r.rng, 60, 90)) {
		fixes = append(fixes, r.fix(t, s.jump, false))
	}
	return append(fixes, r.fix(last, s.jump, false))
}

// fix is one fix of a moving phone: 5 to 30 m accurate, off by about a third of that.
func (r *demoReplay) fix(t time.Time, p geo.Point, mock bool) visits.TrackFix {
	acc := 5 + r.rng.Float64()*25
	return visits.TrackFix{ClientID: identity.NewID(), Time: t, Point: scatter(r.rng, p, acc/3),
		Accuracy: tenths(acc), Provider: "fused", Mock: mock}
}
