package main

import (
	"context"
	"net/http"
	"testing"
)

// TestChangedBuiltinPoliciesReachExistingTenants plays an upgrade: a tenant made by an older
// release lacks some built-in policies, and the next start gives them to it, once.
func TestChangedBuiltinPoliciesReachExistingTenants(t *testing.T) {
	h := newHarness(t)
	c := h.company("Old Foods")
	ctx := context.Background()
	if n, err := h.app.provisioner.RefreshDefaults(ctx); err != nil || n != 1 {
		t.Fatalf("first refresh: seeded %d tenants, err %v; want 1", n, err)
	}
	if n, err := h.app.provisioner.RefreshDefaults(ctx); err != nil || n != 0 {
		t.Fatalf("refresh with nothing changed: seeded %d tenants, err %v; want 0", n, err)
	}
	owner := h.app.store.Owner(ctx)
	// The older release knew no customers: its tenants have no customer policies.
	if err := owner.Exec("DELETE FROM access_policies WHERE tenant_id = ? AND builtin AND kinds LIKE ?", c.tenant, `%"customer"%`).Error; err != nil {
		t.Fatal(err)
	}
	if err := owner.Exec("UPDATE access_defaults SET digest = 'an older release'").Error; err != nil {
		t.Fatal(err)
	}
	if n, err := h.app.provisioner.RefreshDefaults(ctx); err != nil || n != 1 {
		t.Fatalf("refresh after an upgrade: seeded %d tenants, err %v; want 1", n, err)
	}
	if code, text := h.raw(c.tokens["rep"], http.MethodGet, "/api/v1/customers/"+c.customer.ID.String(), nil); code != http.StatusOK {
		t.Errorf("the rep reads their own customer after the refresh: %d %s", code, text)
	}
	var restored int64
	owner.Table("access_policies").Where("tenant_id = ? AND builtin AND kinds LIKE ?", c.tenant, `%"customer"%`).Count(&restored)
	if restored == 0 {
		t.Error("the refresh did not restore the customer policies")
	}
}
