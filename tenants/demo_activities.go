package tenants

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/activities"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/visits"
)

// demoPeople are the second contacts of the demo's shops (the first is the customer's own
// contact person); drawn in order, so every demo has the same people.
var demoPeople = []string{"Wei Dong", "Chen Xiaomei", "Zhang Wei", "Liu Fang", "Yang Jun", "Zhao Lei", "Huang Li",
	"Zhou Qing", "Wu Hao", "Xu Ying", "Sun Peng", "Ma Jing", "Hu Bin", "Guo Xin", "He Ping", "Lin Na", "Luo Ming",
	"Gao Lan", "Zheng Kai", "Liang Yu", "Song Jie", "Tang Hui", "Han Bo", "Feng Yan", "Dong Rui", "Cheng Lu"}

// demoRoles are a shop's two contacts by kind of shop: the first is the customer's contact
// person, who reports to the second.
var demoRoles = map[string][2]struct {
	title string
	role  activities.Role
}{
	"supermarket": {{"Grocery buyer", "procurement"}, {"Store manager", "decision_maker"}},
	"convenience": {{"Shift supervisor", "gatekeeper"}, {"Owner", "decision_maker"}},
	"restaurant":  {{"Head chef", "champion"}, {"Owner", "decision_maker"}},
}

// recordContacts enters two contacts, one reporting to the other, for the shops with a store
// listing and for most of the others (every A and B shop, every other C shop), as the reps did
// when the company started with repflow.
func (s *demoSales) recordContacts() error {
	s.contacts = map[*demoSite][]activities.Contact{}
	listed := map[*demoSite]bool{}
	for _, d := range s.deals {
		listed[d.site] = true
	}
	start := s.hist.days[0].Add(9 * time.Hour)
	for i, site := range s.hist.sites {
		if !listed[site] && site.Grade == visits.GradeC && i%2 == 1 {
			continue
		}
		rep := s.repOf(site)
		roles := demoRoles[demoShopKind(site.Name)]
		s.at(start.Add(time.Duration(i) * 7 * time.Minute))
		var pair []activities.Contact
		for j, name := range []string{site.ContactName, demoPeople[len(s.contacts)%len(demoPeople)]} {
			phone := site.Phone
			if j == 1 {
				phone = fmt.Sprintf("+86 139 %04d %04d", 1000+s.rng.IntN(9000), s.rng.IntN(10000))
			}
			c, err := s.activities.CreateContact(rep.ctx, activities.NewContact{CustomerID: site.ID, Name: name,
				Title: roles[j].title, Role: roles[j].role, Phone: phone})
			if err != nil {
				return fmt.Errorf("contact %s at %s: %w", name, site.Name, err)
			}
			pair = append(pair, c)
		}
		_, err := s.activities.AddRelationship(rep.ctx, pair[0].ID, activities.NewRelationship{To: pair[1].ID, Kind: activities.ReportsTo})
		if err != nil {
			return err
		}
		s.contacts[site] = pair
	}
	return nil
}

// repOf is the rep who owns the shop.
func (s *demoSales) repOf(site *demoSite) *demoRep {
	i := slices.IndexFunc(s.hist.reps, func(r *demoRep) bool { return slices.Contains(r.sites, site) })
	return s.hist.reps[i]
}

// recordActivities logs the reps' calls and messages of each week, up to two each, mostly
// in the afternoons when they are back from their visits, and the contacts of each listing.
func (s *demoSales) recordActivities() error {
	rng := rand.New(rand.NewPCG(demoSeed, 7))
	for week := 0; week*7 < len(s.hist.days); week++ {
		for _, r := range s.hist.reps {
			for range rng.IntN(3) {
				d := min(week*7+rng.IntN(7), len(s.hist.days)-1)
				site := r.sites[rng.IntN(len(r.sites))]
				at := during(rng, workday(s.hist.days[d], 0), 14, 18.5)
				if err := s.touchBase(rng, r, site, at, nil); err != nil {
					return err
				}
			}
		}
	}
	for _, d := range s.deals {
		if err := s.dealActivities(rng, d); err != nil {
			return err
		}
	}
	return nil
}

// touchBase is a rep's call or message to a shop: calls are not always answered, messages not
// always replied to (some replies are a message of their own), and now and then the shop
// starts it.
func (s *demoSales) touchBase(rng *rand.Rand, r *demoRep, site *demoSite, at time.Time, deal *uuid.UUID) error {
	in := activities.NewActivity{CustomerID: site.ID, OpportunityID: deal, OccurredAt: at, Direction: activities.Outbound}
	if cs := s.contacts[site]; len(cs) > 0 {
		in.ContactID = &cs[rng.IntN(len(cs))].ID
	}
	if rng.Float64() < 0.15 {
		in.Direction = activities.Inbound
	}
	if rng.Float64() < 0.58 {
		in.Kind, in.Outcome, in.DurationS = activities.KindCall, activities.OutcomeAnswered, 40+rng.IntN(560)
		if in.Direction == activities.Outbound {
			switch x := rng.Float64(); {
			case x < 0.14:
				in.Outcome, in.DurationS = activities.OutcomeNoAnswer, 20+rng.IntN(15)
			case x < 0.23:
				in.Outcome, in.DurationS = activities.OutcomeBusy, 0
			case x < 0.32:
				in.Outcome, in.DurationS = activities.OutcomeVoicemail, 25+rng.IntN(40)
			}
		}
		in.Notes = demoCallNote(rng, in)
		_, err := s.log(r, in)
		return err
	}
	in.Kind, in.Channel = activities.KindMessage, "wechat"
	if rng.Float64() < 0.2 {
		in.Channel = "sms"
	}
	in.Notes = pick(rng, demoMessages[in.Direction])
	replied := in.Direction == activities.Outbound && rng.Float64() < 0.62
	linked := replied && rng.Float64() < 0.4
	if replied && !linked {
		t := at.Add(minutes(rng, 5, 300))
		in.RepliedAt = &t
	}
	msg, err := s.log(r, in)
	if err != nil || !linked || msg.ID == uuid.Nil {
		return err
	}
	reply := activities.NewActivity{Kind: activities.KindMessage, CustomerID: site.ID, ContactID: in.ContactID, OpportunityID: deal,
		OccurredAt: at.Add(minutes(rng, 10, 360)), Direction: activities.Inbound, Channel: in.Channel, ReplyTo: &msg.ID,
		Notes: pick(rng, demoReplies)}
	_, err = s.log(r, reply)
	return err
}

// dealActivities are the contacts a listing needs: the first call, the proposal presented to
// the buyer and the store manager together, a word on the trial, the call that settles it.
func (s *demoSales) dealActivities(rng *rand.Rand, d *demoDeal) error {
	for _, st := range d.stages {
		at := st.at.Add(minutes(rng, 30, 120))
		switch {
		case st.key == "listing_proposal" && !st.done.IsZero():
			end := st.done.Add(-minutes(rng, 10, 40))
			in := activities.NewActivity{Kind: activities.KindMeeting, CustomerID: d.site.ID, OpportunityID: &d.id,
				OccurredAt: end.Add(-minutes(rng, 45, 90)), EndedAt: &end,
				Notes: "Presented the listing proposal for " + d.sku.name + ": price list, launch promotion, shelf plan."}
			for _, c := range s.contacts[d.site] {
				in.Attendees = append(in.Attendees, c.ID)
			}
			if _, err := s.log(d.rep, in); err != nil {
				return err
			}
		case st.key == "won" || st.key == "lost":
			at = st.at.Add(-minutes(rng, 60, 180))
			fallthrough
		default:
			if err := s.touchBase(rng, d.rep, d.site, at, &d.id); err != nil {
				return err
			}
		}
	}
	return nil
}

// log records an activity as its rep, a few minutes after it ended; one still to come is not.
func (s *demoSales) log(r *demoRep, in activities.NewActivity) (activities.Activity, error) {
	end := in.OccurredAt
	if in.EndedAt != nil {
		end = *in.EndedAt
	}
	if !s.at(end.Add(3*time.Minute)) || !end.Before(s.hist.today) {
		return activities.Activity{}, nil
	}
	in.ID = identity.NewID()
	a, _, err := s.activities.CreateActivity(r.ctx, in)
	if err != nil {
		return a, fmt.Errorf("%s with %s: %w", in.Kind, r.user.Email, err)
	}
	return a, nil
}
