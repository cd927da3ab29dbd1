package tenants

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/visits/trust"
)

// A rep's day of visits: from about 07:30, a short drive and 5 to 14 minutes at each shop, the
// shops drawn by grade (an A shop three times as often as a C). Out of every thousand visits
// thirty were recorded only by the track (the rep forgot to check in) and ten check-ins were
// suspicious: from across the road (accepted on review), from far away or from a mock-location
// app (rejected). Check-ins get the trust checks' own verdict, and are stored as the visits
// service stores a check-in with its notes and a check-out.
const (
	loadTrackOnlyPerMille  = 30
	loadSuspiciousPerMille = 10
	loadNotesShare         = 0.3 // check-ins with notes
)

// loadStop is a visit that really happened and was checked in, which orders and shelf checks
// are taken on.
type loadStop struct {
	id      uuid.UUID
	shop    *loadCustomer
	in, out time.Time
}

// visitDay records n visits of the rep on day and returns those checked in honestly.
func (g *loadGen) visitDay(rng *rand.Rand, b *loadBatch, r *loadRep, day time.Time, n int) []loadStop {
	var honest []loadStop
	t := day.Add(7*time.Hour + 30*time.Minute + minutes(rng, 0, 45))
	for _, c := range r.pickShops(rng, n) {
		arrive := t.Add(minutes(rng, 2, 6))
		v := loadVisit{id: identity.NewID(), rep: r, customer: c, start: arrive.Add(seconds(rng, 5, 40)),
			review: string(visits.ReviewNone), trusted: true, verdict: g.clean}
		v.end = v.start.Add(minutes(rng, 5, 14))
		t, v.updated = v.end, v.end
		switch x := rng.IntN(1000); {
		case x < loadTrackOnlyPerMille:
			// The dwell in the fence opened the visit when the rep arrived and closed it on leaving.
			v.source, v.start = string(visits.SourceAuto), arrive
			r.tally.Visits++
		case x < loadTrackOnlyPerMille+loadSuspiciousPerMille:
			g.checkIn(rng, b, &v, []demoAct{actNearby, actFarAway, actMock}[rng.IntN(3)])
		default:
			g.checkIn(rng, b, &v, actCheckIn)
			honest = append(honest, loadStop{id: v.id, shop: c, in: v.start, out: v.end})
		}
		b.visits = append(b.visits, v)
	}
	return honest
}

// pickShops draws n of the rep's shops, no shop twice, by grade.
func (r *loadRep) pickShops(rng *rand.Rand, n int) []*loadCustomer {
	n = min(n, len(r.shops))
	out := make([]*loadCustomer, 0, n)
	seen := make(map[*loadCustomer]bool, n)
	for len(out) < n {
		c := r.byWeight[rng.IntN(len(r.byWeight))]
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// checkIn fills in a checked-in visit: where the phone was at check-in and check-out, the
// verdict of the trust checks on it, its first revision and, for a suspicious one, the
// manager's review the next working morning (unless that is after the data ends).
func (g *loadGen) checkIn(rng *rand.Rand, b *loadBatch, v *loadVisit, act demoAct) {
	c, r := v.customer, v.rep
	fence := geo.Circle{Center: c.at, Radius: c.radius}
	claim := scatter(rng, c.at, min(c.radius/3, 8))
	switch act {
	case actNearby:
		claim = toward(c.at, rng.Float64()*2*math.Pi, c.radius+45+35*rng.Float64())
	case actFarAway:
		claim = toward(c.at, rng.Float64()*2*math.Pi, 2000+500*rng.Float64())
	}
	fix := trust.Fix{Point: claim, Accuracy: tenths(5 + rng.Float64()*25), DeviceTime: v.start.Add(-seconds(rng, 1, 3)),
		Mock: act == actMock, Provider: "fused"}
	verdict := trust.Evaluate(trust.CheckIn{Fix: fix, ServerTime: v.start, Fence: fence}, g.policy)
	v.trusted, v.verdict = verdict.Trusted, g.clean
	if !verdict.Trusted || len(verdict.Reasons) > 0 {
		raw, _ := json.Marshal(verdict) // a struct of strings and numbers always encodes
		v.verdict = string(raw)
	}
	distance := fence.Distance(claim)
	client := identity.NewID()
	v.source, v.clientID, v.distance, v.revision = string(visits.SourceCheckIn), &client, &distance, 1
	v.in = &loadReading{lat: claim.Lat, lon: claim.Lon, accuracy: fix.Accuracy, device: fix.DeviceTime, mock: fix.Mock}
	out := scatter(rng, c.at, 3)
	if act == actFarAway || act == actMock {
		out = scatter(rng, claim, 3) // the faked position, still
	}
	v.out = &loadReading{lat: out.Lat, lon: out.Lon, accuracy: tenths(5 + rng.Float64()*25), device: v.end}
	notes := ""
	if rng.Float64() < loadNotesShare {
		notes = demoNote(rng, c.name, v.start)
	}
	b.revisions = append(b.revisions, loadRevision{visit: v.id, notes: notes, author: r.id, at: v.start})
	if !v.trusted {
		v.review = string(visits.ReviewPending)
		at := workday(v.start, 1).Add(8*time.Hour + minutes(rng, 0, 45))
		if at.Before(g.to) {
			decision, comment := demoReviewOf(rng, &demoStop{act: act})
			v.review, v.updated = string(decision), at
			b.reviews = append(b.reviews, loadReview{id: identity.NewID(), visit: v.id, decision: string(decision), comment: comment,
				reviewer: r.manager, at: at})
		}
	}
	r.tally.CheckIns++
	if v.review != string(visits.ReviewRejected) {
		r.tally.Visits++
		if v.trusted || v.review == string(visits.ReviewAccepted) {
			r.tally.VerifiedCheckIns++
		}
	}
}
