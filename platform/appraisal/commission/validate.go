package commission

import (
	"fmt"
	"regexp"

	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/money"
)

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// Validate reports every problem of p at once, each at its place in the request body
// ("body.brackets[1].from"), so an admin fixes a plan in one round and nothing half-valid is saved.
func (p *Plan) Validate() error {
	var pr problems
	places := money.Places(p.Currency)
	if !currencyCode.MatchString(p.Currency) {
		pr.add("body.currency", "%q is not an ISO 4217 currency code (three capital letters)", p.Currency)
		places = 3 // the finest minor unit, so that amounts are not also refused for it
	}
	switch p.Base {
	case Revenue, GrossMargin, Collected:
	default:
		pr.add("body.base", "base %q is not revenue, gross_margin or collected", p.Base)
	}
	if p.Mode != Marginal && p.Mode != Whole {
		pr.add("body.mode", "mode %q is not marginal or whole", p.Mode)
	}
	switch p.Period {
	case "":
		p.Period = Monthly // plans written before quarters pay monthly
	case Monthly, Quarterly:
	default:
		pr.add("body.period", "period %q is not month or quarter", p.Period)
	}
	validateBrackets(p.Brackets, places, &pr)
	validateGrowth(p.Growth, &pr)
	validateGate(p.Gate, &pr)
	validateLimits(p.Cap, p.Floor, places, &pr)
	return pr.err()
}

func validateBrackets(bs []Bracket, places int32, pr *problems) {
	if len(bs) == 0 || len(bs) > MaxBrackets {
		pr.add("body.brackets", "a plan has 1 to %d brackets", MaxBrackets)
		return
	}
	var prevTo *decimal.Decimal // the previous bracket's end, when it is a usable number
	for i, b := range bs {
		at := fmt.Sprintf("body.brackets[%d]", i)
		last := i == len(bs)-1
		fromOK := pr.amount(at+".from", b.From, places)
		switch {
		case !fromOK:
		case i == 0 && !b.From.IsZero():
			pr.add(at+".from", "the first bracket starts at 0, not %s: a base below it would have no rate", b.From)
		case prevTo != nil && b.From.GreaterThan(*prevTo):
			pr.add(at+".from", "from %s leaves a gap after the previous bracket's end %s: part of the base would have no rate", b.From, prevTo)
		case prevTo != nil && b.From.LessThan(*prevTo):
			pr.add(at+".from", "from %s overlaps the previous bracket, which ends at %s: part of the base would count twice", b.From, prevTo)
		}
		prevTo = nil
		switch {
		case b.To == nil && !last:
			pr.add(at+".to", "only the last bracket is open-ended (to: null)")
		case b.To != nil && last:
			pr.add(at+".to", "the last bracket is open-ended (to: null), so that every base has a rate; limit the commission with cap")
		case b.To == nil:
		case !pr.amount(at+".to", *b.To, places):
		case fromOK && !b.To.GreaterThan(b.From):
			pr.add(at+".to", "to %s is not above from %s: brackets are strictly increasing", b.To, b.From)
		default:
			prevTo = b.To
		}
		if pr.number(at+".rate", b.Rate, ratePlaces) && (b.Rate.IsNegative() || b.Rate.GreaterThan(maxRate)) {
			pr.add(at+".rate", "rate %s is outside 0 to 1 (a fraction: 0.05 is 5 %%)", b.Rate)
		}
	}
}

func validateGrowth(ts []GrowthTier, pr *problems) {
	if len(ts) > MaxTiers {
		pr.add("body.growth", "a plan has at most %d growth tiers", MaxTiers)
		return
	}
	var prev *GrowthTier // the previous tier, when both its numbers are usable
	for i, t := range ts {
		at := fmt.Sprintf("body.growth[%d]", i)
		gOK := pr.number(at+".min_growth", t.MinGrowth, thresholdPlaces)
		mOK := pr.number(at+".multiplier", t.Multiplier, factorPlaces)
		if gOK && t.MinGrowth.LessThan(minGrowth) {
			pr.add(at+".min_growth", "min_growth %s is below -1: a base cannot fall more than 100 %%", t.MinGrowth)
		}
		if mOK && (t.Multiplier.IsNegative() || t.Multiplier.GreaterThan(maxMultiplier)) {
			pr.add(at+".multiplier", "multiplier %s is outside 0 to %s", t.Multiplier, maxMultiplier)
		}
		// Below the lowest tier the multiplier is 1, so a lowest multiplier under 1 would pay
		// growth just under its threshold more than growth at it, unless nothing is under it.
		if i == 0 && gOK && mOK && t.Multiplier.LessThan(decimal.NewFromInt(1)) && !t.MinGrowth.Equal(minGrowth) {
			pr.add(at+".multiplier", "multiplier %s is below 1 on the lowest tier: growth under %s would earn more (× 1); start the tiers at min_growth -1", t.Multiplier, t.MinGrowth)
		}
		if prev != nil && gOK && !t.MinGrowth.GreaterThan(prev.MinGrowth) {
			pr.add(at+".min_growth", "min_growth %s is not above the previous tier's %s: tiers are strictly increasing", t.MinGrowth, prev.MinGrowth)
		}
		if prev != nil && mOK && t.Multiplier.LessThan(prev.Multiplier) {
			pr.add(at+".multiplier", "multiplier %s is below the previous tier's %s: more growth never pays less", t.Multiplier, prev.Multiplier)
		}
		prev = nil
		if gOK && mOK {
			prev = &ts[i]
		}
	}
}

func validateGate(ts []GateTier, pr *problems) {
	if len(ts) > MaxTiers {
		pr.add("body.gate", "a plan has at most %d gate tiers", MaxTiers)
		return
	}
	var prev *GateTier
	for i, t := range ts {
		at := fmt.Sprintf("body.gate[%d]", i)
		sOK := pr.number(at+".min_score", t.MinScore, scorePlaces)
		fOK := pr.number(at+".factor", t.Factor, factorPlaces)
		if sOK && (t.MinScore.IsNegative() || t.MinScore.GreaterThan(maxScore)) {
			pr.add(at+".min_score", "min_score %s is outside 0 to 100", t.MinScore)
		}
		if fOK && (t.Factor.IsNegative() || t.Factor.GreaterThan(maxFactor)) {
			pr.add(at+".factor", "factor %s is outside 0 to %s", t.Factor, maxFactor)
		}
		if prev != nil && sOK && !t.MinScore.GreaterThan(prev.MinScore) {
			pr.add(at+".min_score", "min_score %s is not above the previous tier's %s: tiers are strictly increasing", t.MinScore, prev.MinScore)
		}
		if prev != nil && fOK && t.Factor.LessThan(prev.Factor) {
			pr.add(at+".factor", "factor %s is below the previous tier's %s: a higher score never pays less", t.Factor, prev.Factor)
		}
		prev = nil
		if sOK && fOK {
			prev = &ts[i]
		}
	}
}

func validateLimits(limit, floor *decimal.Decimal, places int32, pr *problems) {
	capOK := limit != nil && pr.amount("body.cap", *limit, places)
	floorOK := floor != nil && pr.amount("body.floor", *floor, places)
	if capOK && limit.IsNegative() {
		pr.add("body.cap", "cap %s is negative", limit)
	}
	if floorOK && floor.IsNegative() {
		pr.add("body.floor", "floor %s is negative", floor)
	}
	if capOK && floorOK && floor.GreaterThan(*limit) {
		pr.add("body.floor", "floor %s is above cap %s", floor, limit)
	}
}

// plain reports whether d is a number the plan may hold: under 10^15 in magnitude and with at
// most places decimals. It looks at the exponent before any arithmetic, because comparing
// "1e999999999" with anything would first scale it to a billion digits.
func plain(d decimal.Decimal, places int32) bool {
	if d.IsZero() {
		return true
	}
	e := d.Exponent()
	if e < -40 || e > 15 || d.NumDigits()+int(e) > 15 {
		return false
	}
	return d.Equal(d.Truncate(places))
}

// problems collects a plan's faults.
type problems []fault.Detail

func (p *problems) add(location, format string, args ...any) {
	*p = append(*p, fault.Detail{Location: location, Message: fmt.Sprintf(format, args...)})
}

// number adds a problem when d is not plain, and reports whether d is usable for comparisons.
func (p *problems) number(location string, d decimal.Decimal, places int32) bool {
	if plain(d, places) {
		return true
	}
	p.add(location, "%s is not a number under 10^15 with at most %d decimal places", shown(d), places)
	return false
}

// amount is number for money, whose places are the currency's minor unit.
func (p *problems) amount(location string, d decimal.Decimal, places int32) bool {
	if plain(d, places) {
		return true
	}
	p.add(location, "%s is not an amount under 10^15 with at most %d decimal places (the currency's minor unit)", shown(d), places)
	return false
}

// shown writes d for a message without expanding an absurd exponent into a screenful of digits.
func shown(d decimal.Decimal) string {
	if e := d.Exponent(); e < -40 || e > 40 || d.NumDigits() > 40 {
		return "the number"
	}
	return d.String()
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return fault.New(fault.Invalid, "invalid_commission_plan", plural(len(p), "problem")+" in the commission plan: "+p[0].Location+": "+p[0].Message, p...)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
