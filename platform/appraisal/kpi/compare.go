package kpi

// Earlier is a metric's actual over an earlier period (the period before, the same period a year
// before), beside the one scored, and how the scored actual changed from it.
type Earlier struct {
	Actual float64 `json:"actual"`
	// ChangePct is (now - earlier) / earlier in percent, rounded to 4 decimals; nil when the
	// earlier actual is 0: growth from nothing is no percentage.
	ChangePct *float64 `json:"change_pct,omitempty"`
}

// Compare sets each metric line's comparisons with the actuals of the period before (the month
// before a month, the quarter before a quarter) and of the same period a year before. A metric with no earlier figure (the rep was not there, or the
// source reported nothing) gets no comparison rather than a made-up 0.
func (c *Scorecard) Compare(before, yearBefore map[string]Actual) {
	for i := range c.Metrics {
		line := &c.Metrics[i]
		line.Before = earlier(line.Actual, before, line.Key)
		line.YearBefore = earlier(line.Actual, yearBefore, line.Key)
	}
}

func earlier(now float64, actuals map[string]Actual, key string) *Earlier {
	a, ok := actuals[key]
	if !ok {
		return nil
	}
	e := &Earlier{Actual: a.Value}
	if a.Value != 0 {
		pct := round((now - a.Value) * 100 / a.Value)
		e.ChangePct = &pct
	}
	return e
}
