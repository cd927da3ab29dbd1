package tenants

import (
	"cmp"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/platform/visits/cadence"
	"github.com/repflow/repflow/platform/visits/geo"
)

// The plan depends on the weekday the demo is made on; it must hold whatever the date.
func TestDemoPlanHoldsWhateverTheDate(t *testing.T) {
	t.Parallel()
	reps, sites := demoPlanFixture(t)
	for _, s := range sites {
		if s.room < 25 {
			t.Errorf("%s: a phone in the shop is only %.0f m from a fence's edge", s.Name, s.room)
		}
	}
	base := time.Date(2026, time.March, 2, 0, 0, 0, 0, demoZone)
	for k := range 14 {
		today := base.AddDate(0, 0, k)
		t.Run(today.Format("Mon 2006-01-02"), func(t *testing.T) {
			p := planDemo(rand.New(rand.NewPCG(demoSeed, 1)), reps, sites, today, cadence.Default())
			checkDemoPlan(t, p, reps)
		})
	}
}

func checkDemoPlan(t *testing.T, p *demoPlan, reps []*demoRep) {
	t.Helper()
	acts := map[demoAct]int{}
	suspiciousReps := map[*demoRep]bool{}
	lastWeek, earlier := 0, 0
	firstDay, lastDay := map[*demoRep]int{}, map[*demoRep]int{}
	for d, day := range p.work {
		for _, rd := range day {
			if !working(p.days[d]) || rd.day != d || len(rd.stops) == 0 {
				t.Errorf("%s on %s: %d stops", rd.rep.user.Email, p.days[d].Weekday(), len(rd.stops))
			}
			if _, ok := firstDay[rd.rep]; !ok {
				firstDay[rd.rep] = d
			}
			lastDay[rd.rep] = d
			at := rd.start
			for i, s := range rd.stops {
				acts[s.act]++
				if !s.left.Equal(at) || !s.arrive.After(s.left) || s.checkIn.Before(s.arrive) || !s.leave.After(s.checkIn) {
					t.Errorf("%s stop %d on day %d is out of time order", rd.rep.user.Email, i, d)
				}
				at = s.leave
				switch {
				case s.act == actTeleport && i != 0:
					t.Errorf("teleport on day %d is not the day's first stop", d)
				case s.act == actReplay && (s.replays == nil || s.replays.act != actCheckIn || s.replays.day < d-6 || s.replays.day >= d ||
					s.claim != s.replays.claim || s.acc != s.replays.acc || s.site != s.replays.site):
					t.Errorf("replay on day %d copies %+v", d, s.replays)
				}
				if s.act < actNearby {
					continue
				}
				suspiciousReps[rd.rep] = true
				if d >= len(p.days)-7 {
					lastWeek++
				} else {
					earlier++
				}
			}
		}
	}
	want := map[demoAct]int{}
	for _, s := range demoSuspicious {
		want[s.act]++
	}
	for act, n := range want {
		if acts[act] != n {
			t.Errorf("%d stops of act %d, want %d", acts[act], act, n)
		}
	}
	if acts[actTrackOnly] < 3 || acts[actCheckIn] < 200 {
		t.Errorf("acts %v", acts)
	}
	if len(suspiciousReps) != len(demoSuspicious) || lastWeek < 1 || earlier < 5 {
		t.Errorf("suspicious visits by %d reps, %d in the last week and %d before", len(suspiciousReps), lastWeek, earlier)
	}
	for _, r := range reps {
		if firstDay[r] > 1 || lastDay[r] < len(p.days)-2 {
			t.Errorf("%s goes out from day %d to day %d of %d", r.user.Email, firstDay[r], lastDay[r], len(p.days))
		}
	}
}

// demoPlanFixture makes the demo's reps and customers as buildDemo would, without a database.
func demoPlanFixture(t *testing.T) ([]*demoRep, []*demoSite) {
	t.Helper()
	byKey := map[string]*demoRep{}
	var sites []*demoSite
	for _, c := range demoCustomers {
		loc := geo.Point{Lat: c.lat, Lon: c.lon}
		if c.datum == visits.GCJ02 {
			loc = geo.FromGCJ02(loc)
		}
		var fence geo.Fence = geo.Circle{Center: loc, Radius: c.radius}
		if c.outline != nil {
			c.lat, c.lon = loc.Lat, loc.Lon
			raw, err := c.polygon()
			if err != nil {
				t.Fatal(err)
			}
			if fence, err = geo.ParsePolygon(raw); err != nil {
				t.Fatal(err)
			}
		}
		s := &demoSite{Customer: visits.Customer{ID: uuid.New(), Name: c.name, Grade: c.grade, Location: loc, Fence: fence}}
		sites = append(sites, s)
		key := fmt.Sprintf("rep.%s.%d", c.city, c.rep+1)
		if byKey[key] == nil {
			byKey[key] = &demoRep{}
			byKey[key].user.Email = key
		}
		byKey[key].sites = append(byKey[key].sites, s)
	}
	for _, s := range sites {
		s.heart, s.room = heartOf(s, sites)
	}
	reps := slices.SortedFunc(maps.Values(byKey), func(a, b *demoRep) int { return cmp.Compare(a.user.Email, b.user.Email) })
	rng := rand.New(rand.NewPCG(1, 2))
	for _, r := range reps {
		r.home = clearSpot(rng, r.sites[0].heart, 3000, 6000, sites)
	}
	return reps, sites
}
