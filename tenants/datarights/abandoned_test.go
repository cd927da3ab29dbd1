package datarights_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/blob"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/tenants"
	"github.com/repflow/repflow/tenants/datarights"
)

// A sign-up left unverified for longer than the limit is purged from every table, its photos
// with it, and recorded in the operator audit; its admin's address can sign up again. A fresh
// sign-up, one whose link was mailed again lately, and a verified tenant stay as they were.
func TestAbandonedSignUpsArePurged(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	db := w.s.Owner(ctx)
	now := w.clock.Now()
	aged := func(slug, status string, age time.Duration) *company {
		t.Helper()
		c := w.newCompany(t, slug)
		at := now.Add(-age)
		if err := db.Table("tenants").Where("id = ?", c.tenant).Updates(map[string]any{"status": status, "created_at": at}).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Table("signup_verifications").Where("tenant = ?", c.tenant).Update("created_at", at).Error; err != nil {
			t.Fatal(err)
		}
		return c
	}
	abandoned := aged("abandoned", tenants.StatusUnverified, 8*24*time.Hour)
	fresh := aged("fresh", tenants.StatusUnverified, 6*24*time.Hour)
	verified := aged("verified", tenants.StatusActive, 30*24*time.Hour)
	renewed := aged("renewed", tenants.StatusUnverified, 9*24*time.Hour)
	if err := db.Table("signup_verifications").Create(map[string]any{"token_hash": "again-renewed", "tenant": renewed.tenant, "email": renewed.email,
		"created_at": now.Add(-24 * time.Hour), "expires_at": now.Add(24 * time.Hour)}).Error; err != nil {
		t.Fatal(err)
	}
	before := map[uuid.UUID]map[string]int{}
	for _, c := range []*company{abandoned, fresh, verified, renewed} {
		before[c.tenant] = w.mentions(t, c.tenant)
	}

	// The sweep's own service, recording into operator_audit as cmd wires admin's recorder.
	q, err := jobs.New(w.s, jobs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var recorded []string
	svc, err := datarights.New(w.s, q, w.photos, w.audit, datarights.Options{ExportDir: w.exportDir, Now: w.clock.Now,
		RecordPurge: func(_ context.Context, tx *gorm.DB, tenant uuid.UUID, action, detail string) error {
			recorded = append(recorded, action+" "+tenant.String()+": "+detail)
			return tx.Table("operator_audit").Create(map[string]any{"id": identity.NewID(), "at": now, "operator_email": "platform",
				"action": action, "outcome": "ok", "tenant": tenant, "reason": "", "detail": detail, "ip": "", "request_id": ""}).Error
		}})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // a second run finds nothing more to do
		if err := svc.PurgeAbandoned(ctx); err != nil {
			t.Fatal(err)
		}
	}

	want := map[string]int{"operator_audit": before[abandoned.tenant]["operator_audit"] + 1}
	if diff := cmp.Diff(want, w.mentions(t, abandoned.tenant)); diff != "" {
		t.Errorf("rows naming the abandoned sign-up, per table (-want +got):\n%s", diff)
	}
	if len(recorded) != 1 || !strings.Contains(recorded[0], datarights.ActionPurgeAbandoned+" "+abandoned.tenant.String()) ||
		!strings.Contains(recorded[0], "longer than 7 days") || strings.Contains(recorded[0], abandoned.email) {
		t.Errorf("the operator audit of the sweep: %q", recorded)
	}
	if _, _, err := w.photos.Open(ctx, abandoned.tenant, abandoned.photo); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("the abandoned sign-up's photo: %v, want gone", err)
	}
	for name, c := range map[string]*company{"fresh": fresh, "verified": verified, "renewed": renewed} {
		if diff := cmp.Diff(before[c.tenant], w.mentions(t, c.tenant)); diff != "" {
			t.Errorf("the %s tenant's rows changed (-before +after):\n%s", name, diff)
		}
	}
	if _, err := w.prov.Provision(ctx, tenants.Signup{Company: "Second Try Foods", Industry: tenants.IndustryFMCG, TimeZone: "Asia/Shanghai",
		Currency: "CNY", AdminName: "Admin again", AdminEmail: abandoned.email, AdminPassword: "correct horse battery"}); err != nil {
		t.Errorf("signing up again with the abandoned sign-up's address: %v", err)
	}
}
