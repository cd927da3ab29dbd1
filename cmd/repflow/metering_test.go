package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
)

// Every admitted API request of a signed-in caller counts for the caller's tenant, per day;
// anonymous ones count for no one. The counts reach the database when the meter flushes, added to
// what is there (several replicas each add theirs).
func TestAPICallsAreCountedPerTenant(t *testing.T) {
	h := newHarness(t)
	a, b := h.company("Count Foods"), h.company("Other Foods")
	calls := func(tenant uuid.UUID) int64 {
		t.Helper()
		if err := h.app.meter.Flush(t.Context()); err != nil {
			t.Fatal(err)
		}
		var n int64
		err := h.app.store.Owner(t.Context()).Table("api_calls").Where("tenant_id = ? AND day = ?", tenant, time.Now().UTC().Format(time.DateOnly)).
			Select("COALESCE(SUM(calls), 0)").Scan(&n).Error
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	beforeA, beforeB := calls(a.tenant), calls(b.tenant)
	for range 3 {
		h.call(a.tokens["rep"], http.MethodGet, "/api/v1/me", nil, nil)
	}
	h.call(a.tokens["admin"], http.MethodGet, "/api/v1/customers", nil, nil)
	h.call(b.tokens["hq"], http.MethodGet, "/api/v1/me", nil, nil)
	h.call("", http.MethodGet, "/api/v1/me", nil, nil) // anonymous: refused, and nobody's
	if got := calls(a.tenant) - beforeA; got != 4 {
		t.Errorf("tenant A made 4 calls, counted %d", got)
	}
	if got := calls(b.tenant) - beforeB; got != 1 {
		t.Errorf("tenant B made 1 call, counted %d", got)
	}
	// A second flush with nothing new adds nothing.
	if got := calls(a.tenant) - beforeA; got != 4 {
		t.Errorf("after an empty flush tenant A has %d calls, want 4", got)
	}
}
