package commission

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/fault"
)

func scored(b, score string) Inputs { return Inputs{Base: d(b), Score: new(d(score))} }

func TestScoreGate(t *testing.T) {
	// 10 % on everything, so a 10 000 base earns 1 000 before the gate
	p := flat("0.10")
	p.Gate = []GateTier{{MinScore: d("60"), Factor: d("0.5")}, {MinScore: d("80"), Factor: d("1")}, {MinScore: d("95"), Factor: d("1.2")}}
	runChecks(t, []check{
		// below the lowest tier the gate withholds everything: 1 000 × 0
		{name: "below the lowest tier", plan: p, in: scored("10000", "59.99"), final: "0.00"},
		{name: "score zero", plan: p, in: scored("10000", "0"), final: "0.00"},
		// 1 000 × 0.5 = 500
		{name: "at 60", plan: p, in: scored("10000", "60"), final: "500.00"},
		{name: "between 60 and 80", plan: p, in: scored("10000", "79.5"), final: "500.00"},
		// 1 000 × 1 = 1 000
		{name: "at 80", plan: p, in: scored("10000", "80"), final: "1000.00"},
		// 1 000 × 1.2 = 1 200
		{name: "at 95", plan: p, in: scored("10000", "95"), final: "1200.00"},
		{name: "at 100", plan: p, in: scored("10000", "100"), final: "1200.00"},
		// no gate: × 1, and no score needed
		{name: "no gate", plan: flat("0.10"), in: base("10000"), final: "1000.00"},
	})

	_, err := Compute(p, base("10000"))
	if f, ok := fault.As(err); !ok || f.Kind != fault.Invalid || f.Details[0].Location != "body.score" {
		t.Errorf("a gated plan without a score: %v, want a fault at body.score", err)
	}
	_, err = Compute(p, scored("10000", "100.5"))
	if f, ok := fault.As(err); !ok || f.Details[0].Location != "body.score" {
		t.Errorf("score 100.5: %v, want a fault at body.score", err)
	}
}

func TestCapAndFloor(t *testing.T) {
	// 10 % on everything, paid between 300 and 5 000
	p := flat("0.10")
	p.Cap, p.Floor = new(d("5000")), new(d("300"))
	gated := p
	gated.Gate = []GateTier{{MinScore: d("60"), Factor: d("1")}, {MinScore: d("90"), Factor: d("1.2")}}
	gated.Growth = []GrowthTier{{MinGrowth: d("0.2"), Multiplier: d("1.5")}}
	runChecks(t, []check{
		// 80 000 × 0.10 = 8 000 > 5 000: the cap binds
		{name: "cap binds", plan: p, in: base("80000"), final: "5000.00", limit: Capped},
		// 1 000 × 0.10 = 100 < 300: the floor binds
		{name: "floor binds", plan: p, in: base("1000"), final: "300.00", limit: Floored},
		// 30 000 × 0.10 = 3 000: inside the bounds
		{name: "neither binds", plan: p, in: base("30000"), final: "3000.00"},
		// exactly at the cap: 50 000 × 0.10 = 5 000, nothing to lower
		{name: "at the cap", plan: p, in: base("50000"), final: "5000.00"},
		// the gate withholds everything (score 50 < 60), the floor still pays 300
		{name: "floor over a closed gate", plan: gated, in: scored("30000", "50"), final: "300.00", limit: Floored},
		// growth 0.25 >= 0.2: 40 000 × 0.10 = 4 000 × 1.5 = 6 000 × 1.2 = 7 200 > 5 000
		{name: "all steps then the cap", plan: gated,
			in:    Inputs{Base: d("40000"), PriorYearBase: d("32000"), Score: new(d("92"))},
			final: "5000.00", limit: Capped},
		// growth 0.25: 20 000 × 0.10 = 2 000 × 1.5 = 3 000 × 1 = 3 000, no limit
		{name: "all steps, no limit", plan: gated,
			in: Inputs{Base: d("20000"), PriorYearBase: d("16000"), Score: new(d("75"))}, final: "3000.00"},
	})

	r, _ := Compute(gated, Inputs{Base: d("40000"), PriorYearBase: d("32000"), Score: new(d("92"))})
	steps := []struct {
		name      string
		got, want decimal.Decimal
	}{
		{"raw", r.Raw, d("4000")},
		{"growth", *r.Growth, d("0.25")},
		{"growth multiplier", r.GrowthMultiplier, d("1.5")},
		{"gate factor", r.GateFactor, d("1.2")},
		{"before limits", r.BeforeLimits, d("7200")},
		{"after limits", r.AfterLimits, d("5000")},
	}
	for _, s := range steps {
		if !s.got.Equal(s.want) {
			t.Errorf("%s = %s, want %s", s.name, s.got, s.want)
		}
	}
	if r.GrowthTier == nil || *r.GrowthTier != 0 || r.GateTier == nil || *r.GateTier != 1 {
		t.Errorf("tiers: growth %v gate %v, want 0 and 1", r.GrowthTier, r.GateTier)
	}
}

func TestRounding(t *testing.T) {
	in := func(cur, rate, b string) (Plan, Inputs) {
		p := flat(rate)
		p.Currency = cur
		return p, base(b)
	}
	cases := []struct {
		name, cur, rate, base, final string
	}{
		// 2.50 × 0.05 = 0.125: a tie, half-even goes to 0.12 (half-up would say 0.13)
		{"CNY tie down to even", "CNY", "0.05", "2.50", "0.12"},
		// 2.70 × 0.05 = 0.135: a tie, half-even goes to 0.14
		{"CNY tie up to even", "CNY", "0.05", "2.70", "0.14"},
		// 2.51 × 0.05 = 0.1255: not a tie, nearest is 0.13
		{"CNY above the tie", "CNY", "0.05", "2.51", "0.13"},
		// 250 × 0.05 = 12.5 yen: a tie, half-even goes to 12 (half-up would say 13)
		{"JPY tie down to even", "JPY", "0.05", "250", "12"},
		// 270 × 0.05 = 13.5 yen: a tie, half-even goes to 14
		{"JPY tie up to even", "JPY", "0.05", "270", "14"},
		// 0.050 × 0.05 = 0.0025 dinar: a tie at 3 places, half-even goes to 0.002 (half-up 0.003)
		{"KWD tie to even", "KWD", "0.05", "0.050", "0.002"},
		// 1 000.01 × 0.115 = 115.00115 -> 115.00
		{"USD many places", "USD", "0.115", "1000.01", "115.00"},
	}
	for _, c := range cases {
		p, i := in(c.cur, c.rate, c.base)
		runChecks(t, []check{{name: c.name, plan: p, in: i, final: c.final}})
	}

	// Exact until the end: two brackets at 5 % each take half of 5.00, so each earns 0.125.
	// Rounded per bracket that is 0.12 + 0.12 = 0.24; rounded once it is 0.25.
	split := Plan{Currency: "CNY", Base: Revenue, Mode: Marginal, Brackets: []Bracket{
		{From: d("0"), To: new(d("2.50")), Rate: d("0.05")},
		{From: d("2.50"), Rate: d("0.05")},
	}}
	// and the growth multiplier on an unrounded amount: 0.25 × 1.1 = 0.275 -> 0.28 (even);
	// on a per-bracket rounded 0.24 it would be 0.264 -> 0.26
	grown := split
	grown.Growth = []GrowthTier{{MinGrowth: d("0"), Multiplier: d("1.1")}}
	runChecks(t, []check{
		{name: "rounded once, not per bracket", plan: split, in: base("5.00"), final: "0.25"},
		{name: "multiplied before rounding", plan: grown, in: Inputs{Base: d("5.00"), PriorYearBase: d("5.00")}, final: "0.28"},
	})
}
