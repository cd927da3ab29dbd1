package export

import (
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/money"
)

// Number formats of the workbook. Completion is written as the percent the dashboard shows (85.5,
// not 0.855) with a literal "%": the cell then holds exactly the app's figure, free of the binary
// noise a /100 would add, and sums or averages of the column read as percents.
const (
	fmtScore      = "0.00"
	fmtCompletion = `0.0"%"`
)

// The page writes its figures as text, the same text the workbook's formats show: a score as
// fmtScore, a completion as fmtCompletion, an amount as moneyFmt (thousands grouped, the
// currency's minor unit).

// scoreText is a score as fmtScore shows it.
func scoreText(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

// percentText is a percent as fmtCompletion shows it.
func percentText(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) + "%" }

// amountText is an amount of money as moneyFmt shows it, written from the decimal itself: the
// exact amount, never through a float.
func amountText(d decimal.Decimal, currency string) string {
	return group(money.Format(d, currency))
}

// figureText is an actual or a target of a metric in its unit: a ratio as a percent, money with
// the currency's minor unit, anything else to at most two decimals, with the unit's word when it
// has one.
func (l labels) figureText(m kpi.MetricScore, v float64, currency string) string {
	switch m.Unit {
	case kpi.UnitRatio:
		return percentText(v * 100)
	case kpi.UnitMoney:
		return group(strconv.FormatFloat(v, 'f', int(money.Places(currency)), 64))
	}
	s := group(strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64))
	if u := l.units[m.Unit]; u != "" {
		s += " " + u
	}
	return s
}

// group puts a comma between the thousands of a number written in digits ("-1234567.5" becomes
// "-1,234,567.5"), as the workbook's "#,##0" does.
func group(s string) string {
	sign, digits := "", s
	if strings.HasPrefix(digits, "-") {
		sign, digits = "-", digits[1:]
	}
	whole, frac := digits, ""
	if i := strings.IndexByte(digits, '.'); i >= 0 {
		whole, frac = digits[:i], digits[i:]
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String() + frac
}
