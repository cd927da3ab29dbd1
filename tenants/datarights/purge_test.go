package datarights_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/blob"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/tenants"
	"github.com/repflow/repflow/tenants/datarights"
)

// exportReady asks for an export of c and waits for the queue to finish it.
func (w *world) exportReady(t *testing.T, c *company) datarights.Export {
	t.Helper()
	ctx := w.as(t, c, c.admin)
	e, err := w.svc.RequestExport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if e, err = w.svc.Export(ctx, e.ID); err != nil {
			t.Fatal(err)
		}
		if e.Status == datarights.ExportReady {
			return e
		}
	}
	t.Fatalf("export %s of %s still %s after a minute", e.ID, c.slug, e.Status)
	return e
}

// status reads a tenant's status; "" when its row is gone.
func (w *world) status(t *testing.T, tenant uuid.UUID) string {
	t.Helper()
	var s []string
	if err := w.s.Owner(context.Background()).Table("tenants").Where("id = ?", tenant).Pluck("status", &s).Error; err != nil {
		t.Fatal(err)
	}
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func (w *world) throttled(t *testing.T, email string) int64 {
	t.Helper()
	var n int64
	if err := w.s.Owner(context.Background()).Table("login_throttle").Where("key = ?", "email:"+email).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// The purge proof: a tenant with rows in every tenant table, in the global tables that name it,
// in the job queue, with photos and an export on disk, is purged beside another tenant with the
// same photo; then every table of the database is scanned for its id.
func TestPurgeLeavesNoRowOfTheTenant(t *testing.T) {
	w := newWorld(t)
	a, b := w.newCompany(t, "alpha"), w.newCompany(t, "beta")
	w.start(t)
	w.exportReady(t, a)
	eb := w.exportReady(t, b)
	w.stop()

	before := w.mentions(t, a.tenant)
	for _, table := range append(w.tenantTables(t), "tenants", "tenant_billing", "mail_outbox", "signup_verifications", "operator_audit", "river_job") {
		if before[table] == 0 {
			t.Errorf("the fixture gives %s no row of the tenant: add one to fill_test.go, so that the purge is proven on it", table)
		}
	}
	if w.throttled(t, a.email) != 1 {
		t.Fatal("the fixture has no login throttle row for the tenant's admin")
	}
	othersBefore := w.mentions(t, b.tenant)

	ctx := context.Background()
	if _, err := w.svc.RequestDeletion(w.as(t, a, a.admin), a.slug); err != nil {
		t.Fatal(err)
	}
	w.clock.advance(datarights.DefaultGrace + time.Minute)
	if err := w.svc.PurgeDue(ctx); err != nil {
		t.Fatal(err)
	}

	// operator_audit is kept on purpose: the platform's record of its operators' actions.
	want := map[string]int{"operator_audit": before["operator_audit"]}
	if diff := cmp.Diff(want, w.mentions(t, a.tenant)); diff != "" {
		t.Errorf("rows naming the purged tenant, per table (-want +got):\n%s", diff)
	}
	if w.throttled(t, a.email) != 0 {
		t.Error("the purged tenant's admin still has a login throttle row")
	}
	if diff := cmp.Diff(othersBefore, w.mentions(t, b.tenant)); diff != "" {
		t.Errorf("the other tenant's rows changed (-before +after):\n%s", diff)
	}
	if w.throttled(t, b.email) != 1 {
		t.Error("the other tenant's login throttle row went too")
	}
	if _, _, err := w.photos.Open(ctx, a.tenant, a.photo); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("the purged tenant's photo: %v, want gone", err)
	}
	if f, _, err := w.photos.Open(ctx, b.tenant, b.photo); err != nil {
		t.Errorf("the other tenant's photo (same content, same hash) is gone: %v", err)
	} else {
		f.Close()
	}
	if _, err := os.Stat(filepath.Join(w.exportDir, a.tenant.String())); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the purged tenant's exports are still on disk: %v", err)
	}
	if _, err := os.Stat(filepath.Join(w.exportDir, b.tenant.String(), eb.ID.String()+".zip")); err != nil {
		t.Errorf("the other tenant's export is gone: %v", err)
	}
}

func TestPurgeWaitsForTheGracePeriodAndCancelStopsIt(t *testing.T) {
	w := newWorld(t)
	a := w.newCompany(t, "alpha")
	ctx := context.Background()
	admission := tenants.NewAdmission(w.s, nil)

	if _, err := w.svc.RequestDeletion(w.as(t, a, a.rep), a.slug); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("a rep asked for the deletion: %v, want forbidden", err)
	}
	_, err := w.svc.RequestDeletion(w.as(t, a, a.admin), "alpha-foods")
	if f, ok := fault.As(err); !ok || f.Kind != fault.Invalid || f.Details[0].Location != "body.confirm_slug" {
		t.Fatalf("a wrong slug: %v, want invalid body.confirm_slug", err)
	}
	if got := w.status(t, a.tenant); got != "active" {
		t.Fatalf("after a refused deletion the tenant is %q", got)
	}
	d, err := w.svc.RequestDeletion(w.as(t, a, a.admin), " alpha ")
	if err != nil {
		t.Fatal(err)
	}
	if got := d.PurgeAfter.Sub(d.RequestedAt); got != datarights.DefaultGrace {
		t.Errorf("grace period %v, want %v", got, datarights.DefaultGrace)
	}
	if got := w.status(t, a.tenant); got != datarights.StatusDeleting {
		t.Fatalf("status %q, want %q", got, datarights.StatusDeleting)
	}
	if err := admission.Open(ctx, a.tenant); !fault.Is(err, fault.Forbidden) {
		t.Errorf("admission lets the people of a tenant being deleted in: %v", err)
	}

	w.clock.advance(datarights.DefaultGrace - time.Hour)
	if _, err := w.svc.Purge(ctx, a.tenant); !fault.Is(err, fault.Conflict) {
		t.Fatalf("purge within the grace period: %v, want a conflict", err)
	}
	if err := w.svc.PurgeDue(ctx); err != nil {
		t.Fatal(err)
	}
	if got := w.status(t, a.tenant); got != datarights.StatusDeleting {
		t.Fatalf("within the grace period the tenant is %q", got)
	}

	if err := w.svc.Cancel(ctx, a.tenant); err != nil {
		t.Fatal(err)
	}
	if got := w.status(t, a.tenant); got != "active" {
		t.Fatalf("after cancel the tenant is %q, want active", got)
	}
	if err := admission.Open(ctx, a.tenant); err != nil {
		t.Errorf("after cancel admission refuses: %v", err)
	}
	if _, pending, err := w.svc.Deletion(ctx, a.tenant); err != nil || pending {
		t.Errorf("after cancel a deletion is pending (%v, %v)", pending, err)
	}
	w.clock.advance(2 * time.Hour)
	if err := w.svc.PurgeDue(ctx); err != nil {
		t.Fatal(err)
	}
	if got := w.status(t, a.tenant); got != "active" {
		t.Fatalf("a cancelled deletion was purged anyway: status %q", got)
	}
	if err := w.svc.Cancel(ctx, a.tenant); !fault.Is(err, fault.Conflict) {
		t.Errorf("cancel of a tenant not being deleted: %v, want a conflict", err)
	}
	if err := w.svc.Cancel(ctx, uuid.New()); !fault.Is(err, fault.NotFound) {
		t.Errorf("cancel of an unknown tenant: %v, want not found", err)
	}

	// Asked again, the grace period starts again.
	if _, err := w.svc.RequestDeletion(w.as(t, a, a.admin), a.slug); err != nil {
		t.Fatal(err)
	}
	w.clock.advance(datarights.DefaultGrace)
	if err := w.svc.PurgeDue(ctx); err != nil {
		t.Fatal(err)
	}
	if got := w.status(t, a.tenant); got != "" {
		t.Fatalf("after the grace period the tenant is still %q", got)
	}
}

func TestATenantStripeStillBillsIsNotDeleted(t *testing.T) {
	w := newWorld(t)
	a := w.newCompany(t, "alpha")
	ctx := context.Background()
	bill := func(status string) {
		t.Helper()
		if err := w.s.Owner(ctx).Table("tenant_billing").Where("tenant = ?", a.tenant).Update("status", status).Error; err != nil {
			t.Fatal(err)
		}
	}
	bill("active")
	if _, err := w.svc.RequestDeletion(w.as(t, a, a.admin), a.slug); !errors.Is(err, datarights.ErrSubscriptionActive) {
		t.Fatalf("deletion of a subscribed tenant: %v, want ErrSubscriptionActive", err)
	}
	bill("canceled")
	if _, err := w.svc.RequestDeletion(w.as(t, a, a.admin), a.slug); err != nil {
		t.Fatal(err)
	}
	bill("past_due") // Stripe came back to it during the grace period
	w.clock.advance(datarights.DefaultGrace + time.Minute)
	if _, err := w.svc.Purge(ctx, a.tenant); !errors.Is(err, datarights.ErrSubscriptionActive) {
		t.Fatalf("purge of a billed tenant: %v, want ErrSubscriptionActive", err)
	}
	if err := w.svc.PurgeDue(ctx); err != nil {
		t.Fatalf("the sweep fails on a billed tenant instead of reporting it: %v", err)
	}
	if got := w.status(t, a.tenant); got != datarights.StatusDeleting {
		t.Fatalf("a billed tenant was purged: status %q", got)
	}
	bill("canceled")
	if err := w.svc.PurgeDue(ctx); err != nil {
		t.Fatal(err)
	}
	if got := w.status(t, a.tenant); got != "" {
		t.Fatalf("once its subscription ended the tenant was not purged: status %q", got)
	}
}
