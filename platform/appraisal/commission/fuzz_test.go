package commission

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/money"
)

// FuzzPlan feeds arbitrary JSON as a plan with arbitrary inputs. A plan either fails validation
// with a fault naming places in the body, or computes without panic an amount that is
// non-negative, within [floor, cap], on the currency's minor unit, the same after a JSON round
// trip, and, in marginal mode, no smaller for one more unit of base.
func FuzzPlan(f *testing.F) {
	seeds := []Plan{sound(), flat("0.05"), {Currency: "JPY", Base: Collected, Mode: Whole, Brackets: ladder()}}
	for _, p := range seeds {
		b, _ := json.Marshal(p)
		f.Add(b, int64(3000000), int64(2500000), uint8(85))
	}
	f.Add([]byte(`{"currency":"KWD","base":"revenue","mode":"marginal","brackets":[{"from":"0","to":"0.005","rate":"1"},{"from":"0.005","to":null,"rate":"0"}],"cap":"0.003"}`), int64(1), int64(0), uint8(0))
	f.Add([]byte(`{"brackets":[{"from":"1e9999","to":"-1e-9999","rate":"1e20"}],"growth":[{"min_growth":"-1","multiplier":"0.5"}]}`), int64(-7), int64(-1), uint8(200))

	f.Fuzz(func(t *testing.T, plan []byte, baseCents, priorCents int64, score uint8) {
		var p Plan
		if json.Unmarshal(plan, &p) != nil {
			return
		}
		if err := p.Validate(); err != nil {
			f, ok := fault.As(err)
			if !ok || f.Kind != fault.Invalid || len(f.Details) == 0 {
				t.Fatalf("Validate: %v is not an invalid-input fault with details", err)
			}
			for _, dt := range f.Details {
				if !strings.HasPrefix(dt.Location, "body.") {
					t.Fatalf("problem %q has no place in the body", dt.Message)
				}
			}
			return
		}
		// Cents keep the base below 10^15 units, the inputs' limit.
		in := Inputs{Base: decimal.New(baseCents, -2), PriorYearBase: decimal.New(priorCents, -2), Score: new(decimal.NewFromInt(int64(score % 101)))}
		r, err := Compute(p, in)
		if err != nil {
			t.Fatalf("Compute on a valid plan and valid inputs: %v", err)
		}
		if r.Final.IsNegative() {
			t.Fatalf("final %s is negative", r.Final)
		}
		if p.Floor != nil && r.Final.LessThan(*p.Floor) || p.Cap != nil && r.Final.GreaterThan(*p.Cap) {
			t.Fatalf("final %s is outside [%v, %v]", r.Final, p.Floor, p.Cap)
		}
		if !r.Final.Equal(r.Final.Truncate(money.Places(p.Currency))) {
			t.Fatalf("final %s is finer than the currency's minor unit", r.Final)
		}

		stored, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var back Plan
		if err := json.Unmarshal(stored, &back); err != nil {
			t.Fatalf("reading back %s: %v", stored, err)
		}
		if rb, err := Compute(back, in); err != nil || !rb.Final.Equal(r.Final) {
			t.Fatalf("after a JSON round trip: %v, final %s, was %s", err, rb.Final, r.Final)
		}

		if p.Mode != Marginal {
			return
		}
		more := in
		more.Base = in.Base.Add(decimal.NewFromInt(1))
		rm, err := Compute(p, more)
		if err != nil {
			return // one unit more than the largest base is out of range
		}
		if rm.Final.LessThan(r.Final) {
			t.Fatalf("marginal: base %s pays %s, one more pays less: %s", in.Base, r.Final, rm.Final)
		}
	})
}

// FuzzMarginalMonotonic builds valid marginal plans from numbers, so that every run reaches the
// property FuzzPlan's arbitrary JSON reaches only sometimes: selling more never pays less,
// whatever the rates (a lower rate above an edge included), growth and limits.
func FuzzMarginalMonotonic(f *testing.F) {
	f.Add(uint32(1000000), uint32(5000000), uint16(200), uint16(500), uint16(800), uint16(12000), int64(1200000), int64(1000000), uint32(0))
	f.Add(uint32(1), uint32(2), uint16(10000), uint16(0), uint16(3), uint16(10000), int64(1), int64(3), uint32(1))
	f.Fuzz(func(t *testing.T, edge1, width uint32, r0, r1, r2, mult uint16, baseCents, priorCents int64, capCents uint32) {
		e1 := decimal.New(int64(edge1)+1, -2)
		e2 := e1.Add(decimal.New(int64(width)+1, -2))
		rate := func(r uint16) decimal.Decimal { return decimal.New(int64(r%10001), -4) } // 0 to 1
		p := Plan{Currency: "CNY", Base: Revenue, Mode: Marginal, Brackets: []Bracket{
			{From: decimal.Zero, To: &e1, Rate: rate(r0)},
			{From: e1, To: &e2, Rate: rate(r1)},
			{From: e2, Rate: rate(r2)},
		}}
		// a multiplier from 1 to 5 above +5 % growth
		p.Growth = []GrowthTier{{MinGrowth: decimal.New(5, -2), Multiplier: decimal.New(10000+int64(mult%40001), -4)}}
		if capCents > 0 {
			p.Cap = new(decimal.New(int64(capCents), -2))
		}
		in := Inputs{Base: decimal.New(baseCents%1e15, -2), PriorYearBase: decimal.New(priorCents%1e15, -2)}
		more := in
		more.Base = in.Base.Add(decimal.New(1, -2)) // one cent more
		r, err := Compute(p, in)
		if err != nil {
			t.Fatalf("Compute: %v", err)
		}
		rm, err := Compute(p, more)
		if err != nil {
			t.Fatalf("Compute one cent more: %v", err)
		}
		if rm.BeforeLimits.LessThan(r.BeforeLimits) || rm.Final.LessThan(r.Final) {
			t.Fatalf("base %s pays %s (exact %s), a cent more pays %s (exact %s)", in.Base, r.Final, r.BeforeLimits, rm.Final, rm.BeforeLimits)
		}
	})
}
