package commission

import (
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/money"
)

// Inputs are a rep's numbers for one period: recorded for the monthly run, hypothetical for a
// simulation.
type Inputs struct {
	Base decimal.Decimal `json:"base" doc:"the period's amount of the plan's base"`
	// PriorYearBase is the same period's base a year earlier; zero (or absent, or negative)
	// means there is nothing to grow from, and no growth multiplier applies.
	PriorYearBase decimal.Decimal `json:"prior_year_base" doc:"0 or absent: no growth multiplier"`
	// Score is the appraisal score, 0 to 100; required when the plan has a gate.
	Score *decimal.Decimal `json:"score,omitempty" doc:"0 to 100; required by a plan with a gate"`
}

// Limit names the bound that changed the amount, if any.
type Limit string

const (
	Capped  Limit = "cap"
	Floored Limit = "floor"
)

// growthPlaces is how finely Result.Growth is shown; the tier choice compares exactly.
const growthPlaces = 6

// Result is a computed commission with every step, for the report's drill-down. All amounts
// before Final are exact; Final alone is rounded.
type Result struct {
	Currency string          `json:"currency"`
	Mode     Mode            `json:"mode"`
	Base     decimal.Decimal `json:"base"`
	Brackets []BracketShare  `json:"brackets"`
	// Raw is the bracket commission: the sum of the brackets' commissions.
	Raw decimal.Decimal `json:"raw"`
	// Growth is year-on-year growth, rounded down to 6 places for display; nil without a prior
	// year. GrowthTier is the index of the tier applied, nil when none was reached.
	Growth           *decimal.Decimal `json:"growth,omitempty"`
	GrowthTier       *int             `json:"growth_tier,omitempty"`
	GrowthMultiplier decimal.Decimal  `json:"growth_multiplier"`
	// GateTier is the index of the gate tier applied; nil without a gate or below its lowest tier.
	Score      *decimal.Decimal `json:"score,omitempty"`
	GateTier   *int             `json:"gate_tier,omitempty"`
	GateFactor decimal.Decimal  `json:"gate_factor"`
	// BeforeLimits is Raw × GrowthMultiplier × GateFactor; AfterLimits is it capped or floored.
	BeforeLimits decimal.Decimal `json:"before_limits"`
	Limit        Limit           `json:"limit,omitempty"`
	AfterLimits  decimal.Decimal `json:"after_limits"`
	// Final is AfterLimits rounded half to even to Places decimals: the amount paid.
	Final  decimal.Decimal `json:"final"`
	Places int32           `json:"places"`
}

// BracketShare is one bracket's part in a commission.
type BracketShare struct {
	From decimal.Decimal  `json:"from"`
	To   *decimal.Decimal `json:"to"`
	Rate decimal.Decimal  `json:"rate"`
	// Part is the amount of the base the rate applies to: the part inside the bracket in
	// marginal mode, the whole base on the reached bracket in whole mode, else 0.
	Part       decimal.Decimal `json:"part"`
	Commission decimal.Decimal `json:"commission"`
}

// Compute computes the commission plan p pays on in, in the order the package doc states. A bad
// plan or bad inputs are a fault.Invalid naming every problem's place.
func Compute(p Plan, in Inputs) (Result, error) {
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	if err := in.validate(len(p.Gate) > 0); err != nil {
		return Result{}, err
	}
	r := Result{Currency: p.Currency, Mode: p.Mode, Base: in.Base, Score: in.Score, Places: money.Places(p.Currency)}
	r.Brackets, r.Raw = brackets(p, in.Base)
	r.GrowthMultiplier = decimal.NewFromInt(1)
	if in.PriorYearBase.IsPositive() {
		g := growth(in.Base, in.PriorYearBase)
		r.Growth = &g
		if i := growthTier(p.Growth, in.Base, in.PriorYearBase); i >= 0 {
			r.GrowthTier, r.GrowthMultiplier = &i, p.Growth[i].Multiplier
		}
	}
	r.GateFactor = decimal.NewFromInt(1)
	if len(p.Gate) > 0 {
		r.GateFactor = decimal.Zero // below the lowest tier the gate withholds the commission
		if i := gateTier(p.Gate, *in.Score); i >= 0 {
			r.GateTier, r.GateFactor = &i, p.Gate[i].Factor
		}
	}
	r.BeforeLimits = r.Raw.Mul(r.GrowthMultiplier).Mul(r.GateFactor)
	r.AfterLimits = r.BeforeLimits
	// The floor after the cap is the same as before it: Validate keeps floor <= cap.
	if p.Cap != nil && r.AfterLimits.GreaterThan(*p.Cap) {
		r.AfterLimits, r.Limit = *p.Cap, Capped
	}
	if p.Floor != nil && r.AfterLimits.LessThan(*p.Floor) {
		r.AfterLimits, r.Limit = *p.Floor, Floored
	}
	r.Final = r.AfterLimits.RoundBank(r.Places)
	return r, nil
}

// Simulate answers "what would this rep earn on these numbers" for the simulation endpoint. It is
// Compute under the endpoint's name: Compute already saves nothing and reads no clock or store,
// so a simulation and the monthly run can never disagree on the same numbers.
func Simulate(p Plan, hypothetical Inputs) (Result, error) { return Compute(p, hypothetical) }

func (in Inputs) validate(gated bool) error {
	var pr problems
	pr.number("body.base", in.Base, inputPlaces)
	pr.number("body.prior_year_base", in.PriorYearBase, inputPlaces)
	switch {
	case in.Score == nil && gated:
		pr.add("body.score", "the plan gates commission on the appraisal score: a score of 0 to 100 is needed")
	case in.Score == nil:
	case !pr.number("body.score", *in.Score, scoreInPlaces):
	case in.Score.IsNegative() || in.Score.GreaterThan(maxScore):
		pr.add("body.score", "score %s is outside 0 to 100", in.Score)
	}
	if len(pr) == 0 {
		return nil
	}
	return fault.New(fault.Invalid, "invalid_commission_inputs", plural(len(pr), "problem")+" in the commission inputs: "+pr[0].Location+": "+pr[0].Message, pr...)
}

// brackets applies the bracket rates to base. A negative base lies in no bracket (they start at
// 0), so it earns nothing.
func brackets(p Plan, base decimal.Decimal) ([]BracketShare, decimal.Decimal) {
	shares := make([]BracketShare, len(p.Brackets))
	raw := decimal.Zero
	reached := -1 // whole mode: the last bracket whose from <= base
	for i, b := range p.Brackets {
		shares[i] = BracketShare{From: b.From, To: b.To, Rate: b.Rate, Part: decimal.Zero, Commission: decimal.Zero}
		if !base.LessThan(b.From) {
			reached = i
		}
	}
	for i, b := range p.Brackets {
		var part decimal.Decimal
		switch {
		case p.Mode == Whole && i == reached:
			part = base
		case p.Mode == Whole:
			continue
		case base.LessThanOrEqual(b.From):
			continue
		case b.To == nil || base.LessThan(*b.To):
			part = base.Sub(b.From)
		default:
			part = b.To.Sub(b.From)
		}
		shares[i].Part = part
		shares[i].Commission = part.Mul(b.Rate)
		raw = raw.Add(shares[i].Commission)
	}
	return shares, raw
}

// growthTier returns the index of the highest tier reached, or -1. It compares exactly,
// base − prior >= min_growth × prior (prior > 0), rather than through a rounded quotient, so
// growth of exactly +10 % reaches a 0.10 tier.
func growthTier(ts []GrowthTier, base, prior decimal.Decimal) int {
	gain := base.Sub(prior)
	for i := len(ts) - 1; i >= 0; i-- {
		if gain.GreaterThanOrEqual(ts[i].MinGrowth.Mul(prior)) {
			return i
		}
	}
	return -1
}

// growth is (base − prior) / prior rounded down to growthPlaces, for display. Rounding down keeps
// the shown figure consistent with the tier: thresholds have fewer places, so the shown growth
// reaches a threshold exactly when the true growth does.
func growth(base, prior decimal.Decimal) decimal.Decimal {
	q, rem := base.Sub(prior).QuoRem(prior, growthPlaces)
	if rem.IsNegative() { // QuoRem truncates toward zero; step down to the floor
		q = q.Sub(decimal.New(1, -growthPlaces))
	}
	return q
}

// gateTier returns the index of the highest tier the score reaches, or -1.
func gateTier(ts []GateTier, score decimal.Decimal) int {
	for i := len(ts) - 1; i >= 0; i-- {
		if score.GreaterThanOrEqual(ts[i].MinScore) {
			return i
		}
	}
	return -1
}
