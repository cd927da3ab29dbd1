package main

import (
	"net/http"
	"testing"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/tenants"
)

// A company that asks for sample data at sign-up opens with sample customers, visits,
// opportunities and orders; its sample people take no seat. Only a tenant admin removes them,
// with one audited request, after which the lists are empty again.
func TestSignUpWithSampleDataAndRemoveIt(t *testing.T) {
	h := harnessOn(t, storetest.Open(t), false, billingOn)
	email := "owner@sample-co.test"
	body := signupBody("Sample Co", "fmcg", email)
	body["sample_data"] = true
	var signed tenants.SignedUpDTO
	if code := h.call("", http.MethodPost, "/api/v1/signup", body, &signed); code != http.StatusAccepted {
		t.Fatalf("sign-up with sample data: %d", code)
	}
	h.call("", http.MethodPost, "/api/v1/signup/verify", map[string]string{"token": h.verificationToken(email)}, nil)
	admin := h.login(email)
	count := func(path, list string) int {
		t.Helper()
		var page map[string]any
		if code := h.call(admin, http.MethodGet, path, nil, &page); code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, code)
		}
		items, _ := page[list].([]any)
		return len(items)
	}
	lists := []struct{ path, list string }{{"/api/v1/customers", "customers"}, {"/api/v1/visits", "visits"},
		{"/api/v1/opportunities", "opportunities"}, {"/api/v1/orders", "orders"}}
	for _, l := range lists {
		if n := count(l.path, l.list); n == 0 {
			t.Errorf("%s of a new company with sample data: none", l.list)
		}
	}
	var plan tenants.PlanDTO
	if code := h.call(admin, http.MethodGet, "/api/v1/plan", nil, &plan); code != http.StatusOK || plan.ActiveSeats != 1 {
		t.Errorf("seats with the sample people: %d %+v", code, plan)
	}

	var root struct{ Regions []struct{ ID string } }
	h.call(admin, http.MethodGet, "/api/v1/regions", nil, &root)
	if code, b := h.raw(admin, http.MethodPost, "/api/v1/users", map[string]any{"email": "hq@sample-co.test", "name": "Analyst",
		"roles": []string{identity.RoleHQ}, "region_id": root.Regions[0].ID, "password": testPassword}); code != http.StatusCreated {
		t.Fatalf("an HQ analyst: %d %s", code, b)
	}
	hq := h.login("hq@sample-co.test")
	if code := h.call(hq, http.MethodDelete, "/api/v1/sample-data", nil, nil); code != http.StatusForbidden {
		t.Errorf("HQ removes the sample data: %d", code)
	}
	var removal tenants.SampleRemovalDTO
	if code := h.call(admin, http.MethodDelete, "/api/v1/sample-data", nil, &removal); code != http.StatusOK ||
		removal.Removed["customers"] != 5 || removal.Removed["users"] != 2 || len(removal.Kept) != 0 {
		t.Fatalf("the admin removes the sample data: %d %+v", code, removal)
	}
	if got := h.lastAudit(signed.TenantID); got.Action != "DELETE /api/v1/sample-data" || got.Status != http.StatusOK {
		t.Errorf("the removal's audit record: %+v", got)
	}
	for _, l := range lists {
		if n := count(l.path, l.list); n != 0 {
			t.Errorf("%s after the removal: %d", l.list, n)
		}
	}
}
