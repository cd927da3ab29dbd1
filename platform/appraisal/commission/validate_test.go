package commission

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/fault"
)

// sound is a plan using every feature, valid as it stands; each validation case breaks one part.
func sound() Plan {
	return Plan{
		Currency: "CNY", Base: GrossMargin, Mode: Marginal, Brackets: ladder(),
		Growth: []GrowthTier{{MinGrowth: d("0"), Multiplier: d("1")}, {MinGrowth: d("0.1"), Multiplier: d("1.2")}},
		Gate:   []GateTier{{MinScore: d("60"), Factor: d("0.5")}, {MinScore: d("80"), Factor: d("1")}},
		Cap:    new(d("20000")), Floor: new(d("500")),
	}
}

// locations returns the places of err's problems, failing unless err is an invalid-input fault.
func locations(t *testing.T, err error) []string {
	t.Helper()
	f, ok := fault.As(err)
	if !ok || f.Kind != fault.Invalid {
		t.Fatalf("got %v, want a fault.Invalid", err)
	}
	var at []string
	for _, dt := range f.Details {
		at = append(at, dt.Location)
	}
	return at
}

func TestValidate(t *testing.T) {
	if err := new(sound()).Validate(); err != nil {
		t.Fatalf("the sound plan: %v", err)
	}
	cases := []struct {
		name  string
		spoil func(p *Plan)
		want  []string
	}{
		{"first bracket not at 0", func(p *Plan) { p.Brackets[0].From = d("100") }, []string{"body.brackets[0].from"}},
		{"gap", func(p *Plan) { p.Brackets[1].From = d("12000") }, []string{"body.brackets[1].from"}},
		{"overlap", func(p *Plan) { p.Brackets[1].From = d("9000") }, []string{"body.brackets[1].from"}},
		{"to not above from", func(p *Plan) { p.Brackets[1].To = new(d("10000")) }, []string{"body.brackets[1].to"}},
		{"unordered", func(p *Plan) { p.Brackets[0], p.Brackets[1] = p.Brackets[1], p.Brackets[0] },
			[]string{"body.brackets[0].from", "body.brackets[1].from", "body.brackets[2].from"}},
		{"open-ended in the middle", func(p *Plan) { p.Brackets[1].To = nil }, []string{"body.brackets[1].to"}},
		{"last bracket closed", func(p *Plan) { p.Brackets[2].To = new(d("90000")) }, []string{"body.brackets[2].to"}},
		{"no brackets", func(p *Plan) { p.Brackets = nil }, []string{"body.brackets"}},
		{"negative rate", func(p *Plan) { p.Brackets[0].Rate = d("-0.01") }, []string{"body.brackets[0].rate"}},
		{"rate as a percentage", func(p *Plan) { p.Brackets[2].Rate = d("8") }, []string{"body.brackets[2].rate"}},
		{"rate too fine", func(p *Plan) { p.Brackets[2].Rate = d("0.0800001") }, []string{"body.brackets[2].rate"}},
		{"edge finer than a fen", func(p *Plan) { p.Brackets[0].To, p.Brackets[1].From = new(d("0.001")), d("0.001") },
			[]string{"body.brackets[0].to", "body.brackets[1].from"}},
		{"absurd exponent", func(p *Plan) { p.Brackets[1].To = new(d("1e9999")) }, []string{"body.brackets[1].to"}},
		{"growth not increasing", func(p *Plan) { p.Growth[1].MinGrowth = d("0") }, []string{"body.growth[1].min_growth"}},
		{"growth pays less", func(p *Plan) { p.Growth[1].Multiplier = d("0.9") }, []string{"body.growth[1].multiplier"}},
		{"negative multiplier", func(p *Plan) { p.Growth[0].Multiplier = d("-1") },
			[]string{"body.growth[0].multiplier", "body.growth[0].multiplier"}},
		{"growth below -100 %", func(p *Plan) { p.Growth[0].MinGrowth = d("-1.5") }, []string{"body.growth[0].min_growth"}},
		{"lowest multiplier under 1", func(p *Plan) { p.Growth[0].Multiplier = d("0.8") }, []string{"body.growth[0].multiplier"}},
		{"gate above 100", func(p *Plan) { p.Gate[1].MinScore = d("101") }, []string{"body.gate[1].min_score"}},
		{"gate not increasing", func(p *Plan) { p.Gate[1].MinScore = d("60") }, []string{"body.gate[1].min_score"}},
		{"gate factor too high", func(p *Plan) { p.Gate[1].Factor = d("3") }, []string{"body.gate[1].factor"}},
		{"gate pays less", func(p *Plan) { p.Gate[1].Factor = d("0.4") }, []string{"body.gate[1].factor"}},
		{"floor above cap", func(p *Plan) { p.Floor = new(d("30000")) }, []string{"body.floor"}},
		{"negative cap", func(p *Plan) { p.Cap, p.Floor = new(d("-1")), nil }, []string{"body.cap"}},
		{"cap finer than a yen", func(p *Plan) { p.Currency = "JPY"; p.Cap = new(d("20000.5")) }, []string{"body.cap"}},
		{"unknown base", func(p *Plan) { p.Base = "profit" }, []string{"body.base"}},
		{"unknown mode", func(p *Plan) { p.Mode = "progressive" }, []string{"body.mode"}},
		{"bad currency", func(p *Plan) { p.Currency = "yuan" }, []string{"body.currency"}},
		{"every problem at once", func(p *Plan) {
			p.Mode = ""
			p.Brackets[1].From = d("12000")
			p.Gate[0].MinScore = d("-5")
			p.Floor = new(d("30000"))
		}, []string{"body.mode", "body.brackets[1].from", "body.gate[0].min_score", "body.floor"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := sound()
			c.spoil(&p)
			start := time.Now()
			err := p.Validate()
			if time.Since(start) > time.Second {
				t.Errorf("Validate took %v: an absurd number was expanded", time.Since(start))
			}
			if diff := cmp.Diff(c.want, locations(t, err)); diff != "" {
				t.Errorf("locations (-want +got):\n%s", diff)
			}
			if _, err := Compute(p, scored("1000", "90")); err == nil {
				t.Error("Compute accepted the plan Validate refused")
			}
		})
	}
}

func TestInputs(t *testing.T) {
	cases := map[string]struct {
		in   Inputs
		want []string
	}{
		"base too large":    {Inputs{Base: d("1e15")}, []string{"body.base"}},
		"prior too fine":    {Inputs{Base: d("1"), PriorYearBase: d("0.00000000001")}, []string{"body.prior_year_base"}},
		"negative score":    {Inputs{Base: d("1"), Score: new(d("-1"))}, []string{"body.score"}},
		"score not numeric": {Inputs{Base: d("1"), Score: new(d("1e-50"))}, []string{"body.score"}},
	}
	for name, c := range cases {
		_, err := Compute(flat("0.1"), c.in)
		if diff := cmp.Diff(c.want, locations(t, err)); diff != "" {
			t.Errorf("%s: locations (-want +got):\n%s", name, diff)
		}
	}
}

func TestPlanJSONRoundTrip(t *testing.T) {
	// As an admin writes it: numbers as strings, with trailing zeros and a bare number, and no
	// period (stored as a month's: plans written before quarters pay monthly).
	in := `{"currency":"CNY","base":"gross_margin","mode":"whole",
	"brackets":[{"from":"0","to":"10000.00","rate":"0.020"},{"from":"10000","to":null,"rate":0.05}],
	"growth":[{"min_growth":"0.10","multiplier":"1.2"}],"gate":[],"cap":"5000","floor":"0.50"}`
	var p Plan
	if err := json.Unmarshal([]byte(in), &p); err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"currency":"CNY","base":"gross_margin","mode":"whole","period":"month",` +
		`"brackets":[{"from":"0","to":"10000","rate":"0.02"},{"from":"10000","to":null,"rate":"0.05"}],` +
		`"growth":[{"min_growth":"0.1","multiplier":"1.2"}],"gate":[],"cap":"5000","floor":"0.5"}`
	if string(out) != want {
		t.Errorf("stored as\n%s\nwant\n%s", out, want)
	}
	var back Plan
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(back)
	if string(again) != string(out) {
		t.Errorf("second trip changed the plan:\n%s\n%s", out, again)
	}
	equal := cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })
	if diff := cmp.Diff(p, back, equal); diff != "" {
		t.Errorf("round trip (-sent +read):\n%s", diff)
	}
	for _, b := range []string{"0", "9999.99", "10000", "123456.78"} {
		r1, _ := Compute(p, base(b))
		r2, _ := Compute(back, base(b))
		if !r1.Final.Equal(r2.Final) || !slices.EqualFunc(r1.Brackets, r2.Brackets, func(x, y BracketShare) bool { return x.Commission.Equal(y.Commission) }) {
			t.Errorf("base %s: %s before the trip, %s after", b, r1.Final, r2.Final)
		}
	}
}
