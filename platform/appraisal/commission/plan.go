package commission

import "github.com/shopspring/decimal"

// Base names the period metric a plan pays on. The caller supplies its amount; the base here
// labels the plan (and the report) with what that amount is.
type Base string

const (
	Revenue     Base = "revenue"      // invoiced order totals
	GrossMargin Base = "gross_margin" // revenue less cost of goods
	Collected   Base = "collected"    // payments received
)

// Mode says how bracket rates apply to the base.
type Mode string

const (
	Marginal Mode = "marginal" // each bracket's rate on the part of the base inside it
	Whole    Mode = "whole"    // the reached bracket's rate on the whole base
)

// PayPeriod is the period a plan's brackets, cap and floor are sized for: a plan paying 3 % up
// to 100,000 a month would pay a quarter's 300,000 at the higher rates if applied as written.
type PayPeriod string

const (
	Monthly   PayPeriod = "month"
	Quarterly PayPeriod = "quarter"
)

// Limits of a plan: a commission plan is something a rep can read and check by hand.
const (
	MaxBrackets = 20
	MaxTiers    = 10
)

// Precision a plan's numbers may carry. Finer numbers are refused rather than silently rounded:
// a plan says exactly what it pays.
const (
	ratePlaces      = 6 // 0.000001 = 0.0001 %
	factorPlaces    = 4 // multipliers and gate factors
	thresholdPlaces = 4 // growth thresholds: 0.0001 = 0.01 %
	scorePlaces     = 2 // gate thresholds on the 0..100 score
	inputPlaces     = 10
	scoreInPlaces   = 6 // an appraisal score may be an average
)

// Bounds of the sane range of a plan's numbers.
var (
	maxRate       = decimal.NewFromInt(1)
	maxMultiplier = decimal.NewFromInt(5)
	maxFactor     = decimal.NewFromInt(2)
	minGrowth     = decimal.NewFromInt(-1) // a non-negative base can fall at most 100 %
	maxScore      = decimal.NewFromInt(100)
)

// Plan is a tiered commission plan as a tenant admin edits it and as it is stored: the JSON is
// the plan, numbers as decimal strings.
type Plan struct {
	Currency string       `json:"currency" doc:"ISO 4217 code; its minor unit is where the final amount is rounded"`
	Base     Base         `json:"base" enum:"revenue,gross_margin,collected"`
	Mode     Mode         `json:"mode" enum:"marginal,whole"`
	Period   PayPeriod    `json:"period,omitempty" enum:"month,quarter" doc:"what the brackets, cap and floor are sized for: month (when omitted) or quarter; reports of the other kind of period pay nothing by the plan"`
	Brackets []Bracket    `json:"brackets" doc:"contiguous from 0, in order; only the last is open-ended, and it must be"`
	Growth   []GrowthTier `json:"growth" doc:"in increasing min_growth; empty for none"`
	Gate     []GateTier   `json:"gate" doc:"in increasing min_score; empty for no gate"`
	// Cap and Floor bound the commission before rounding; nil for none.
	Cap   *decimal.Decimal `json:"cap,omitempty" doc:"the most the plan pays for a period"`
	Floor *decimal.Decimal `json:"floor,omitempty" doc:"the least the plan pays for a period, whatever the gate"`
}

// Pays reports whether the plan pays on periods of that many months.
func (p Plan) Pays(months int) bool {
	if p.Period == Quarterly {
		return months == 3
	}
	return months == 1
}

// Bracket is a band [From, To) of the base and its rate.
type Bracket struct {
	From decimal.Decimal  `json:"from"`
	To   *decimal.Decimal `json:"to" nullable:"true" doc:"null on the last bracket: open-ended"`
	Rate decimal.Decimal  `json:"rate" doc:"a fraction: 0.05 is 5 %"`
}

// GrowthTier multiplies the commission once year-on-year growth reaches MinGrowth.
type GrowthTier struct {
	MinGrowth  decimal.Decimal `json:"min_growth" doc:"a fraction: 0.10 is +10 %; -1 to cover every decline"`
	Multiplier decimal.Decimal `json:"multiplier"`
}

// GateTier scales the commission once the appraisal score reaches MinScore.
type GateTier struct {
	MinScore decimal.Decimal `json:"min_score" doc:"0 to 100"`
	Factor   decimal.Decimal `json:"factor" doc:"0 to 2"`
}
