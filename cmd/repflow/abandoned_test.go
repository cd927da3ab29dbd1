package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/repflow/repflow/admin"
	"github.com/repflow/repflow/tenants"
	"github.com/repflow/repflow/tenants/datarights"
)

// A sign-up nobody verified within the limit is purged by the sweep the server schedules (the
// test runs it), with a line in the operator audit that names no operator; its address can sign
// up again at once.
func TestAbandonedSignUpIsPurgedAndItsAddressFreed(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	email := "late@abandoned.test"
	var first tenants.SignedUpDTO
	if code := h.call("", http.MethodPost, "/api/v1/signup", signupBody("Abandoned Co", "industrial", email), &first); code != http.StatusAccepted {
		t.Fatalf("sign-up: %d", code)
	}
	db := h.app.store.Owner(ctx)
	long := time.Now().UTC().Add(-h.app.dataRights.AbandonAfter() - time.Hour)
	if err := db.Table("tenants").Where("id = ?", first.TenantID).Update("created_at", long).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Table("signup_verifications").Where("tenant = ?", first.TenantID).Update("created_at", long).Error; err != nil {
		t.Fatal(err)
	}
	if err := h.app.dataRights.PurgeAbandoned(ctx); err != nil {
		t.Fatal(err)
	}
	if n := h.tenantCount(); n != 0 {
		t.Errorf("tenants after the sweep: %d, want 0", n)
	}
	var lines []struct {
		OperatorEmail string
		Action        string
		Outcome       string
	}
	if err := db.Table("operator_audit").Where("tenant = ?", first.TenantID).Find(&lines).Error; err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || lines[0].OperatorEmail != admin.PlatformActor || lines[0].Action != datarights.ActionPurgeAbandoned || lines[0].Outcome != "ok" {
		t.Errorf("the operator audit of the sweep: %+v", lines)
	}
	var again tenants.SignedUpDTO
	if code := h.call("", http.MethodPost, "/api/v1/signup", signupBody("Abandoned Co", "industrial", email), &again); code != http.StatusAccepted || again.TenantID == first.TenantID {
		t.Errorf("signing up again with the freed address: %d %+v", code, again)
	}
}
