package tenants

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
)

// How many connectors (CRM and ERP systems kept in sync) a plan allows: a trial tries one; a
// subscription keeps up to SubscriptionConnectors, whatever its seats.
const (
	TrialConnectors        = 1
	SubscriptionConnectors = 3
)

// connectorsOf is the connector allowance of a plan; 0 (self-hosted) is no limit.
func connectorsOf(plan Plan) int {
	switch plan {
	case PlanTrial:
		return TrialConnectors
	case PlanSubscription:
		return SubscriptionConnectors
	}
	return 0
}

// CheckConnectors is sync's connector limit: configured is how many connectors the tenant of
// ctx would keep with the new one.
func (p *Plans) CheckConnectors(ctx context.Context, configured int) error {
	a, err := p.Allowance(ctx, identity.TenantID(ctx))
	if err != nil {
		return err
	}
	if a.Connectors == 0 || configured <= a.Connectors {
		return nil
	}
	what := "subscribe on the billing page for more"
	if a.Plan == PlanSubscription {
		what = "remove one you no longer use"
	}
	return fault.New(fault.Conflict, "connector_limit", fmt.Sprintf("your plan allows %d %s; %d %s configured: %s",
		a.Connectors, plural(a.Connectors, "connector", "connectors"), configured-1, plural(configured-1, "is", "are"), what))
}

// ConnectorsUsed counts the connectors of the tenant of ctx.
func (p *Plans) ConnectorsUsed(ctx context.Context) (int, error) {
	var n int64
	err := p.store.Tx(ctx, func(_ context.Context, db *gorm.DB) error {
		return db.Table("connectors").Count(&n).Error
	})
	if err != nil {
		return 0, fmt.Errorf("count connectors: %w", err)
	}
	return int(n), nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
