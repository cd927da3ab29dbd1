package tenants

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/pipeline"
	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/tenants/templates"
)

// A new tenant's sample data is the demo in miniature, made by the demo's own recorders: a sample
// rep and their manager (only reps own customers, and nobody approves their own order), five
// customers with their fences around the company's city, the rep's visits to three of them over
// the last two working days (tracks, check-ins, check-outs with notes), an order taken on each
// visit and moved on by the manager and the back office, the products on them, and an
// opportunity in every open stage of the template's pipeline. Every record is listed in
// sample_records, so that RemoveSample takes it all away again, and the sample people take no
// seat of the plan (Plans.CheckSeats).

// sampleRow is a row of sample_records (migrations/0028_sample_records.go).
type sampleRow struct {
	TenantID uuid.UUID
	Kind     string // the table the record is in
	ID       uuid.UUID
}

func (sampleRow) TableName() string { return "sample_records" }

// sampleVisits are the customers (by index into the set) the sample rep visits on each of the last
// two working days.
var sampleVisits = [][]int{{0, 1}, {3}}

// buildSample adds the industry's sample data to the tenant of ctx, as its admin, inside the
// provisioning transaction; now is when the company signed up.
func (p *Provisioner) buildSample(ctx context.Context, in Signup, now time.Time) error {
	in, _, err := validSignup(in)
	if err != nil {
		return err
	}
	set, ok := sampleSets[in.Industry]
	if !ok {
		return fmt.Errorf("no sample data for industry %q", in.Industry)
	}
	me, err := identity.SignedIn(ctx, "add sample data")
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(in.TimeZone)
	if err != nil {
		return err
	}
	city := sampleCityOf(in.TimeZone, loc, now)
	var made []sampleRow
	mark := func(kind string, id uuid.UUID) {
		made = append(made, sampleRow{TenantID: me.TenantID, Kind: kind, ID: id})
	}
	team, err := p.samplePeople(ctx, me)
	if err != nil {
		return err
	}
	rep, manager := team[0], team[1]
	var sites []*demoSite
	for _, c := range set.customers {
		got, err := c.at(city).create(ctx, p.visits, rep.UserID, rep.RegionID)
		if err != nil {
			return fmt.Errorf("sample %w", err)
		}
		mark("customers", got.ID)
		sites = append(sites, &demoSite{Customer: got})
	}
	hist, err := p.sampleVisits(identity.With(ctx, rep), identity.With(ctx, manager), set, sites, city, now.In(loc))
	if err != nil {
		return err
	}
	for _, v := range hist.visits {
		mark("visits", v.visit.ID)
	}
	s, err := p.newDemoSales(ctx, hist, in.Currency, set.catalogue)
	if err != nil {
		return err
	}
	if err := s.stockCatalogue(); err != nil {
		return fmt.Errorf("sample products: %w", err)
	}
	for _, id := range s.products {
		mark("products", id)
	}
	for _, o := range s.sampleOrders(set) {
		if err := s.recordOrder(o); err != nil {
			return fmt.Errorf("sample order: %w", err)
		}
		mark("orders", o.id)
	}
	deals, err := sampleDeals(set, hist, in.Industry)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(demoSeed, 8))
	for _, d := range deals {
		if err := s.recordDeal(rng, d); err != nil {
			return fmt.Errorf("sample opportunity at %s: %w", d.site.Name, err)
		}
		mark("opportunities", d.id)
	}
	return p.store.Tx(ctx, func(_ context.Context, db *gorm.DB) error { return db.Create(&made).Error })
}

// sampleVisits replays the rep's last two working days before today: a drive from home, the
// visits of sampleVisits, the drive home.
func (p *Provisioner) sampleVisits(rep, manager context.Context, set sampleSet, sites []*demoSite, city sampleCity, now time.Time) (*demoHistory, error) {
	for _, s := range sites {
		s.heart, s.room = heartOf(s, sites)
	}
	principal, _ := identity.From(rep)
	user, err := p.org.GetUser(rep, principal.UserID)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(demoSeed, 7))
	r0 := &demoRep{user: user, ctx: rep, manager: manager, sites: sites, home: clearSpot(rng, city.centre, 1500, 3000, sites)}
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, now.Location())
	var days []time.Time
	for day := today.AddDate(0, 0, -1); len(days) < len(sampleVisits); day = day.AddDate(0, 0, -1) {
		if working(day) {
			days = append([]time.Time{day}, days...)
		}
	}
	clock := &demoClock{}
	r := &demoReplay{svc: visits.NewService(p.store, p.warden, visits.Options{Now: clock.now}), clock: clock,
		rng: rand.New(rand.NewPCG(demoSeed, 2)), note: set.note}
	for i, day := range days {
		var due []*demoSite
		for _, c := range sampleVisits[i] {
			due = append(due, sites[c])
		}
		if _, err := r.repDay(planDay(rng, r0, i, day, nearestFirst(r0.home, due))); err != nil {
			return nil, fmt.Errorf("sample visits: %w", err)
		}
	}
	return &demoHistory{reps: []*demoRep{r0}, sites: sites, visits: r.honest, days: days, today: today}, nil
}

// sampleOrders plans an order on each visit, taken during it and submitted after it, then
// approved by the manager, shipped, delivered and paid as the demo's are, up to today: the
// newest is still a draft.
func (s *demoSales) sampleOrders(set sampleSet) []*demoOrder {
	rng := rand.New(rand.NewPCG(demoSeed, 4))
	var out []*demoOrder
	for i, v := range s.hist.visits {
		o := &demoOrder{rep: v.rep, site: v.stop.site, visit: &v.visit.ID, terms: demoTerms(v.stop.site)}
		for _, j := range rng.Perm(len(set.catalogue))[:1+rng.IntN(2)] {
			o.lines = append(o.lines, demoLine{sku: set.catalogue[j], qty: set.cases[0] + rng.IntN(set.cases[1]-set.cases[0]+1)})
		}
		taken := v.stop.checkIn.Add(v.stop.leave.Sub(v.stop.checkIn) / 2)
		o.plan(rng, taken, v.stop.leave.Add(minutes(rng, 2, 20)), s.payerOf(v.stop.site), demoFate{draft: i == len(s.hist.visits)-1})
		out = append(out, o)
	}
	return out
}

// sampleDeals plans one opportunity in each open stage of the industry's pipeline, each at a
// customer of its own: opened a few days apart, moved on every five days once its required
// tasks were done, and waiting in its last stage with that stage's tasks open.
func sampleDeals(set sampleSet, h *demoHistory, industry string) ([]*demoDeal, error) {
	def, err := templates.Pipeline(industry)
	if err != nil {
		return nil, err
	}
	var open []string
	for _, st := range def.Stages {
		if st.Outcome == pipeline.Open {
			open = append(open, st.Key)
		}
	}
	rep := h.reps[0]
	var deals []*demoDeal
	for i := range open {
		site := h.sites[(len(h.sites)-1-i+len(h.sites))%len(h.sites)]
		d := &demoDeal{rep: rep, site: site, sku: set.catalogue[i%len(set.catalogue)], nextStep: set.nextStep}
		if i < len(set.projects) {
			d.value = set.projects[i]
		}
		opened := h.today.AddDate(0, 0, -3-5*i).Add(10 * time.Hour)
		for k := 0; k <= i; k++ {
			st := demoStage{key: open[k], at: opened.AddDate(0, 0, 5*k).Add(time.Duration(k) * time.Hour)}
			if k < i {
				st.done = st.at.AddDate(0, 0, 2)
				st.checked = st.done.Add(time.Hour)
			}
			d.stages = append(d.stages, st)
		}
		deals = append(deals, d)
	}
	if len(deals) > len(h.sites) {
		return nil, fmt.Errorf("sample: %d open stages for %d customers", len(deals), len(h.sites))
	}
	return deals, nil
}

// samplePeople creates the sample rep (in the first region under the root, where the template
// made some) and their manager (at the root), with addresses nobody receives mail at and no
// password (nobody signs in as them, and no password hash slows the sign-up down), and marks
// them at once, so that the seat limit does not count them.
func (p *Provisioner) samplePeople(ctx context.Context, admin identity.Principal) ([]identity.Principal, error) {
	regions, err := p.org.ListRegions(ctx)
	if err != nil {
		return nil, err
	}
	repRegion := admin.RegionID
	for _, r := range regions {
		if r.ParentID != nil && *r.ParentID == admin.RegionID {
			repRegion = r.ID
			break
		}
	}
	var team []identity.Principal
	var managerID *uuid.UUID
	for _, who := range []struct {
		role, local, name string
		region            uuid.UUID
	}{{identity.RoleManager, "manager", "Liu Yang", admin.RegionID}, {identity.RoleRep, "rep", "Wang Lei", repRegion}} {
		u, err := p.org.CreateUser(ctx, org.NewUser{Email: fmt.Sprintf("sample.%s.%s@%s", who.local, admin.TenantID, sampleMailDomain),
			Name: who.name + sampleSuffix, Roles: []string{who.role}, RegionID: who.region, ManagerID: managerID})
		if err != nil {
			return nil, fmt.Errorf("sample %s: %w", who.local, err)
		}
		err = p.store.Tx(ctx, func(_ context.Context, db *gorm.DB) error {
			return db.Create(&sampleRow{TenantID: admin.TenantID, Kind: "users", ID: u.ID}).Error
		})
		if err != nil {
			return nil, err
		}
		principal, err := p.org.Principal(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		team = append([]identity.Principal{principal}, team...)
		managerID = &u.ID
	}
	return team, nil
}

// sampleMailDomain is reserved (RFC 2606): no mail to a sample person ever leaves.
const sampleMailDomain = "sample.repflow.invalid"
