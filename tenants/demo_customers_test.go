package tenants

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/platform/visits/geo"
)

// demoCityCentres are the city centres the demo's customers are spread around.
var demoCityCentres = map[string]geo.Point{
	"Jinan": {Lat: 36.65, Lon: 117.00}, "Qingdao": {Lat: 36.07, Lon: 120.38}, "Nanjing": {Lat: 32.06, Lon: 118.80},
	"Guangzhou": {Lat: 23.13, Lon: 113.26}, "Shenzhen": {Lat: 22.54, Lon: 114.06},
}

// checkDemoCustomers reads the demo's customers as its admin: each belongs to a rep of its own
// city, lies in that city, has a site-sized fence around it, and those given in GCJ-02 were
// converted to WGS84.
func checkDemoCustomers(t *testing.T, h *harness, tenant uuid.UUID) {
	t.Helper()
	ctx := context.Background()
	var login loginRow
	if err := h.s.Owner(ctx).Where("email = ?", DemoAdminEmail).Take(&login).Error; err != nil {
		t.Fatal(err)
	}
	p, err := h.org.Principal(identity.System(ctx, tenant), login.UserID)
	if err != nil {
		t.Fatal(err)
	}
	admin := identity.With(ctx, p)
	regions, err := h.org.ListRegions(admin)
	if err != nil {
		t.Fatal(err)
	}
	regionName := map[uuid.UUID]string{}
	for _, r := range regions {
		regionName[r.ID] = r.Name
	}
	users, err := h.org.ListUsers(admin, org.UserFilter{Limit: org.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[uuid.UUID]org.User{}
	for _, u := range users.Users {
		byID[u.ID] = u
	}
	page, err := h.visits.ListCustomers(admin, visits.CustomerFilter{Limit: visits.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Customers) != 40 || page.Next != nil {
		t.Fatalf("the demo has %d customers (more: %v), want 40", len(page.Customers), page.Next != nil)
	}
	given := map[string]demoCustomer{}
	for _, c := range demoCustomers {
		given[c.name] = c
	}
	grades := map[visits.Grade]int{}
	polygons, converted := 0, 0
	for _, c := range page.Customers {
		grades[c.Grade]++
		city := regionName[c.RegionID]
		owner := byID[c.OwnerID]
		if !slices.Contains(owner.Roles, identity.RoleRep) || owner.RegionID != c.RegionID {
			t.Errorf("%s in %s is owned by %s (%v) of region %s", c.Name, city, owner.Email, owner.Roles, regionName[owner.RegionID])
		}
		centre, ok := demoCityCentres[city]
		if d := geo.Distance(centre, c.Location); !ok || d > 20_000 {
			t.Errorf("%s is %.0f m from the centre of its region %q", c.Name, d, city)
		}
		switch f := c.Fence.(type) {
		case geo.Circle:
			if f.Center != c.Location || f.Radius < 50 || f.Radius > 150 {
				t.Errorf("%s has circle fence %+v at %+v", c.Name, f, c.Location)
			}
		case *geo.Polygon:
			polygons++
			if n := len(f.Rings()[0]) - 1; n < 4 || n > 6 || !f.Contains(c.Location) {
				t.Errorf("%s has a %d-vertex polygon fence, containing the shop: %v", c.Name, n, f.Contains(c.Location))
			}
		}
		in, ok := given[c.Name]
		if !ok {
			t.Errorf("unexpected customer %q", c.Name)
			continue
		}
		reported := geo.Point{Lat: in.lat, Lon: in.lon}
		shift := geo.Distance(reported, c.Location)
		if in.datum == visits.GCJ02 {
			converted++
			// GCJ-02 is a few hundred metres off WGS84 in eastern China.
			if shift < 100 || shift > 1000 || geo.Distance(geo.ToGCJ02(c.Location), reported) > 0.01 {
				t.Errorf("%s given in GCJ-02 at %+v is stored at %+v, %.1f m away", c.Name, reported, c.Location, shift)
			}
		} else if shift > 0.01 {
			t.Errorf("%s given in WGS84 at %+v moved to %+v", c.Name, reported, c.Location)
		}
	}
	if grades[visits.GradeA] == 0 || grades[visits.GradeA] >= grades[visits.GradeB] || grades[visits.GradeA] >= grades[visits.GradeC] || grades[visits.GradeD] != 0 {
		t.Errorf("grades %v, want A, B and C with the fewest A", grades)
	}
	if polygons < 3 || polygons > 10 || converted < 3 {
		t.Errorf("%d polygon fences and %d customers given in GCJ-02, want a few of each", polygons, converted)
	}
}
