package tenants

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/visits"
)

// sampleSet is an industry's sample data: a few customers around the company's city, the
// products it sells, and how its people write about a visit. The demo's own recorders make the
// records (demoCustomer.create, demoReplay, demoSales); only the cast differs by industry.
type sampleSet struct {
	customers []sampleCustomer
	catalogue []*demoSKU
	// projects values the open opportunities (nil: the demo's store listing value, from the
	// shop's size and the product's price) and says their first step.
	projects []decimal.Decimal
	nextStep string
	// cases is how much of a product an order takes, at least and at most.
	cases [2]int
	note  func(rng *rand.Rand, name string, t time.Time) string
}

// sampleCustomer is a customer placed so many metres north and east of the city's centre, with
// a circle fence of radius metres or the outline of its site.
type sampleCustomer struct {
	name, contact string
	grade         visits.Grade
	north, east   float64
	radius        float64
	outline       []demoOffset
}

// sampleSuffix marks a sample record's name wherever it shows: on the map, in a list, on an order.
const sampleSuffix = " (sample)"

// at is c as a demo customer in city.
func (c sampleCustomer) at(city sampleCity) demoCustomer {
	p := offset(city.centre, c.north, c.east)
	bearing := math.Atan2(c.east, c.north) * 180 / math.Pi
	dirs := []string{"north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west"}
	dir := dirs[int(math.Mod(bearing+360+22.5, 360)/45)]
	return demoCustomer{city: city.name, name: c.name + sampleSuffix, contact: c.contact, grade: c.grade, lat: p.Lat, lon: p.Lon,
		datum: visits.WGS84, radius: c.radius, outline: c.outline,
		address: fmt.Sprintf("%.1f km %s of central %s", math.Hypot(c.north, c.east)/1000, dir, city.name)}
}

var sampleSets = map[string]sampleSet{
	IndustryFMCG: {
		customers: []sampleCustomer{
			{"Sunrise Supermarket", "Han Xue", visits.GradeA, 1200, -800, 0, demoLot},
			{"Harbour Convenience Store", "Dong Yue", visits.GradeC, -900, 1500, 60, nil},
			{"Golden Bowl Restaurant", "Meng Qingshan", visits.GradeB, 2500, 2100, 80, nil},
			{"Green Valley Supermarket", "Tian Rui", visits.GradeB, -2200, -1700, 120, nil},
			{"Station Road Convenience", "Yu Jing", visits.GradeC, 400, 3200, 50, nil},
		},
		catalogue: []*demoSKU{demoCatalogue[0], demoCatalogue[2], demoCatalogue[6], demoCatalogue[9]},
		cases:     [2]int{3, 12},
		note:      demoNote,
	},
	IndustryIndustrial: {
		customers: []sampleCustomer{
			{"Eastfield Machinery Works", "Gao Feng", visits.GradeA, 2600, 3100, 0, demoCornerSite},
			{"Riverside Steel Fabrication", "Sun Jiayi", visits.GradeB, -3400, 1800, 150, nil},
			{"Northgate Packaging Plant", "Cai Weiming", visits.GradeB, 4100, -2500, 140, nil},
			{"Harbour Logistics Depot", "Lu Chen", visits.GradeC, -1800, -3900, 120, nil},
			{"Summit Plastics Moulding", "Xie Dong", visits.GradeC, 900, -4600, 100, nil},
		},
		catalogue: industrialCatalogue,
		projects:  []decimal.Decimal{decimal.NewFromInt(180000), decimal.NewFromInt(420000), decimal.NewFromInt(95000), decimal.NewFromInt(650000)},
		nextStep:  "Confirm the need, the budget and the decision makers.",
		cases:     [2]int{1, 4},
		note:      industrialNote,
	},
}

// industrialCatalogue is what a maker of industrial equipment sells and services.
var industrialCatalogue = []*demoSKU{
	{sku: "IND-SRV-2K", name: "Servo drive 2 kW", category: "drives", unit: "unit", price: "4800.00"},
	{sku: "IND-PLC-32", name: "PLC controller, 32 I/O", category: "controls", unit: "unit", price: "12600.00"},
	{sku: "IND-HPU-7K5", name: "Hydraulic power unit 7.5 kW", category: "hydraulics", unit: "unit", price: "38500.00"},
	{sku: "IND-WPK-01", name: "Wear parts kit", category: "service", unit: "kit", price: "2150.00"},
}

var industrialNotes = []string{
	"Walked the line with the maintenance manager: the {p} on line {m} is due for replacement before the summer shutdown.",
	"Met the plant engineer about the retrofit; they want a quotation for {n} units of the {p} by the end of the month.",
	"Delivered the spare parts in person and checked the {p} in service: running well, next service in {m} months.",
}

// industrialNote is a check-out note of an industrial sales engineer's visit.
func industrialNote(rng *rand.Rand, _ string, _ time.Time) string {
	return strings.NewReplacer("{p}", industrialCatalogue[rng.IntN(len(industrialCatalogue))].name, "{n}", fmt.Sprint(2+rng.IntN(6)), "{m}", fmt.Sprint(1+rng.IntN(5))).
		Replace(industrialNotes[rng.IntN(len(industrialNotes))])
}
