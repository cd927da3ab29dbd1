package admin

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// BillingLookup returns a tenant's billing state (subscription status, seats, grace, ...) keyed
// by name, or nil when billing records nothing for it. It is the hook for tenants/billing: cmd
// may pass one built on billing.Service.Standing; the default reads the tenant's row of
// tenant_billing as it stands.
type BillingLookup func(ctx context.Context, tenantID uuid.UUID) (map[string]any, error)

// billingTable is the global table tenants/billing keeps one row per tenant in (migration 23).
const billingTable = "tenant_billing"

// billingKeys are the names the table's tenant column has had while billing was built beside
// this package ("tenant" is the global tables' convention: tenant_id marks a tenant-walled one).
var billingKeys = []string{"tenant", "tenant_id", "id"}

// readBillingTable reads the tenant's tenant_billing row whatever its columns, so a column
// billing adds later shows in the console without a change here.
func (s *Service) readBillingTable(ctx context.Context, tenantID uuid.UUID) (map[string]any, error) {
	db := s.st.Owner(ctx)
	key := ""
	for _, k := range billingKeys {
		if db.Migrator().HasColumn(billingTable, k) {
			key = k
			break
		}
	}
	if key == "" {
		return nil, nil // no billing table (or none this package can read): nothing to show
	}
	var rows []map[string]any
	if err := db.Table(billingTable).Where(key+" = ?", tenantID).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read %s: %w", billingTable, err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	out := make(map[string]any, len(rows[0]))
	for k, v := range rows[0] {
		if k != key {
			out[k] = jsonValue(v)
		}
	}
	return out, nil
}

// jsonValue turns what the drivers scan into something JSON shows as a person expects: ids as
// UUID text, text as text rather than base64, times in UTC like the rest of the API.
func jsonValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC()
	case [16]byte:
		return uuid.UUID(x).String()
	case []byte:
		if utf8.Valid(x) {
			return string(x)
		}
		return fmt.Sprintf("%x", x)
	}
	return v
}
