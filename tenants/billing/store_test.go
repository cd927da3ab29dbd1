package billing

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// TestTenantsCannotReachBillingTables: billing state is global. On PostgreSQL the role tenant
// transactions run as has no privilege on it, so not even raw SQL in a tenant's request can read
// or forge its own standing.
func TestTenantsCannotReachBillingTables(t *testing.T) {
	h := newHarness(t, true)
	if h.store.Dialect() != store.Postgres {
		t.Skip("roles and privileges exist on PostgreSQL only")
	}
	for _, stmt := range []string{"SELECT count(*) FROM tenant_billing", "SELECT count(*) FROM billing_events",
		"UPDATE tenant_billing SET status = 'active'"} {
		err := h.store.Tx(identity.System(context.Background(), h.tenant), func(_ context.Context, db *gorm.DB) error {
			var n int64
			return db.Raw(stmt).Scan(&n).Error
		})
		if err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("%s in a tenant transaction: %v, want permission denied", stmt, err)
		}
	}
}
