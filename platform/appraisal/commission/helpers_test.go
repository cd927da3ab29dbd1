package commission

import (
	"testing"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// ladder is the three brackets most tests use: 2 % up to 10 000, 5 % up to 50 000, 8 % above.
func ladder() []Bracket {
	return []Bracket{
		{From: d("0"), To: new(d("10000")), Rate: d("0.02")},
		{From: d("10000"), To: new(d("50000")), Rate: d("0.05")},
		{From: d("50000"), Rate: d("0.08")},
	}
}

// flat is one open-ended bracket at rate: the commission is base × rate, which isolates the
// later steps.
func flat(rate string) Plan {
	return Plan{Currency: "CNY", Base: Revenue, Mode: Marginal, Brackets: []Bracket{{From: d("0"), Rate: d(rate)}}}
}

// check is one hand-computed case: the inputs and the amount paid, with the currency's places.
type check struct {
	name  string
	plan  Plan
	in    Inputs
	final string
	limit Limit
}

func runChecks(t *testing.T, cases []check) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Compute(c.plan, c.in)
			if err != nil {
				t.Fatalf("Compute: %v", err)
			}
			if got := r.Final.StringFixed(r.Places); got != c.final {
				t.Errorf("final = %s, want %s (raw %s, ×%s, ×%s, before limits %s)",
					got, c.final, r.Raw, r.GrowthMultiplier, r.GateFactor, r.BeforeLimits)
			}
			if r.Limit != c.limit {
				t.Errorf("limit = %q, want %q", r.Limit, c.limit)
			}
		})
	}
}

func base(s string) Inputs { return Inputs{Base: d(s)} }
