package tenants

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/visits"
)

// The demo company's organisation: sales regions, provinces with a manager and a team each, and
// cities with their reps.
type demoRegion struct {
	name      string
	provinces []demoProvince
}

type demoProvince struct {
	name    string
	manager string
	cities  []demoCity
}

type demoCity struct {
	name string
	reps []string
}

var demoOrg = []demoRegion{
	{name: "East China", provinces: []demoProvince{
		{name: "Shandong", manager: "Liu Yang", cities: []demoCity{
			{name: "Jinan", reps: []string{"Wang Lei", "Zhang Min", "Li Qiang"}},
			{name: "Qingdao", reps: []string{"Zhao Hui", "Sun Li"}},
		}},
		{name: "Jiangsu", manager: "Chen Jing", cities: []demoCity{
			{name: "Nanjing", reps: []string{"Zhou Tao", "Wu Fang", "Xu Jun"}},
		}},
	}},
	{name: "South China", provinces: []demoProvince{
		{name: "Guangdong", manager: "Huang Wei", cities: []demoCity{
			{name: "Guangzhou", reps: []string{"Lin Xiaoyu", "He Bin"}},
			{name: "Shenzhen", reps: []string{"Guo Ping", "Ma Lin"}},
		}},
	}},
}

// demoPlace is a demo city as it was created: its region and its reps, in demoOrg's order.
type demoPlace struct {
	region uuid.UUID
	reps   []uuid.UUID
}

// buildDemo fills the demo tenant's organisation and then its customers as its admin, through
// the organisation and visits services and so under the same rules and access checks as the API.
func buildDemo(ctx context.Context, o *org.Service, v *visits.Service) error {
	regions, err := o.ListRegions(ctx)
	if err != nil {
		return err
	}
	if len(regions) != 1 {
		return fmt.Errorf("demo: expected only the root region, found %d regions", len(regions))
	}
	root := regions[0].ID
	phone := 0
	person := func(local, name string, role string, region uuid.UUID, manager *uuid.UUID) (org.User, error) {
		phone++
		u, err := o.CreateUser(ctx, org.NewUser{Email: local + demoDomain, Name: name, Phone: fmt.Sprintf("+86 138 0000 %04d", phone),
			Roles: []string{role}, RegionID: region, ManagerID: manager, Password: DemoPassword})
		if err != nil {
			return org.User{}, fmt.Errorf("demo user %s: %w", local, err)
		}
		return u, nil
	}
	cities := map[string]demoPlace{}
	for _, sr := range demoOrg {
		sales, err := o.CreateRegion(ctx, sr.name, root)
		if err != nil {
			return err
		}
		for _, pr := range sr.provinces {
			if err := buildProvince(ctx, o, sales.ID, pr, person, cities); err != nil {
				return err
			}
		}
	}
	if _, err := person("analyst", "Gao Yan", identity.RoleHQ, root, nil); err != nil {
		return err
	}
	if _, err := person("data", "Luo Jie", identity.RoleDataSpecialist, root, nil); err != nil {
		return err
	}
	return buildCustomers(ctx, v, cities)
}

// buildProvince makes a province with its manager, its team, its cities and their reps, and
// records each city in cities by name.
func buildProvince(ctx context.Context, o *org.Service, parent uuid.UUID, pr demoProvince,
	person func(local, name, role string, region uuid.UUID, manager *uuid.UUID) (org.User, error), cities map[string]demoPlace) error {
	province, err := o.CreateRegion(ctx, pr.name, parent)
	if err != nil {
		return err
	}
	mgr, err := person("manager."+strings.ToLower(pr.name), pr.manager, identity.RoleManager, province.ID, nil)
	if err != nil {
		return err
	}
	team, err := o.CreateTeam(ctx, org.NewTeam{Name: pr.name + " Sales", RegionID: province.ID, LeadID: &mgr.ID})
	if err != nil {
		return err
	}
	members := []uuid.UUID{mgr.ID}
	for _, c := range pr.cities {
		city, err := o.CreateRegion(ctx, c.name, province.ID)
		if err != nil {
			return err
		}
		place := demoPlace{region: city.ID}
		for i, name := range c.reps {
			rep, err := person(fmt.Sprintf("rep.%s.%d", strings.ToLower(c.name), i+1), name, identity.RoleRep, city.ID, &mgr.ID)
			if err != nil {
				return err
			}
			members = append(members, rep.ID)
			place.reps = append(place.reps, rep.ID)
		}
		cities[c.name] = place
	}
	for _, m := range members {
		if _, err := o.AddTeamMember(ctx, team.ID, m); err != nil {
			return err
		}
	}
	return nil
}
