package tenants

import (
	"context"
	"fmt"
	"time"

	"github.com/repflow/repflow/platform/appraisal"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/org"
)

// demoTargets are every demo rep's monthly targets: what a food company's area manager would ask
// of a rep covering a few dozen shops and restaurants. The template's own defaults give the rest
// (coverage, distribution, verified check-ins).
var demoTargets = map[string]float64{"visits": 45, "orders": 8, "revenue": 20000}

// buildDemoAppraisal sets this month's targets for every rep and makes the month's report, so a
// newcomer finds a scorecard per rep and a report to open and download.
func (p *Provisioner) buildDemoAppraisal(ctx context.Context, now time.Time) error {
	loc, err := p.org.TimeZone(ctx)
	if err != nil {
		return err
	}
	month := now.In(loc).Format("2006-01")
	var targets []appraisal.NewTarget
	for f := (org.UserFilter{Role: identity.RoleRep, Status: org.StatusActive, Limit: org.MaxPageSize}); ; {
		page, err := p.org.ListUsers(ctx, f)
		if err != nil {
			return err
		}
		for _, u := range page.Users {
			for metric, v := range demoTargets {
				targets = append(targets, appraisal.NewTarget{RepID: u.ID, Metric: metric, Value: v})
			}
		}
		if page.Next == nil {
			break
		}
		f.After = page.Next
	}
	if _, err := p.appraisal.SetTargets(ctx, month, targets); err != nil {
		return fmt.Errorf("demo targets: %w", err)
	}
	if _, err := p.appraisal.MakeReport(ctx, month, appraisal.WholeTenant); err != nil {
		return fmt.Errorf("demo report: %w", err)
	}
	return nil
}
