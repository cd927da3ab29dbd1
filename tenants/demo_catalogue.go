package tenants

import (
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/orders"
)

// demoSKU is a product of the demo company's catalogue, with how widely the trade carries it.
type demoSKU struct {
	sku, name, category string
	unit                string  // what an order counts: cases of packs
	price               string  // list price of a case, CNY
	shelf               string  // a shop's usual price of one pack, CNY
	reach               float64 // the share of shops that carry it: near 0.9 for the strong lines, low for new ones
	kitchen             bool    // restaurants buy it for their kitchens
}

// demoCatalogue is what a food company selling sauces, noodles, drinks and snacks lists. The
// reaches make the distribution report tell a story: noodles and soy sauce are everywhere, the
// new sparkling water, the jerky and the frozen dumplings are still fighting for shelf space.
var demoCatalogue = []*demoSKU{
	{sku: "DF-NDL-BEEF5", name: "Braised Beef Instant Noodles, 5-pack", category: "noodles", unit: "case of 6", price: "72.00", shelf: "13.90", reach: 0.92},
	{sku: "DF-NDL-CUP12", name: "Spicy Seafood Cup Noodles 105 g", category: "noodles", unit: "case of 12", price: "54.00", shelf: "5.50", reach: 0.8},
	{sku: "DF-SOY-500", name: "Premium Light Soy Sauce 500 ml", category: "sauces", unit: "case of 12", price: "118.80", shelf: "12.90", reach: 0.86, kitchen: true},
	{sku: "DF-OYS-510", name: "Oyster Sauce 510 g", category: "sauces", unit: "case of 12", price: "139.20", shelf: "14.80", reach: 0.72, kitchen: true},
	{sku: "DF-CHL-210", name: "Crispy Chili Oil 210 g", category: "sauces", unit: "case of 24", price: "216.00", shelf: "11.50", reach: 0.62, kitchen: true},
	{sku: "DF-VIN-500", name: "Aged Rice Vinegar 500 ml", category: "sauces", unit: "case of 12", price: "86.40", shelf: "9.80", reach: 0.48, kitchen: true},
	{sku: "DF-TEA-500", name: "Jasmine Iced Tea 500 ml", category: "drinks", unit: "case of 15", price: "52.50", shelf: "4.50", reach: 0.76, kitchen: true},
	{sku: "DF-PLM-330", name: "Sour Plum Drink 330 ml", category: "drinks", unit: "case of 24", price: "64.80", shelf: "3.80", reach: 0.45, kitchen: true},
	{sku: "DF-SPK-480", name: "Lychee Sparkling Water 480 ml", category: "drinks", unit: "case of 15", price: "67.50", shelf: "5.90", reach: 0.18},
	{sku: "DF-SNK-SEA", name: "Seaweed Rice Crackers 120 g", category: "snacks", unit: "case of 20", price: "110.00", shelf: "7.90", reach: 0.55},
	{sku: "DF-SNK-JERKY", name: "Spicy Beef Jerky 100 g", category: "snacks", unit: "case of 20", price: "298.00", shelf: "19.90", reach: 0.24},
	{sku: "DF-DMP-1KG", name: "Frozen Pork and Cabbage Dumplings 1 kg", category: "frozen", unit: "case of 10", price: "239.00", shelf: "29.90", reach: 0.14, kitchen: true},
}

// stockCatalogue has the tenant admin list the products a week before the history begins, as a
// company does when it starts with repflow. The catalogue is shared by every demo (tests build
// several at once): each keeps its products' ids to itself.
func (s *demoSales) stockCatalogue() error {
	s.at(s.hist.days[0].AddDate(0, 0, -7).Add(10 * time.Hour))
	s.products = map[*demoSKU]uuid.UUID{}
	for _, p := range s.catalogue {
		got, err := s.orders.CreateProduct(s.admin, orders.NewProduct{SKU: p.sku, Name: p.name, Unit: p.unit,
			ListPrice: decimal.RequireFromString(p.price), Currency: s.currency, Active: true})
		if err != nil {
			return err
		}
		s.products[p] = got.ID
	}
	return nil
}

// demoRange is which SKUs each shop carries and since when: a zero time is since before the
// demo began; a later one is the delivery of a trial order that listed it.
type demoRange map[*demoSite]map[*demoSKU]time.Time

// carries reports whether the shop had the SKU at t.
func (r demoRange) carries(site *demoSite, p *demoSKU, t time.Time) bool {
	since, ok := r[site][p]
	return ok && !t.Before(since)
}

// list records that the shop carries the SKU from t on.
func (r demoRange) list(site *demoSite, p *demoSKU, t time.Time) {
	if _, ok := r[site][p]; !ok {
		r[site][p] = t
	}
}

// planRange decides which SKUs each shop carries when the demo begins: an SKU's reach, scaled
// by how good its rep is at getting shelf space (some reps are much better at it) and by what
// the kind of shop stocks. Restaurants carry only the kitchen lines.
func planRange(rng *rand.Rand, reps []*demoRep, sites []*demoSite) demoRange {
	flair := map[*demoRep]float64{}
	for _, r := range reps {
		flair[r] = 0.6 + 0.55*rng.Float64()
	}
	r := demoRange{}
	for _, rep := range reps {
		for _, site := range rep.sites {
			r[site] = map[*demoSKU]time.Time{}
			kind := demoShopKind(site.Name)
			for _, p := range demoCatalogue {
				if rng.Float64() < min(0.97, p.reach*flair[rep]*demoFit(kind, p)) {
					r[site][p] = time.Time{}
				}
			}
		}
	}
	return r
}

// demoFit scales an SKU's reach by the kind of shop: convenience stores have little room for
// sauces and rarely a freezer; supermarkets take a little more of everything.
func demoFit(kind string, p *demoSKU) float64 {
	switch {
	case kind == "restaurant" && !p.kitchen:
		return 0
	case kind == "restaurant":
		return 0.9
	case kind == "supermarket":
		return 1.1
	case p.category == "sauces":
		return 0.55
	case p.category == "frozen":
		return 0.2
	}
	return 1
}
