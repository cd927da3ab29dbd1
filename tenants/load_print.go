package tenants

import (
	"fmt"
	"io"
	"time"
)

// Print says what the load tenant holds and how to sign in to it.
func (s LoadSummary) Print(w io.Writer) error {
	verb := "exists already; nothing was added"
	if s.Created {
		verb = fmt.Sprintf("was created in %s", s.Took.Round(time.Second))
	}
	n := s.Counts
	last := s.To.AddDate(0, 0, -1)
	lines := []string{
		fmt.Sprintf("Load tenant %q (slug %s) %s.", s.Company, s.Slug, verb),
		fmt.Sprintf("Its data covers %s to %s (Asia/Shanghai); make the report for %s.",
			s.From.Format(time.DateOnly), last.Format(time.DateOnly), s.Month),
		fmt.Sprintf("Organisation: %d regions, %d teams, %d managers, %d reps; %d customers, %d products.",
			n.Regions, n.Teams, n.Managers, n.Reps, n.Customers, n.Products),
		fmt.Sprintf("Visits: %d (%d suspicious). Activities: %d calls, %d messages, %d meetings.",
			n.Visits, n.Suspicious, n.Calls, n.Messages, n.Meetings),
		fmt.Sprintf("Orders: %d with %d lines, %d deliveries, %d payments. Shelf checks: %d (%d items). Targets: %d.",
			n.Orders, n.OrderLines, n.Deliveries, n.Payments, n.ShelfChecks, n.ShelfItems, n.Targets),
		fmt.Sprintf("Sign in as %s with password %s (the reps and managers have no password).", s.AdminEmail, s.Password),
	}
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}
