package tenants

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/orders"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/pipeline"
	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/platform/visits"
)

// signUpWithSample provisions a tenant as sign-up does with sample data asked for (without the
// template's setup, which needs services this harness has not) and returns its admin.
func signUpWithSample(t *testing.T, h *harness, industry, zone string) context.Context {
	t.Helper()
	ctx := context.Background()
	in := goodSignup()
	in.Industry, in.TimeZone, in.SampleData = industry, zone, true
	in.Company, in.AdminEmail = industry+" sample co", industry+"@sample.test"
	p, err := h.prov.provision(ctx, in, StatusUnverified, func(ctx context.Context) error {
		return h.prov.buildSample(ctx, in, time.Now())
	})
	if err != nil {
		t.Fatalf("sign-up with sample data: %v", err)
	}
	admin, err := h.org.Principal(identity.System(ctx, p.TenantID), p.AdminID)
	if err != nil {
		t.Fatal(err)
	}
	return identity.With(ctx, admin)
}

// The sample data is the template's: customers with fences around the time zone's city, owned
// by the sample rep, recent visits, orders in the company's currency, and an opportunity in each
// open stage of the industry's pipeline.
func TestSampleDataFitsTheTemplateAndTheCity(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, tc := range []struct {
		industry, zone string
		city           sampleCity
		open           int
	}{{IndustryFMCG, "Europe/Berlin", sampleCities["Europe/Berlin"], 3}, {IndustryIndustrial, "Asia/Shanghai", sampleCities["Asia/Shanghai"], 4}} {
		admin := signUpWithSample(t, h, tc.industry, tc.zone)
		cs, err := h.visits.ListCustomers(admin, visits.CustomerFilter{Limit: visits.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		if len(cs.Customers) != len(sampleSets[tc.industry].customers) {
			t.Errorf("%s: %d customers", tc.industry, len(cs.Customers))
		}
		for _, c := range cs.Customers {
			if !strings.HasSuffix(c.Name, sampleSuffix) || c.Fence.Distance(c.Location) >= 0 {
				t.Errorf("%s: customer %q, its location not inside its fence", tc.industry, c.Name)
			}
			if d := geoKm(c.Location.Lat-tc.city.centre.Lat, c.Location.Lon-tc.city.centre.Lon); d > 10 {
				t.Errorf("%s: customer %q is %.0f km from %s", tc.industry, c.Name, d, tc.city.name)
			}
		}
		vs, err := h.visits.ListVisits(admin, visits.VisitFilter{Limit: visits.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		if len(vs.Visits) != 3 {
			t.Errorf("%s: %d visits, want 3", tc.industry, len(vs.Visits))
		}
		for _, v := range vs.Visits {
			if v.Status != visits.VisitClosed || !v.Verdict.Trusted || time.Since(v.StartedAt) > 8*24*time.Hour {
				t.Errorf("%s: visit %+v", tc.industry, v)
			}
		}
		os, err := h.orders.ListOrders(admin, orders.OrderFilter{Limit: orders.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		if len(os.Orders) != 3 || os.Orders[0].Currency != "CNY" {
			t.Errorf("%s: orders %+v", tc.industry, os.Orders)
		}
		opps, err := h.pipeline.ListOpportunities(admin, pipeline.OpportunityFilter{Limit: pipeline.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		stages := map[string]bool{}
		for _, o := range opps.Opportunities {
			stages[o.Stage.Key] = true
		}
		if len(opps.Opportunities) != tc.open || len(stages) != tc.open {
			t.Errorf("%s: %d opportunities in stages %v, want one in each of %d open stages", tc.industry, len(opps.Opportunities), stages, tc.open)
		}
	}
}

// geoKm is a rough distance for a few kilometres of latitude and longitude differences.
func geoKm(dLat, dLon float64) float64 {
	return 111 * max(abs64(dLat), abs64(dLon))
}

func abs64(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// Removing the sample data leaves no row anywhere that names a removed sample record, disables
// the sample people, and touches nothing of the company's own: its own customer and its own
// order stay, and so do the sample customer and product that order refers to.
func TestRemoveSampleKeepsTheCompanysOwnRecords(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := signUpWithSample(t, h, IndustryFMCG, "Asia/Shanghai")
	me, _ := identity.From(admin)
	var samples []sampleRow
	if err := h.s.Owner(admin).Where("tenant_id = ?", me.TenantID).Find(&samples).Error; err != nil {
		t.Fatal(err)
	}
	people := map[uuid.UUID]bool{}
	for _, s := range samples {
		if s.Kind == "users" {
			people[s.ID] = true
		}
	}
	// The company's own: a customer, and an order at a sample customer of a sample product.
	rep := sampleRepOf(t, h, admin, people)
	own, err := h.visits.CreateCustomer(admin, visits.NewCustomer{Name: "Our First Real Shop", Grade: visits.GradeB, OwnerID: rep.UserID,
		RegionID: rep.RegionID, Location: visits.Position{Point: sampleCities["Asia/Shanghai"].centre, Datum: visits.WGS84},
		Fence: visits.FenceInput{Kind: visits.FenceCircle, RadiusM: 40}})
	if err != nil {
		t.Fatal(err)
	}
	cs, _ := h.visits.ListCustomers(admin, visits.CustomerFilter{Limit: visits.MaxPageSize})
	var sampleShop visits.Customer
	for _, c := range cs.Customers {
		if c.Name == "Sunrise Supermarket"+sampleSuffix {
			sampleShop = c
		}
	}
	products, err := h.orders.ListProducts(admin, orders.ProductFilter{Limit: orders.MaxPageSize})
	if err != nil || len(products.Products) == 0 {
		t.Fatalf("products: %v", err)
	}
	ownOrder, _, err := h.orders.CreateOrder(identity.With(context.Background(), rep), orders.NewOrder{CustomerID: sampleShop.ID, Currency: "CNY",
		Lines: []orders.LineInput{{ProductID: products.Products[0].ID, Quantity: decimal.NewFromInt(2)}}})
	if err != nil {
		t.Fatal(err)
	}

	got, err := h.prov.RemoveSample(admin)
	if err != nil {
		t.Fatal(err)
	}
	want := SampleRemoval{Removed: map[string]int{"users": 2, "customers": 4, "visits": 3, "orders": 3, "opportunities": 3, "products": 3},
		Kept: map[string]int{"customers": 1, "products": 1}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("removal %v, want %v", got, want)
	}
	kept := map[uuid.UUID]bool{sampleShop.ID: true, products.Products[0].ID: true}
	for _, s := range samples {
		if kept[s.ID] || s.Kind == "users" {
			continue
		}
		// A removed customer's fence change is how each server's fence index learns it is gone.
		where := slices.DeleteFunc(mentionsOf(t, h, me.TenantID, s.ID), func(table string) bool { return s.Kind == "customers" && table == "fence_changes" })
		if len(where) > 0 {
			t.Errorf("removed sample %s %s still named in %v", s.Kind, s.ID, where)
		}
	}
	cs, _ = h.visits.ListCustomers(admin, visits.CustomerFilter{Limit: visits.MaxPageSize})
	var names []string
	for _, c := range cs.Customers {
		names = append(names, c.Name)
	}
	slices.Sort(names)
	if fmt.Sprint(names) != fmt.Sprint([]string{own.Name, sampleShop.Name}) {
		t.Errorf("customers after the removal: %q", names)
	}
	if _, err := h.orders.GetOrder(admin, ownOrder.ID); err != nil {
		t.Errorf("the company's own order: %v", err)
	}
	for id := range people {
		u, err := h.org.GetUser(admin, id)
		if err != nil || u.Status != org.StatusDisabled {
			t.Errorf("sample person %s after the removal: %+v %v", id, u, err)
		}
	}
	if again, err := h.prov.RemoveSample(admin); err != nil || len(again.Removed) != 0 || again.Kept["customers"] != 1 {
		t.Errorf("a second removal: %+v %v", again, err)
	}
}

// sampleRepOf is the sample rep, signed in.
func sampleRepOf(t *testing.T, h *harness, admin context.Context, people map[uuid.UUID]bool) identity.Principal {
	t.Helper()
	me, _ := identity.From(admin)
	for id := range people {
		p, err := h.org.Principal(identity.System(context.Background(), me.TenantID), id)
		if err != nil {
			t.Fatal(err)
		}
		if p.HasRole(identity.RoleRep) {
			return p
		}
	}
	t.Fatal("no sample rep")
	return identity.Principal{}
}

// mentionsOf lists the tables with a row of tenant that names id in any column.
func mentionsOf(t *testing.T, h *harness, tenant, id uuid.UUID) []string {
	t.Helper()
	db := h.s.Owner(context.Background())
	tables, err := db.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, table := range tables {
		if !db.Migrator().HasColumn(table, "tenant_id") {
			continue
		}
		rows, err := db.Table(table).Where("tenant_id = ?", tenant).Rows()
		if err != nil {
			t.Fatal(err)
		}
		if storetest.RowsNaming(t, rows, id) > 0 {
			out = append(out, table)
		}
	}
	return out
}
