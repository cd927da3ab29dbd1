package tenants

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
)

// loadCount is where one of LoadCounts' numbers is counted: the rows of a table that match.
type loadCount struct {
	into  *int64
	table string
	where string
}

// loadCounted lists where each of n's numbers is counted.
func loadCounted(n *LoadCounts) []loadCount {
	return []loadCount{
		{&n.Regions, "regions", ""}, {&n.Teams, "teams", ""}, {&n.Managers, "user_roles", "role = 'manager'"},
		{&n.Reps, "user_roles", "role = 'rep'"}, {&n.Customers, "customers", ""}, {&n.Products, "products", ""},
		{&n.Visits, "visits", ""}, {&n.Suspicious, "visits", "NOT trusted"}, {&n.Calls, "activities", "kind = 'call'"},
		{&n.Messages, "activities", "kind = 'message'"}, {&n.Meetings, "activities", "kind = 'meeting'"},
		{&n.Orders, "orders", ""}, {&n.OrderLines, "order_lines", ""}, {&n.Deliveries, "deliveries", ""},
		{&n.Payments, "payments", ""}, {&n.ShelfChecks, "shelf_checks", ""}, {&n.ShelfItems, "shelf_check_items", ""},
		{&n.Targets, "appraisal_targets", ""},
	}
}

// loadCounts counts an existing load tenant's rows, in its tenant transaction.
func (p *Provisioner) loadCounts(ctx context.Context, tenant uuid.UUID) (LoadCounts, error) {
	var n LoadCounts
	err := p.store.Tx(identity.System(ctx, tenant), func(_ context.Context, db *gorm.DB) error {
		return countLoad(db, &n)
	})
	return n, err
}

// countLoad counts into n with db, which confines itself to one tenant.
func countLoad(db *gorm.DB, n *LoadCounts) error {
	for _, c := range loadCounted(n) {
		q := db.Table(c.table)
		if c.where != "" {
			q = q.Where(c.where)
		}
		if err := q.Count(c.into).Error; err != nil {
			return fmt.Errorf("count %s: %w", c.table, err)
		}
	}
	return nil
}
