package tenants

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/visits/geo"
)

// The load tenant's organisation: head office, four sales regions of five cities each, and in
// the cities teams of ten reps, each team with its manager. It is made through the organisation
// service, as the demo's is, without passwords: only the admin signs in (hashing a password for
// each of thousands of reps would cost more than all the rest).

type loadCity struct {
	name     string
	lat, lon float64 // the city centre
}

var loadRegions = []struct {
	name   string
	cities []loadCity
}{
	{"East China", []loadCity{{"Shanghai", 31.2304, 121.4737}, {"Nanjing", 32.0603, 118.7969}, {"Hangzhou", 30.2741, 120.1551},
		{"Jinan", 36.6512, 117.1201}, {"Qingdao", 36.0671, 120.3826}}},
	{"South China", []loadCity{{"Guangzhou", 23.1291, 113.2644}, {"Shenzhen", 22.5431, 114.0579}, {"Xiamen", 24.4798, 118.0894},
		{"Nanning", 22.8170, 108.3665}, {"Haikou", 20.0440, 110.1999}}},
	{"North China", []loadCity{{"Beijing", 39.9042, 116.4074}, {"Tianjin", 39.3434, 117.3616}, {"Shijiazhuang", 38.0428, 114.5149},
		{"Taiyuan", 37.8706, 112.5489}, {"Hohhot", 40.8414, 111.7519}}},
	{"West China", []loadCity{{"Chengdu", 30.5728, 104.0668}, {"Chongqing", 29.5630, 106.5516}, {"Xi'an", 34.3416, 108.9398},
		{"Kunming", 24.8801, 102.8329}, {"Lanzhou", 36.0611, 103.8343}}},
}

// loadTeamSize is how many reps report to one manager.
const loadTeamSize = 10

// loadArea is a city of the load tenant as created.
type loadArea struct {
	city   loadCity
	region uuid.UUID
}

// loadRep is a rep as the generator works with them: who they are, where they work and how
// hard, and what was written for them.
type loadRep struct {
	index    int
	id       uuid.UUID
	email    string
	manager  uuid.UUID
	region   uuid.UUID
	city     loadCity
	cityNo   int       // which of the cities: it shares the work out among the writers
	patch    geo.Point // the middle of the rep's round
	pace     float64   // how much this rep does, around 1
	tally    LoadRep
	shops    []*loadCustomer
	byWeight []*loadCustomer // the shops, A thrice and B twice: drawing from it visits by grade
}

// buildLoadOrg creates the regions, the managers and their teams, and the reps, as the tenant
// admin in ctx; domain is the part of every e-mail after the @.
func (p *Provisioner) buildLoadOrg(ctx context.Context, reps int, domain string, n *LoadCounts) ([]*loadRep, error) {
	regions, err := p.org.ListRegions(ctx)
	if err != nil {
		return nil, err
	}
	if len(regions) != 1 {
		return nil, fmt.Errorf("load: expected only the root region, found %d regions", len(regions))
	}
	var areas []loadArea
	for _, lr := range loadRegions {
		r, err := p.org.CreateRegion(ctx, lr.name, regions[0].ID)
		if err != nil {
			return nil, err
		}
		for _, c := range lr.cities {
			city, err := p.org.CreateRegion(ctx, c.name, r.ID)
			if err != nil {
				return nil, err
			}
			areas = append(areas, loadArea{city: c, region: city.ID})
		}
	}
	n.Regions = int64(len(regions) + len(areas) + len(loadRegions))
	names := loadNames()
	var out []*loadRep
	for team := 0; team*loadTeamSize < reps; team++ {
		area := areas[team%len(areas)]
		mgr, err := p.org.CreateUser(ctx, org.NewUser{Email: fmt.Sprintf("manager.%03d@%s", team+1, domain),
			Name: names[(team*7919)%len(names)], Phone: loadPhone(team), Roles: []string{identity.RoleManager}, RegionID: area.region})
		if err != nil {
			return nil, fmt.Errorf("load manager %d: %w", team+1, err)
		}
		t, err := p.org.CreateTeam(ctx, org.NewTeam{Name: fmt.Sprintf("%s Sales %d", area.city.name, team/len(areas)+1),
			RegionID: area.region, LeadID: &mgr.ID})
		if err != nil {
			return nil, err
		}
		members := []uuid.UUID{mgr.ID}
		for i := team * loadTeamSize; i < min(reps, (team+1)*loadTeamSize); i++ {
			email := fmt.Sprintf("rep.%04d@%s", i+1, domain)
			u, err := p.org.CreateUser(ctx, org.NewUser{Email: email, Name: names[i%len(names)], Phone: loadPhone(10_000 + i),
				Roles: []string{identity.RoleRep}, RegionID: area.region, ManagerID: &mgr.ID})
			if err != nil {
				return nil, fmt.Errorf("load rep %d: %w", i+1, err)
			}
			members = append(members, u.ID)
			out = append(out, &loadRep{index: i, id: u.ID, email: email, manager: mgr.ID, region: area.region, city: area.city,
				cityNo: team % len(areas)})
		}
		for _, m := range members {
			if _, err := p.org.AddTeamMember(ctx, t.ID, m); err != nil {
				return nil, err
			}
		}
		n.Teams++
		n.Managers++
	}
	n.Reps = int64(len(out))
	return out, nil
}

// loadNames are people's names made of the demo's family and given names, every pairing once.
func loadNames() []string {
	var people []string
	for _, r := range demoOrg {
		for _, pr := range r.provinces {
			people = append(people, pr.manager)
			for _, c := range pr.cities {
				people = append(people, c.reps...)
			}
		}
	}
	people = append(people, demoPeople...)
	var family, given []string
	seen := map[string]bool{}
	for _, p := range people {
		f, g, _ := strings.Cut(p, " ")
		if !seen["f"+f] {
			seen["f"+f] = true
			family = append(family, f)
		}
		if !seen["g"+g] {
			seen["g"+g] = true
			given = append(given, g)
		}
	}
	out := make([]string, 0, len(family)*len(given))
	for _, g := range given {
		for _, f := range family {
			out = append(out, f+" "+g)
		}
	}
	return out
}

// loadPhone is the n-th mobile number of the tenant's staff.
func loadPhone(n int) string { return fmt.Sprintf("+86 138 %04d %04d", n/10_000, n%10_000) }
