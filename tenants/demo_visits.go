package tenants

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/platform/visits/geo"
)

// demoZone is the demo tenant's time zone, Asia/Shanghai, which has kept UTC+8 without daylight
// saving since 1991: a fixed zone needs no time zone database on the machine.
var demoZone = time.FixedZone("CST", 8*60*60)

// demoSeed makes every demo's history the same kind of history.
const demoSeed = 20260

// demoRep is a demo rep with what the replay acts as: the rep, and the rep's manager.
type demoRep struct {
	user    org.User
	ctx     context.Context
	manager context.Context // nil when the rep has no manager to review their visits
	home    geo.Point
	sites   []*demoSite
}

// demoSite is a customer with the spot in it where its rep stands.
type demoSite struct {
	visits.Customer
	heart geo.Point
	room  float64
}

// demoClock is the replay service's clock, set to each moment of the past it records.
type demoClock struct{ t time.Time }

func (c *demoClock) now() time.Time { return c.t }

// buildDemoVisits gives the demo's reps 13 weeks of field work up to the day before now: tracks,
// check-ins and check-outs with notes, a few visits only the track recorded, a few fakes the
// trust checks catch and the managers' reviews of them, all through a visits service whose clock
// replays each moment, so everything passes the same checks as a phone's requests would.
// It returns what the sales work builds on: the reps and the visits that really happened.
func (p *Provisioner) buildDemoVisits(ctx context.Context, now time.Time) (*demoHistory, error) {
	clock := &demoClock{}
	svc := visits.NewService(p.store, p.warden, visits.Options{Now: clock.now})
	rng := rand.New(rand.NewPCG(demoSeed, 1))
	reps, sites, err := p.demoTeam(ctx, svc, rng)
	if err != nil {
		return nil, err
	}
	cad, err := svc.Cadences(ctx)
	if err != nil {
		return nil, err
	}
	y, m, d := now.In(demoZone).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, demoZone)
	plan := planDemo(rng, reps, sites, today, cad)
	r := &demoReplay{svc: svc, clock: clock, rng: rand.New(rand.NewPCG(demoSeed, 2)), plan: plan}
	if err := r.run(); err != nil {
		return nil, fmt.Errorf("demo visits: %w", err)
	}
	return &demoHistory{reps: reps, sites: sites, visits: r.honest, days: plan.days, today: today}, nil
}

// demoHistory is the field work as recorded: the reps, the customers, the visits that really
// happened (neither faked nor only tracked), oldest first, and the demo's days up to today.
type demoHistory struct {
	reps   []*demoRep
	sites  []*demoSite
	visits []demoVisit
	days   []time.Time
	today  time.Time
}

// demoTeam loads the demo's reps, acting as each of them and their managers, with their
// customers (ordered by name, so the plan does not depend on ids) and a home to set off from.
func (p *Provisioner) demoTeam(ctx context.Context, svc *visits.Service, rng *rand.Rand) ([]*demoRep, []*demoSite, error) {
	tenant := identity.TenantID(ctx)
	acting := map[uuid.UUID]context.Context{}
	as := func(user uuid.UUID) (context.Context, error) {
		if c, ok := acting[user]; ok {
			return c, nil
		}
		principal, err := p.org.Principal(identity.System(ctx, tenant), user)
		if err != nil {
			return nil, err
		}
		acting[user] = identity.With(ctx, principal)
		return acting[user], nil
	}
	page, err := p.org.ListUsers(ctx, org.UserFilter{Role: identity.RoleRep, Status: org.StatusActive, Limit: org.MaxPageSize})
	if err != nil {
		return nil, nil, err
	}
	users := slices.SortedFunc(slices.Values(page.Users), func(a, b org.User) int { return strings.Compare(a.Email, b.Email) })
	var sites []*demoSite
	for f := (visits.CustomerFilter{Limit: visits.MaxPageSize}); ; {
		page, err := svc.ListCustomers(ctx, f)
		if err != nil {
			return nil, nil, err
		}
		for _, c := range page.Customers {
			sites = append(sites, &demoSite{Customer: c})
		}
		if page.Next == nil {
			break
		}
		f.After = page.Next
	}
	slices.SortFunc(sites, func(a, b *demoSite) int { return cmp.Compare(a.Name, b.Name) })
	for _, s := range sites {
		s.heart, s.room = heartOf(s, sites)
	}
	var reps []*demoRep
	for _, u := range users {
		r := &demoRep{user: u}
		for _, s := range sites {
			if s.OwnerID == u.ID {
				r.sites = append(r.sites, s)
			}
		}
		if len(r.sites) == 0 {
			continue
		}
		if r.ctx, err = as(u.ID); err != nil {
			return nil, nil, err
		}
		if u.ManagerID != nil {
			if r.manager, err = as(*u.ManagerID); err != nil {
				return nil, nil, err
			}
		}
		var centre geo.Point
		for _, s := range r.sites {
			centre.Lat += s.heart.Lat / float64(len(r.sites))
			centre.Lon += s.heart.Lon / float64(len(r.sites))
		}
		r.home = clearSpot(rng, centre, 3000, 6000, sites)
		reps = append(reps, r)
	}
	return reps, sites, nil
}

// demoReplay records a plan through the visits service, moment by moment.
type demoReplay struct {
	svc   *visits.Service
	clock *demoClock
	rng   *rand.Rand
	plan  *demoPlan
	// honest collects the checked-in visits that happened, for the sales work done on them.
	honest []demoVisit
	// note writes a check-out note for a visit to the customer named name at t (nil: demoNote,
	// the food trade's).
	note func(rng *rand.Rand, name string, t time.Time) string
}

// demoVisit is a check-in the replay recorded: a suspicious one waits for its rep's manager.
type demoVisit struct {
	rep   *demoRep
	stop  *demoStop
	visit visits.Visit
}

// run records the plan day by day. Each working morning the managers review the suspicious
// visits of the day before; those of the last week are left waiting in their queues.
func (r *demoReplay) run() error {
	days := r.plan.days
	reviews := map[int][]demoVisit{}
	for d, day := range days {
		for _, rv := range reviews[d] {
			if err := r.review(day, rv); err != nil {
				return err
			}
		}
		for _, rd := range r.plan.work[d] {
			checked, err := r.repDay(rd)
			if err != nil {
				return fmt.Errorf("%s on %s: %w", rd.rep.user.Email, day.Format(time.DateOnly), err)
			}
			if d >= len(days)-7 || rd.rep.manager == nil {
				continue
			}
			next := d + 1
			if !working(days[next]) {
				next++
			}
			for _, rv := range checked {
				if !rv.visit.Verdict.Trusted {
					reviews[next] = append(reviews[next], rv)
				}
			}
		}
	}
	return nil
}

// repDay records a rep's day: for each stop the drive there, the check-in, the time at the
// customer and the check-out; then the drive home. It returns the check-ins' visits.
func (r *demoReplay) repDay(rd *demoRepDay) ([]demoVisit, error) {
	rep, from := rd.rep, rd.rep.home
	var checked []demoVisit
	for _, s := range rd.stops {
		mock := s.act == actMock
		var fixes []visits.TrackFix
		if s.act == actTeleport {
			fixes = r.jumpTrack(s)
		} else {
			fixes = r.trip(from, s.park, s.left, s.arrive, mock)
		}
		if err := r.ingest(rep, s.arrive, fixes); err != nil {
			return nil, err
		}
		var v visits.Visit
		if s.act != actTrackOnly {
			r.clock.t = s.checkIn
			var err error
			v, _, err = r.svc.CheckIn(rep.ctx, visits.CheckInInput{ClientID: identity.NewID(), CustomerID: s.site.ID,
				Position: visits.Position{Point: s.claim, Datum: visits.WGS84}, Accuracy: s.acc, DeviceTime: s.checkIn,
				Mock: mock, Provider: "fused"})
			if err != nil {
				return nil, err
			}
			checked = append(checked, demoVisit{rep: rep, stop: s, visit: v})
			if s.act == actCheckIn || s.act == actNearby {
				r.honest = append(r.honest, demoVisit{rep: rep, stop: s, visit: v})
			}
		}
		room := 25.0 // a café is far from every fence
		if s.at == s.site.heart {
			room = s.site.room
		}
		if err := r.ingest(rep, s.leave, r.stay(s.at, room, s.arrive, s.leave, mock)); err != nil {
			return nil, err
		}
		if s.act != actTrackOnly {
			out := s.at
			if s.act == actMock || s.act == actReplay {
				out = s.claim // the faked position, still
			}
			note := r.note
			if note == nil {
				note = demoNote
			}
			notes := note(r.rng, s.site.Name, s.leave)
			r.clock.t = s.leave
			_, err := r.svc.CheckOut(rep.ctx, v.ID, visits.CheckOutInput{Position: visits.Position{Point: scatter(r.rng, out, 3), Datum: visits.WGS84},
				Accuracy: s.acc, DeviceTime: s.leave, Notes: &notes})
			if err != nil {
				return nil, err
			}
		}
		from = s.at
	}
	last := rd.stops[len(rd.stops)-1]
	home := last.leave.Add(drive(r.rng, from, rep.home))
	return checked, r.ingest(rep, home, r.trip(from, rep.home, last.leave, home, false))
}

// ingest sends a batch of the rep's fixes as the phone would when the clock says at.
func (r *demoReplay) ingest(rep *demoRep, at time.Time, fixes []visits.TrackFix) error {
	r.clock.t = at
	_, err := r.svc.IngestTrack(rep.ctx, visits.TrackBatch{Datum: visits.WGS84, Fixes: fixes})
	return err
}

// review has the rep's manager decide on a suspicious visit the morning after: the fakes are
// rejected, the check-ins from across the road accepted.
func (r *demoReplay) review(day time.Time, rv demoVisit) error {
	r.clock.t = day.Add(8*time.Hour + minutes(r.rng, 5, 45))
	decision, comment := demoReviewOf(r.rng, rv.stop)
	if _, err := r.svc.ReviewVisit(rv.rep.manager, rv.visit.ID, decision, comment); err != nil {
		return fmt.Errorf("review visit of %s: %w", rv.rep.user.Email, err)
	}
	return nil
}
