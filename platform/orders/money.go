package orders

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/money"
)

// Scale is the number of decimal places stored for quantities, prices and discount percentages
// (NUMERIC(20,4)). Input with more places is refused rather than silently rounded.
const Scale = 4

// maxAmount bounds every stored amount below NUMERIC(20,4)'s sixteen integer digits.
var maxAmount = decimal.New(1, 15)

var hundred = decimal.NewFromInt(100)

// PricedLine is a line's money.
type PricedLine struct {
	Gross, Discount, Net decimal.Decimal
}

// PriceLine prices a line. The rounding rule, in full:
//
//	gross    = money.Round(quantity × unit price)
//	discount = money.Round(gross × discount % / 100)
//	net      = gross − discount
//
// each rounded half to even to the currency's minor unit. The order's gross, discount and total
// are the sums of its lines' (already rounded, so the sums are exact and the lines add up to the
// total a customer sees on paper).
func PriceLine(quantity, unitPrice, discountPct decimal.Decimal, currency string) PricedLine {
	gross := money.Round(quantity.Mul(unitPrice), currency)
	discount := money.Round(gross.Mul(discountPct).Div(hundred), currency)
	return PricedLine{Gross: gross, Discount: discount, Net: gross.Sub(discount)}
}

// fits reports whether d has at most places decimal places and lies within the stored range.
func fits(d decimal.Decimal, places int32) bool {
	return d.Equal(d.Truncate(places)) && d.Abs().LessThan(maxAmount)
}

// checkDecimal refuses a number with more than places decimal places, or beyond the stored range.
func checkDecimal(d decimal.Decimal, location string, places int32) error {
	if !d.Equal(d.Truncate(places)) {
		return fault.Field(location, fmt.Sprintf("has more than %d decimal places", places), d.String())
	}
	if d.Abs().GreaterThanOrEqual(maxAmount) {
		return fault.Field(location, "is too large", d.String())
	}
	return nil
}

// parseDecimal reads a decimal number written plainly ("12", "12.50", "-3"): no exponent, no
// thousands separators, so what a person typed is what is stored.
func parseDecimal(s, location string) (decimal.Decimal, error) {
	t := strings.TrimSpace(s)
	if t == "" || strings.ContainsAny(t, "eE_, ") {
		return decimal.Decimal{}, fault.Field(location, `is not a decimal number like "12.50"`, s)
	}
	d, err := decimal.NewFromString(t)
	if err != nil {
		return decimal.Decimal{}, fault.Field(location, `is not a decimal number like "12.50"`, s)
	}
	return d, nil
}

// checkCurrencyCode checks the shape of an ISO 4217 code; whether the tenant uses it is asked of
// Currencies.
func checkCurrencyCode(c, location string) error {
	if len(c) != 3 || strings.Trim(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return fault.Field(location, "must be an ISO 4217 code of three capital letters, like CNY", c)
	}
	return nil
}

// checkPrice refuses a negative price and one with more places than are stored.
func checkPrice(d decimal.Decimal, location string) error {
	if d.IsNegative() {
		return fault.Field(location, "must not be negative", d.String())
	}
	return checkDecimal(d, location, Scale)
}
