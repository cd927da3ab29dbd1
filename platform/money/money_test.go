package money

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestRoundIsHalfEvenToTheMinorUnit(t *testing.T) {
	for _, tc := range []struct{ in, currency, want string }{
		{"0.125", "CNY", "0.12"}, // half to even: down to the even 2
		{"0.135", "CNY", "0.14"}, // up to the even 4
		{"0.1251", "CNY", "0.13"},
		{"12.5", "JPY", "12"},
		{"13.5", "JPY", "14"},
		{"0.0025", "KWD", "0.002"},
		{"-0.125", "USD", "-0.12"},
	} {
		got := Format(Round(decimal.RequireFromString(tc.in), tc.currency), tc.currency)
		if got != tc.want {
			t.Errorf("%s %s: %s, want %s", tc.in, tc.currency, got, tc.want)
		}
	}
}
