package orders

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/money"
)

// Every expected value is worked by hand in the comment beside it.
func TestPriceLineRoundsHalfToEven(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name                       string
		qty, price, pct, currency  string
		gross, discount, net, text string
	}{
		// 1 × 0.125 = 0.125: half way, the even cent is 0.12.
		{"half down to even", "1", "0.125", "0", "CNY", "0.12", "0", "0.12", "0.12"},
		// 1 × 0.135 = 0.135: half way, the even cent is 0.14.
		{"half up to even", "1", "0.135", "0", "CNY", "0.14", "0", "0.14", "0.14"},
		// 3 × 0.3333 = 0.9999 → 1.00 (not half way: plain rounding).
		{"not half way", "3", "0.3333", "0", "CNY", "1", "0", "1", "1.00"},
		// 10 × 3.50 = 35.00; 10 % of it = 3.50; net 31.50.
		{"round discount", "10", "3.50", "10", "CNY", "35", "3.5", "31.5", "31.50"},
		// 24 × 1.20 = 28.80; 5 % = 1.44; net 27.36.
		{"five percent", "24", "1.20", "5", "CNY", "28.8", "1.44", "27.36", "27.36"},
		// 1 × 0.25 = 0.25; 10 % = 0.025, half way → 0.02 (even); net 0.23.
		{"discount half way", "1", "0.25", "10", "CNY", "0.25", "0.02", "0.23", "0.23"},
		// 2.5 kg × 1.1 = 2.75; 50 % = 1.375 → 1.38 (8 is even); net 1.37.
		{"fractional quantity", "2.5", "1.1", "50", "CNY", "2.75", "1.38", "1.37", "1.37"},
		// Yen have no minor unit: 3 × 333.5 = 1000.5 → 1000 (even).
		{"yen", "3", "333.5", "0", "JPY", "1000", "0", "1000", "1000"},
		// Dinars have three places: 1 × 1.0005 → 1.000 (even).
		{"kuwaiti dinar", "1", "1.0005", "0", "KWD", "1", "0", "1", "1.000"},
		// 100 % off: nothing to pay.
		{"free", "6", "2.00", "100", "CNY", "12", "12", "0", "0.00"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := PriceLine(dec(c.qty), dec(c.price), dec(c.pct), c.currency)
			for _, v := range []struct {
				what      string
				got, want decimal.Decimal
			}{{"gross", got.Gross, dec(c.gross)}, {"discount", got.Discount, dec(c.discount)}, {"net", got.Net, dec(c.net)}} {
				if !v.got.Equal(v.want) {
					t.Errorf("%s = %s, want %s", v.what, v.got, v.want)
				}
			}
			if s := money.Format(got.Net, c.currency); s != c.text {
				t.Errorf("net reads %q, want %q", s, c.text)
			}
		})
	}
}

func TestParseDecimalRefusesWhatAPersonWouldMisread(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "1e3", "1,000.00", "1 000", "abc", "1_000", "0x10"} {
		if _, err := parseDecimal(s, "body.amount"); err == nil {
			t.Errorf("parseDecimal(%q) accepted it", s)
		}
	}
	for s, want := range map[string]string{"12": "12", "12.50": "12.5", "-3": "-3", " 7.25 ": "7.25"} {
		got, err := parseDecimal(s, "body.amount")
		if err != nil || !got.Equal(dec(want)) {
			t.Errorf("parseDecimal(%q) = %s, %v; want %s", s, got, err, want)
		}
	}
}
