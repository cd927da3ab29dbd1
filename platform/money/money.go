// Package money holds the rules every domain that counts money shares: how many decimal places a
// currency's smallest unit has, and how an amount is rounded to it. Amounts are
// shopspring/decimal everywhere, never floats.
package money

import "github.com/shopspring/decimal"

// Places is the number of decimal places of the currency's minor unit (ISO 4217): none for the
// yen or the won, three for the dinars of the Gulf, two for the rest.
func Places(currency string) int32 {
	switch currency {
	case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF":
		return 0
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3
	}
	return 2
}

// Round rounds an amount to the currency's minor unit, half to even (banker's rounding): 0.125
// becomes 0.12 and 0.135 becomes 0.14, so that the rounding of many amounts does not all lean
// the same way.
func Round(d decimal.Decimal, currency string) decimal.Decimal {
	return d.RoundBank(Places(currency))
}

// Format writes an amount with exactly the currency's minor-unit places.
func Format(d decimal.Decimal, currency string) string {
	return d.StringFixed(Places(currency))
}
