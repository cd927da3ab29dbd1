package orders

import (
	"fmt"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
)

// lineError points at one field of line i (0-based) of the request body, and says which line in
// the message, so a person finds it on their screen.
func lineError(i int, field, msg string, value any) error {
	return fault.New(fault.Invalid, "invalid_input", fmt.Sprintf("line %d: %s %s", i+1, field, msg),
		fault.Detail{Location: fmt.Sprintf("body.lines[%d].%s", i, field), Message: msg, Value: value})
}

// checkLineInputs checks what can be checked of lines without the catalogue.
func checkLineInputs(in []LineInput) error {
	if len(in) > MaxLines {
		return fault.Field("body.lines", fmt.Sprintf("has more than %d lines; split the order", MaxLines), len(in))
	}
	for i, l := range in {
		if l.ProductID == uuid.Nil {
			return lineError(i, "product_id", "is required", nil)
		}
		if !l.Quantity.IsPositive() {
			return lineError(i, "quantity", "must be greater than 0", l.Quantity.String())
		}
		if !fits(l.Quantity, Scale) {
			return lineError(i, "quantity", fmt.Sprintf("must have at most %d decimal places and be below 10^15", Scale), l.Quantity.String())
		}
		if l.UnitPrice != nil {
			if l.UnitPrice.IsNegative() {
				return lineError(i, "unit_price", "must not be negative", l.UnitPrice.String())
			}
			if !fits(*l.UnitPrice, Scale) {
				return lineError(i, "unit_price", fmt.Sprintf("must have at most %d decimal places and be below 10^15", Scale), l.UnitPrice.String())
			}
		}
		if l.DiscountPct.IsNegative() || l.DiscountPct.GreaterThan(hundred) || !l.DiscountPct.Equal(l.DiscountPct.Truncate(Scale)) {
			return lineError(i, "discount_pct", fmt.Sprintf("must be a percentage from 0 to 100 with at most %d decimal places", Scale), l.DiscountPct.String())
		}
	}
	return nil
}

// priceLines finds each line's product and prices the line in currency (see PriceLine). A line
// without a unit price takes the product's list price, which must then be in the same currency:
// there are no exchange rates here.
func priceLines(db *gorm.DB, in []LineInput, currency string) ([]Line, error) {
	if len(in) == 0 {
		return nil, nil
	}
	ids := make([]uuid.UUID, len(in))
	for i, l := range in {
		ids[i] = l.ProductID
	}
	products, err := productsByID(db, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Line, len(in))
	total := decimal.Zero
	for i, l := range in {
		p, ok := products[l.ProductID]
		if !ok {
			return nil, fault.New(fault.Invalid, "invalid_reference", fmt.Sprintf("line %d: there is no such product", i+1),
				fault.Detail{Location: fmt.Sprintf("body.lines[%d].product_id", i), Message: "there is no such product", Value: l.ProductID.String()})
		}
		if !p.Active {
			return nil, lineError(i, "product_id", fmt.Sprintf("is %s (%s), which is no longer sold", p.SKU, p.Name), l.ProductID.String())
		}
		price := p.ListPrice
		if l.UnitPrice != nil {
			price = *l.UnitPrice
		} else if p.Currency != currency {
			return nil, lineError(i, "unit_price", fmt.Sprintf("is required: %s is listed in %s and the order is in %s", p.SKU, p.Currency, currency), nil)
		}
		priced := PriceLine(l.Quantity, price, l.DiscountPct, currency)
		if priced.Gross.GreaterThanOrEqual(maxAmount) {
			return nil, lineError(i, "quantity", "makes the line's amount too large", l.Quantity.String())
		}
		total = total.Add(priced.Net)
		out[i] = Line{No: i + 1, ProductID: p.ID, SKU: p.SKU, Name: p.Name, Unit: p.Unit, Quantity: l.Quantity, UnitPrice: price,
			DiscountPct: l.DiscountPct, Gross: priced.Gross, Discount: priced.Discount, Net: priced.Net, Delivered: decimal.Zero}
	}
	if total.GreaterThanOrEqual(maxAmount) {
		return nil, fault.Field("body.lines", "add up to an amount too large for one order; split it", total.String())
	}
	return out, nil
}
