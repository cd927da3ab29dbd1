package tenants

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/repflow/repflow/platform/appraisal"
)

// loadOrderValue is about what an order of the load tenant comes to, CNY: 5.4 lines of 6.5
// cases at the catalogue's prices.
const loadOrderValue = 5250

// setLoadTargets gives every rep targets for each month of the data through the appraisal
// service, as a manager would set them: the visits and orders of a rep at the average pace
// over the month's working days, and the revenue of those orders. Reps faster than average
// beat them, slower ones fall short.
func (p *Provisioner) setLoadTargets(ctx context.Context, reps []*loadRep, months []string) (int64, error) {
	var n int64
	for _, month := range months {
		start, err := time.ParseInLocation("2006-01", month, demoZone)
		if err != nil {
			return n, err
		}
		days := 0
		for d := start; d.Month() == start.Month(); d = d.AddDate(0, 0, 1) {
			if working(d) {
				days++
			}
		}
		orders := math.Round(loadOrdersPerDay * float64(days))
		var targets []appraisal.NewTarget
		for i, r := range reps {
			targets = append(targets, appraisal.NewTarget{RepID: r.id, Metric: "visits", Value: math.Round(loadVisitsPerDay * float64(days))},
				appraisal.NewTarget{RepID: r.id, Metric: "orders", Value: orders},
				appraisal.NewTarget{RepID: r.id, Metric: "revenue", Value: orders * loadOrderValue})
			if len(targets)+3 > appraisal.MaxTargets || i == len(reps)-1 {
				if _, err := p.appraisal.SetTargets(ctx, month, targets); err != nil {
					return n, fmt.Errorf("load targets of %s: %w", month, err)
				}
				n += int64(len(targets))
				targets = targets[:0]
			}
		}
	}
	return n, nil
}
