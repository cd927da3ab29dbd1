package commission

import (
	"testing"
)

func TestMarginalBrackets(t *testing.T) {
	p := Plan{Currency: "CNY", Base: Revenue, Mode: Marginal, Brackets: ladder()}
	runChecks(t, []check{
		{name: "zero base", plan: p, in: base("0"), final: "0.00"},
		// 5 000 × 0.02 = 100
		{name: "inside the first bracket", plan: p, in: base("5000"), final: "100.00"},
		// 10 000 × 0.02 = 200; nothing inside the second bracket yet
		{name: "at the first edge", plan: p, in: base("10000"), final: "200.00"},
		// 10 000 × 0.02 + 0.01 × 0.05 = 200 + 0.0005 = 200.0005 -> 200.00
		{name: "one cent across the edge", plan: p, in: base("10000.01"), final: "200.00"},
		// 10 000 × 0.02 + 20 000 × 0.05 = 200 + 1 000 = 1 200
		{name: "inside the second bracket", plan: p, in: base("30000"), final: "1200.00"},
		// 200 + 40 000 × 0.05 = 200 + 2 000 = 2 200
		{name: "at the second edge", plan: p, in: base("50000"), final: "2200.00"},
		// 200 + 2 000 + 30 000 × 0.08 = 2 200 + 2 400 = 4 600
		{name: "open-ended top bracket", plan: p, in: base("80000"), final: "4600.00"},
		// 200 + 2 000 + (999 999 999 999 999.99 − 50 000) × 0.08
		//   = 2 200 + 79 999 999 995 999.9992 = 79 999 999 998 199.9992 -> …8 200.00
		{name: "very large base", plan: p, in: base("999999999999999.99"), final: "79999999998200.00"},
		// a negative base lies in no bracket
		{name: "negative base", plan: p, in: base("-500"), final: "0.00"},
	})
}

func TestMarginalShares(t *testing.T) {
	p := Plan{Currency: "CNY", Base: Revenue, Mode: Marginal, Brackets: ladder()}
	r, err := Compute(p, base("80000"))
	if err != nil {
		t.Fatal(err)
	}
	// parts 10 000 + 40 000 + 30 000 = 80 000; commissions 200 + 2 000 + 2 400 = 4 600
	want := [][2]string{{"10000", "200"}, {"40000", "2000"}, {"30000", "2400"}}
	for i, w := range want {
		if s := r.Brackets[i]; !s.Part.Equal(d(w[0])) || !s.Commission.Equal(d(w[1])) {
			t.Errorf("bracket %d: part %s commission %s, want %s and %s", i, s.Part, s.Commission, w[0], w[1])
		}
	}
	if !r.Raw.Equal(d("4600")) {
		t.Errorf("raw = %s, want 4600", r.Raw)
	}
}

func TestWholeBrackets(t *testing.T) {
	p := Plan{Currency: "CNY", Base: Revenue, Mode: Whole, Brackets: ladder()}
	runChecks(t, []check{
		{name: "zero base", plan: p, in: base("0"), final: "0.00"},
		// 5 000 × 0.02 = 100
		{name: "inside the first bracket", plan: p, in: base("5000"), final: "100.00"},
		// 9 999.99 × 0.02 = 199.9998 -> 200.00
		{name: "a cent below the edge", plan: p, in: base("9999.99"), final: "200.00"},
		// the edge belongs to the upper bracket: 10 000 × 0.05 = 500
		{name: "at the first edge", plan: p, in: base("10000"), final: "500.00"},
		// 30 000 × 0.05 = 1 500
		{name: "inside the second bracket", plan: p, in: base("30000"), final: "1500.00"},
		// 50 000 × 0.08 = 4 000
		{name: "at the second edge", plan: p, in: base("50000"), final: "4000.00"},
		// 80 000 × 0.08 = 6 400
		{name: "open-ended top bracket", plan: p, in: base("80000"), final: "6400.00"},
		// 999 999 999 999 999.99 × 0.08 = 79 999 999 999 999.9992 -> 80 000 000 000 000.00
		{name: "very large base", plan: p, in: base("999999999999999.99"), final: "80000000000000.00"},
		{name: "negative base", plan: p, in: base("-500"), final: "0.00"},
	})
	r, _ := Compute(p, base("30000"))
	if !r.Brackets[1].Part.Equal(d("30000")) || !r.Brackets[0].Part.IsZero() || !r.Brackets[2].Part.IsZero() {
		t.Errorf("whole mode puts the whole base on the reached bracket only: %+v", r.Brackets)
	}
}

func TestGrowth(t *testing.T) {
	// 10 % on everything; +10 % growth pays × 1.2, +25 % pays × 1.5
	p := flat("0.10")
	p.Growth = []GrowthTier{{MinGrowth: d("0.10"), Multiplier: d("1.2")}, {MinGrowth: d("0.25"), Multiplier: d("1.5")}}
	in := func(b, prior string) Inputs { return Inputs{Base: d(b), PriorYearBase: d(prior)} }
	runChecks(t, []check{
		// no prior year: 12 000 × 0.10 = 1 200, × 1
		{name: "no prior year", plan: p, in: base("12000"), final: "1200.00"},
		// growth 1 000 / 11 000 = 0.0909… < 0.10: 1 200 × 1
		{name: "below the lowest tier", plan: p, in: in("12000", "11000"), final: "1200.00"},
		// growth 1 000 / 10 000 = 0.10 exactly: 11 000 × 0.10 × 1.2 = 1 320
		{name: "at the lowest tier", plan: p, in: in("11000", "10000"), final: "1320.00"},
		// growth 0.20: 12 000 × 0.10 × 1.2 = 1 440
		{name: "between tiers", plan: p, in: in("12000", "10000"), final: "1440.00"},
		// growth 0.25 exactly: 12 500 × 0.10 × 1.5 = 1 875
		{name: "at the top tier", plan: p, in: in("12500", "10000"), final: "1875.00"},
		// growth 1.00: 20 000 × 0.10 × 1.5 = 3 000
		{name: "above the top tier", plan: p, in: in("20000", "10000"), final: "3000.00"},
		// a negative prior year is nothing to grow from: × 1
		{name: "negative prior year", plan: p, in: in("12000", "-5000"), final: "1200.00"},
		// growth 1/3 exactly (no rounded quotient): 400 × 0.10 × 1.5 = 60
		{name: "a third", plan: p, in: in("400", "300"), final: "60.00"},
	})

	decline := flat("0.10")
	decline.Growth = []GrowthTier{{MinGrowth: d("-1"), Multiplier: d("0.5")}, {MinGrowth: d("0"), Multiplier: d("1")}}
	// growth (8 000 − 10 000) / 10 000 = −0.20 reaches the −1 tier: 8 000 × 0.10 × 0.5 = 400
	runChecks(t, []check{{name: "decline tier", plan: decline, in: in("8000", "10000"), final: "400.00"}})

	r, _ := Compute(p, in("12000", "11000"))
	// 1 000 / 11 000 = 0.09090909… shown rounded down to 6 places
	if r.Growth == nil || !r.Growth.Equal(d("0.090909")) || r.GrowthTier != nil {
		t.Errorf("growth %v tier %v, want 0.090909 and no tier", r.Growth, r.GrowthTier)
	}
	r, _ = Compute(decline, in("9000", "10001"))
	// −1 001 / 10 001 = −0.10008999… rounded down (away from zero) is −0.100090
	if r.Growth == nil || !r.Growth.Equal(d("-0.10009")) || r.GrowthTier == nil || *r.GrowthTier != 0 {
		t.Errorf("growth %v tier %v, want -0.100090 at tier 0", r.Growth, r.GrowthTier)
	}
}
