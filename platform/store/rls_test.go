package store_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
)

func requirePostgres(t *testing.T) {
	t.Helper()
	if testingURL() == "" {
		t.Skip("row-level security exists on PostgreSQL only; set " + storetest.EnvURL)
	}
}

// TestRowLevelSecurity is the second wall: raw SQL, which the tenant callbacks cannot rewrite,
// still sees and writes the transaction's tenant only.
func TestRowLevelSecurity(t *testing.T) {
	requirePostgres(t)
	s := storetest.Open(t)
	a, b, ra, _ := seed(t, s)
	err := s.Tx(identity.System(context.Background(), b), func(ctx context.Context, db *gorm.DB) error {
		var tenants []uuid.UUID
		if err := db.Raw("SELECT tenant_id FROM regions").Scan(&tenants).Error; err != nil {
			return err
		}
		for _, got := range tenants {
			if got != b {
				t.Errorf("raw SELECT with no tenant filter in B returned a row of %s", got)
			}
		}
		if len(tenants) != 1 {
			t.Errorf("raw SELECT in B returned %d rows, want B's 1", len(tenants))
		}
		var n int64
		if err := db.Raw("SELECT count(*) FROM regions WHERE id = ?", ra.ID).Scan(&n).Error; err != nil || n != 0 {
			t.Errorf("raw SELECT of A's id in B: count %d err %v", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	planted := newRegion("planted")
	err = s.Tx(identity.System(context.Background(), b), func(ctx context.Context, db *gorm.DB) error {
		return db.Exec("INSERT INTO regions (tenant_id, id, name, path, created_at, updated_at) VALUES (?, ?, ?, ?, now(), now())",
			a, planted.ID, planted.Name, planted.Path).Error
	})
	if err == nil {
		t.Fatal("raw INSERT of A's tenant_id inside B's transaction was accepted")
	}
	err = s.Tx(identity.System(context.Background(), b), func(ctx context.Context, db *gorm.DB) error {
		res := db.Exec("UPDATE regions SET name = 'stolen' WHERE id = ?", ra.ID)
		if res.RowsAffected != 0 {
			t.Errorf("raw UPDATE in B changed %d of A's rows", res.RowsAffected)
		}
		return res.Error
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTenantTablesAreWalled checks the schema itself: every table with a tenant_id column has
// forced row-level security with the tenant policy, every index and foreign key leads with
// tenant_id, and the role tenant work runs as can bypass none of it.
func TestTenantTablesAreWalled(t *testing.T) {
	requirePostgres(t)
	s := storetest.Open(t)
	db := s.Owner(context.Background())
	var tables []string
	if err := db.Raw(`SELECT table_name FROM information_schema.columns
		WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name`).Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	if len(tables) < 5 {
		t.Fatalf("found only %d tenant tables: %v", len(tables), tables)
	}
	for _, table := range tables {
		var rls, force bool
		if err := db.Raw("SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = ?::regclass", table).Row().Scan(&rls, &force); err != nil {
			t.Fatal(err)
		}
		if !rls || !force {
			t.Errorf("%s: row-level security enabled=%v forced=%v", table, rls, force)
		}
		var policies int64
		db.Raw("SELECT count(*) FROM pg_policies WHERE tablename = ? AND policyname = 'tenant_isolation' AND ? = ANY(roles)", table, store.AppRole).Scan(&policies)
		if policies != 1 {
			t.Errorf("%s: no tenant_isolation policy for %s", table, store.AppRole)
		}
		var badIndexes []string
		db.Raw(`SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
			JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
			WHERE x.indrelid = ?::regclass AND a.attname <> 'tenant_id'`, table).Scan(&badIndexes)
		for _, ix := range badIndexes {
			// The login directory is keyed by e-mail on purpose: see migrations/0001_core.go.
			if ix != "login_emails_pkey" {
				t.Errorf("%s: index %s does not lead with tenant_id", table, ix)
			}
		}
		var badKeys []string
		db.Raw(`SELECT c.conname FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
			WHERE c.conrelid = ?::regclass AND c.contype = 'f' AND a.attname <> 'tenant_id'`, table).Scan(&badKeys)
		for _, k := range badKeys {
			t.Errorf("%s: foreign key %s does not lead with tenant_id", table, k)
		}
	}
	var super, bypass, owns bool
	if err := db.Raw("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ?", store.AppRole).Row().Scan(&super, &bypass); err != nil {
		t.Fatal(err)
	}
	db.Raw("SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tableowner = ?)", store.AppRole).Scan(&owns)
	if super || bypass || owns {
		t.Errorf("%s must not be superuser (%v), bypass RLS (%v) or own tables (%v)", store.AppRole, super, bypass, owns)
	}
}
