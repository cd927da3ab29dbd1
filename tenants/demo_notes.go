package tenants

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/repflow/repflow/platform/visits"
)

// What the demo's reps write at check-out and its managers on review: short notes a sales rep of
// a sauces-and-noodles maker would write, by the kind of shop.

var demoProducts = []string{"soy sauce", "oyster sauce", "rice vinegar", "chili oil", "instant noodles",
	"frozen dumplings", "sesame oil", "bean paste", "cooking wine", "braising sauce"}

// demoNotes are note templates by kind of shop: {p} and {q} are products, {n} and {m} counts,
// {promo} the season's promotion.
var demoNotes = map[string][]string{
	"supermarket": {
		"Restocked {n} cases of {p}; the store manager asked about the {promo} promotion.",
		"Shelf check: {n} facings of our {p} against {m} of the competitor's. Moved the {q} up to eye level.",
		"Order taken: {n} cases of {p} and {m} of {q}, delivery on Thursday.",
		"Set up the {promo} end-cap display with {p} and {q}; photos taken.",
		"Our {p} was out of stock again. Raised it with the buyer; replenishment order of {n} cases placed.",
		"Price labels on the {p} still showed the old price; fixed them with the floor staff.",
		"The buyer wants a bigger discount on {p} for the {promo} promotion; told her I would check with my manager.",
	},
	"convenience": {
		"Filled the {p} shelf; the owner asks for smaller packs of {q}.",
		"Order: {n} cartons of {p}. The owner paid last month's invoice.",
		"Pulled {n} packs of {p} close to their best-before date and credited them.",
		"Put up the {promo} poster and left samples of {p} at the till.",
		"The owner says {p} sells slowly since the shop across the street cut prices; agreed a small display at the counter.",
	},
	"restaurant": {
		"The chef is happy with our {p}; ordered {n} cases for next week.",
		"Brought samples of the new {p}; the chef will try it in the braised dishes.",
		"The kitchen switched back to our {q} after the price change; order of {n} cases.",
		"The owner complained about a late delivery last week; apologised and confirmed {n} cases of {p} for Friday.",
		"Talked the chef through the {promo} menu offer; he wants the {p} in 5 L tins.",
	},
}

// demoShopKind tells restaurants and convenience stores from supermarkets by their names.
func demoShopKind(name string) string {
	for _, w := range []string{"Restaurant", "Hotpot", "Baozi", "Grill", "Tea House", "Dapaidang", "Soup"} {
		if strings.Contains(name, w) {
			return "restaurant"
		}
	}
	for _, w := range []string{"Convenience", "FamilyMart", "Lawson", "7-Eleven"} {
		if strings.Contains(name, w) {
			return "convenience"
		}
	}
	return "supermarket"
}

// demoPromotion is the promotion the trade talks about in the month of t.
func demoPromotion(t time.Time) string {
	switch t.Month() {
	case time.January, time.February:
		return "Spring Festival"
	case time.March, time.April:
		return "spring"
	case time.May, time.June:
		return "Dragon Boat"
	case time.July, time.August:
		return "summer barbecue"
	case time.September:
		return "Mid-Autumn"
	case time.October, time.November:
		return "autumn"
	}
	return "New Year"
}

// demoNote is a check-out note for a visit to the shop named name at t.
func demoNote(rng *rand.Rand, name string, t time.Time) string {
	templates := demoNotes[demoShopKind(name)]
	p := rng.IntN(len(demoProducts))
	q := (p + 1 + rng.IntN(len(demoProducts)-1)) % len(demoProducts)
	return strings.NewReplacer("{p}", demoProducts[p], "{q}", demoProducts[q], "{n}", strconv.Itoa(4+rng.IntN(21)),
		"{m}", strconv.Itoa(2+rng.IntN(9)), "{promo}", demoPromotion(t)).Replace(templates[rng.IntN(len(templates))])
}

// demoReviewOf is a manager's decision on a suspicious visit, with the comment saying why.
func demoReviewOf(rng *rand.Rand, s *demoStop) (visits.ReviewStatus, string) {
	pick := func(comments ...string) string { return comments[rng.IntN(len(comments))] }
	switch s.act {
	case actFarAway:
		return visits.ReviewRejected, "Checked in about 2 km from the shop and the track never went near it. Not a visit; discussed with the rep."
	case actMock:
		return visits.ReviewRejected, "The position came from a mock-location app. Rejected, and the rep has been reminded of the policy."
	case actTeleport:
		return visits.ReviewRejected, "The track jumps 60 km in a minute just before the check-in: the position was faked. Rejected."
	case actReplay:
		return visits.ReviewRejected, "Same coordinates and accuracy as the check-in of " + s.replays.checkIn.Format("Monday 2 January") +
			", while the track shows the rep at a café elsewhere. Rejected."
	}
	return visits.ReviewAccepted, pick(
		"Parked across the road because of the roadworks; the store manager confirmed the visit and the order came through.",
		"The shop's goods entrance is round the back, just outside the fence. The visit is genuine.")
}
