package tenants

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/orders"
	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/platform/visits/geo"
)

// The load tenant's customers and catalogue: the demo's shop brands and streets spread over a
// street grid in each rep's part of a real city, and the demo's catalogue in four pack sizes.

// loadShopsPerRep is how many customers each rep owns.
const loadShopsPerRep = 120

// loadCustomer is a customer as generated, with what its visits and orders need.
type loadCustomer struct {
	id                            uuid.UUID
	rep                           *loadRep
	name, contact, phone, address string
	kind                          string // supermarket, convenience or restaurant
	grade                         visits.Grade
	at                            geo.Point
	radius                        float64
	carries                       []int // indexes into the catalogue of what the shop stocks
	terms                         int   // payment terms of its orders, days
	created                       time.Time
}

// loadProduct is a product of the load catalogue: a demo SKU in one of its pack sizes.
type loadProduct struct {
	id    uuid.UUID
	sku   *demoSKU
	price decimal.Decimal
	shelf float64 // a shop's usual price of one pack
	reach float64
}

// loadPacks are the pack sizes each demo SKU comes in, with their price and reach against the
// standard pack's.
var loadPacks = []struct {
	name, code   string
	price, reach float64
}{{"", "", 1, 1}, {"family pack", "FAM", 1.8, 0.6}, {"catering size", "CAT", 3.2, 0.35}, {"trial pack", "TRY", 0.45, 0.5}}

// stockLoadCatalogue lists the catalogue through the orders service, as the tenant admin in ctx.
func (p *Provisioner) stockLoadCatalogue(ctx context.Context, ord *orders.Service) ([]loadProduct, error) {
	var out []loadProduct
	for _, pack := range loadPacks {
		for _, s := range demoCatalogue {
			base := decimal.RequireFromString(s.price)
			shelf, _ := decimal.RequireFromString(s.shelf).Float64()
			lp := loadProduct{sku: s, price: base.Mul(decimal.NewFromFloat(pack.price)).Round(2), shelf: shelf * pack.price,
				reach: s.reach * pack.reach}
			in := orders.NewProduct{SKU: s.sku, Name: s.name, Unit: s.unit, ListPrice: lp.price, Currency: "CNY", Active: true}
			if pack.code != "" {
				in.SKU, in.Name = s.sku+"-"+pack.code, s.name+", "+pack.name
			}
			got, err := ord.CreateProduct(ctx, in)
			if err != nil {
				return nil, fmt.Errorf("load product %s: %w", in.SKU, err)
			}
			lp.id = got.ID
			out = append(out, lp)
		}
	}
	return out, nil
}

// loadBrandsAndStreets are the demo customers' shop names (without their branch) and streets
// (without the house number).
func loadBrandsAndStreets() (brands, streets []string) {
	for _, c := range demoCustomers {
		brand, _, _ := strings.Cut(c.name, " (")
		street, _, _ := strings.Cut(c.address, ",")
		if _, name, ok := strings.Cut(street, " "); ok {
			street = name
		}
		if !slices.Contains(brands, brand) {
			brands = append(brands, brand)
		}
		if !slices.Contains(streets, street) {
			streets = append(streets, street)
		}
	}
	return brands, streets
}

// placeRep gives a rep their patch of the city, 2 to 12 km from its centre, how hard they work
// and their shops: on a street grid of 120 m blocks within 2.5 km of the patch's middle, each
// stocking the catalogue lines its kind of shop sells, more of them where the rep is good at
// getting shelf space.
func (g *loadGen) placeRep(rng *rand.Rand, r *loadRep) {
	centre := geo.Point{Lat: r.city.lat, Lon: r.city.lon}
	r.patch = toward(centre, rng.Float64()*2*math.Pi, 2000+rng.Float64()*10_000)
	r.pace = 0.8 + 0.4*rng.Float64()
	flair := 0.6 + 0.55*rng.Float64()
	created := g.from.AddDate(0, 0, -7).Add(10 * time.Hour)
	block := func() float64 { return math.Round((rng.Float64()*5000-2500)/120) * 120 }
	for i := range loadShopsPerRep {
		brand := g.brands[rng.IntN(len(g.brands))]
		street := g.streets[rng.IntN(len(g.streets))]
		c := &loadCustomer{id: identity.NewID(), rep: r, kind: demoShopKind(brand),
			name:    fmt.Sprintf("%s (%s %d, %s)", brand, street, 1+rng.IntN(300), r.city.name),
			contact: g.names[rng.IntN(len(g.names))], phone: fmt.Sprintf("+86 139 %04d %04d", rng.IntN(10_000), rng.IntN(10_000)),
			address: fmt.Sprintf("%d %s, %s", 1+rng.IntN(300), street, r.city.name),
			at:      scatter(rng, offset(r.patch, block(), block()), 8), created: created.Add(time.Duration(i) * time.Minute)}
		c.grade, c.radius, c.terms = loadGrade(rng, c.kind)
		for j, p := range g.catalogue {
			if rng.Float64() < min(0.97, p.reach*flair*demoFit(c.kind, p.sku)) {
				c.carries = append(c.carries, j)
			}
		}
		r.shops = append(r.shops, c)
		for range 1 + strings.Index("CBA", string(c.grade)) {
			r.byWeight = append(r.byWeight, c)
		}
	}
}

// loadGrade is a shop's grade, fence radius (whole metres) and payment terms (days) by its
// kind: supermarkets are the big accounts and pay on 30 days, convenience stores pay cash on
// delivery, restaurants in two weeks.
func loadGrade(rng *rand.Rand, kind string) (visits.Grade, float64, int) {
	x := rng.Float64()
	radius := func(lo, span float64) float64 { return math.Round(lo + span*rng.Float64()) }
	switch {
	case kind == "supermarket" && x < 0.55:
		return visits.GradeA, radius(100, 50), 30
	case kind == "supermarket":
		return visits.GradeB, radius(100, 50), 30
	case kind == "restaurant" && x < 0.5:
		return visits.GradeB, radius(60, 30), 14
	case kind == "restaurant":
		return visits.GradeC, radius(60, 30), 14
	case x < 0.25:
		return visits.GradeB, radius(40, 20), 0
	}
	return visits.GradeC, radius(40, 20), 0
}
