package datarights_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web/webtest"
	"github.com/repflow/repflow/tenants/datarights"
)

// download fetches an export's file through the API as c's admin.
func (w *world) download(t *testing.T, c *company, id uuid.UUID) (int, []byte) {
	t.Helper()
	return webtest.Call(t, w.srv, c.caller(c.admin), http.MethodGet, "/api/v1/tenant/exports/"+id.String()+"/file", nil)
}

// counts is the number of rows of tenant in every tenant table, read through the owner.
func (w *world) counts(t *testing.T, tenant uuid.UUID) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range w.tenantTables(t) {
		var n int64
		if err := w.s.Owner(context.Background()).Table(table).Where("tenant_id = ?", tenant).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func TestExportHoldsEveryTenantTableAndNoOtherTenant(t *testing.T) {
	w := newWorld(t)
	a, b := w.newCompany(t, "alpha"), w.newCompany(t, "beta")
	w.start(t)
	e := w.exportReady(t, a)
	want := w.counts(t, a.tenant) // nothing of a's changes between the export and now

	status, raw := w.download(t, a, e.ID)
	if status != http.StatusOK {
		t.Fatalf("download: status %d: %s", status, raw)
	}
	if int64(len(raw)) != e.Size {
		t.Errorf("downloaded %d bytes, the export says %d", len(raw), e.Size)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatalf("the export does not open as a zip: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], err = io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
	}
	var m datarights.Manifest
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if m.TenantID != a.tenant || m.ExportID != e.ID || m.SchemaVersion < 26 || m.Format != datarights.ManifestFormat {
		t.Errorf("manifest header %+v", m)
	}
	got := map[string]int64{}
	for _, tm := range m.Tables {
		got[tm.Name] = tm.Rows
		var rows []map[string]any
		if err := json.Unmarshal(files[tm.JSON], &rows); err != nil {
			t.Fatalf("%s: %v", tm.JSON, err)
		}
		records, err := csv.NewReader(bytes.NewReader(files[tm.CSV])).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", tm.CSV, err)
		}
		if int64(len(rows)) != tm.Rows || int64(len(records)) != tm.Rows+1 {
			t.Errorf("%s: %d JSON rows and %d CSV lines for %d rows", tm.Name, len(rows), len(records), tm.Rows)
		}
		for _, r := range rows {
			if r["tenant_id"] != a.tenant.String() {
				t.Errorf("%s has a row of tenant %v", tm.Name, r["tenant_id"])
			}
		}
		if tm.Name == "visits" && rows[0]["trusted"] != true {
			t.Errorf("visits.trusted is exported as %#v, want true on every database", rows[0]["trusted"])
		}
		if tm.Name == "credentials" {
			if !slices.Contains(tm.Redacted, "password_hash") || rows[0]["password_hash"] != nil {
				t.Errorf("credentials.password_hash is exported: %v", rows[0]["password_hash"])
			}
		}
		if tm.Name == "connectors" {
			if !slices.Contains(tm.Redacted, "secrets") || rows[0]["secrets"] != nil || rows[0]["config"] == nil {
				t.Errorf("a connector is exported as %v (redacted %v): its config without its secrets", rows[0], tm.Redacted)
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tables and row counts of the export (-database +export):\n%s", diff)
	}
	if !bytes.Equal(files["attachments/"+a.photo], samePhoto) || m.Attachments.Count != 1 || len(m.Attachments.Missing) != 0 {
		t.Errorf("attachments %+v; the photo's bytes are in: %v", m.Attachments, bytes.Equal(files["attachments/"+a.photo], samePhoto))
	}
	for name, content := range files {
		for _, foreign := range []uuid.UUID{b.tenant, b.rep, b.related["customer"], b.related["order"]} {
			if bytes.Contains(bytes.ToLower(content), []byte(foreign.String())) {
				t.Errorf("%s holds %s of the other tenant", name, foreign)
			}
		}
	}

	var actions []string
	err = w.s.Owner(context.Background()).Table("audit_records").Where("tenant_id = ? AND action LIKE 'tenant.export.%'", a.tenant).
		Order("seq").Pluck("action", &actions).Error
	if err != nil {
		t.Fatal(err)
	}
	// The request went to the service itself here (exportReady): its record is the HTTP edge's,
	// which cmd/repflow's route walk checks. The download, a read, is recorded by the service.
	if diff := cmp.Diff([]string{"tenant.export.download"}, actions); diff != "" {
		t.Errorf("audit trail of the export (-want +got):\n%s", diff)
	}
}

func TestExportAPIIsTheTenantAdminsAlone(t *testing.T) {
	w := newWorld(t)
	a, b := w.newCompany(t, "alpha"), w.newCompany(t, "beta")
	call := func(c *company, user uuid.UUID, method, path string, body any) (int, []byte) {
		return webtest.Call(t, w.srv, c.caller(user), method, path, body)
	}
	status, raw := call(a, a.rep, http.MethodPost, "/api/v1/tenant/export", nil)
	webtest.WantError(t, status, raw, http.StatusForbidden, "forbidden", "")

	status, raw = call(a, a.admin, http.MethodPost, "/api/v1/tenant/export", nil)
	if status != http.StatusAccepted {
		t.Fatalf("request export: %d %s", status, raw)
	}
	e := webtest.Decode[datarights.ExportDTO](t, raw)
	if e.Status != datarights.ExportQueued || e.FileURL != "" {
		t.Errorf("a new export: %+v", e)
	}
	status, raw = call(a, a.admin, http.MethodPost, "/api/v1/tenant/export", nil)
	webtest.WantError(t, status, raw, http.StatusConflict, "export_in_progress", "")

	path := "/api/v1/tenant/exports/" + e.ID.String()
	status, raw = call(b, b.admin, http.MethodGet, path, nil)
	webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
	status, raw = call(b, b.admin, http.MethodGet, path+"/file", nil)
	webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
	status, raw = call(a, a.rep, http.MethodGet, path, nil)
	webtest.WantError(t, status, raw, http.StatusForbidden, "forbidden", "")
	status, raw = call(a, a.admin, http.MethodGet, path+"/file", nil)
	webtest.WantError(t, status, raw, http.StatusConflict, "export_not_ready", "")
	status, raw = call(a, a.admin, http.MethodGet, "/api/v1/tenant/exports", nil)
	list := webtest.Decode[datarights.ExportListDTO](t, raw)
	if status != http.StatusOK || len(list.Exports) != 1 || list.Exports[0].ID != e.ID {
		t.Errorf("list: %d %s", status, raw)
	}

	// The queue never ran it: a day later the sweep gives it up, and another can be asked for.
	w.clock.advance(25 * time.Hour)
	if err := w.svc.ExpireExports(context.Background()); err != nil {
		t.Fatal(err)
	}
	status, raw = call(a, a.admin, http.MethodGet, path, nil)
	if got := webtest.Decode[datarights.ExportDTO](t, raw); status != http.StatusOK || got.Status != datarights.ExportFailed {
		t.Errorf("an export never worked, a day later: %d %s", status, raw)
	}
	if status, raw = call(a, a.admin, http.MethodPost, "/api/v1/tenant/export", nil); status != http.StatusAccepted {
		t.Errorf("a new export after a failed one: %d %s", status, raw)
	}
}

func TestExportFileExpires(t *testing.T) {
	w := newWorld(t)
	a := w.newCompany(t, "alpha")
	w.start(t)
	e := w.exportReady(t, a)
	file := filepath.Join(w.exportDir, a.tenant.String(), e.ID.String()+".zip")

	w.clock.advance(datarights.DefaultExportTTL - time.Minute)
	if status, raw := w.download(t, a, e.ID); status != http.StatusOK {
		t.Fatalf("download within its time: %d %s", status, raw)
	}
	w.clock.advance(2 * time.Minute)
	status, raw := w.download(t, a, e.ID)
	webtest.WantError(t, status, raw, http.StatusConflict, "export_expired", "")
	if err := w.svc.ExpireExports(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the expired export's file is still there: %v", err)
	}
	got, err := w.svc.Export(w.as(t, a, a.admin), e.ID)
	if err != nil || got.Status != datarights.ExportExpired {
		t.Errorf("after the sweep: %+v, %v", got, err)
	}
}

func TestDeletionAPI(t *testing.T) {
	w := newWorld(t)
	a := w.newCompany(t, "alpha")
	status, raw := webtest.Call(t, w.srv, a.caller(a.admin), http.MethodPost, "/api/v1/tenant/deletion", map[string]string{"confirm_slug": "beta"})
	e := webtest.Decode[webtest.Error](t, raw)
	if status < 400 || status >= 500 || e.Error.Details[0].Location != "body.confirm_slug" || !strings.Contains(e.Error.Message, "alpha") {
		t.Fatalf("deletion with the wrong slug: %d %s", status, raw)
	}
	status, raw = webtest.Call(t, w.srv, a.caller(a.rep), http.MethodPost, "/api/v1/tenant/deletion", map[string]string{"confirm_slug": "alpha"})
	webtest.WantError(t, status, raw, http.StatusForbidden, "forbidden", "")
	status, raw = webtest.Call(t, w.srv, a.caller(a.admin), http.MethodPost, "/api/v1/tenant/deletion", map[string]string{"confirm_slug": "alpha"})
	d := webtest.Decode[datarights.DeletionDTO](t, raw)
	if status != http.StatusAccepted || d.Status != datarights.StatusDeleting || d.PurgeAfter.Sub(d.RequestedAt) != datarights.DefaultGrace {
		t.Fatalf("deletion: %d %s", status, raw)
	}
	var actions []string
	if err := w.s.Owner(context.Background()).Table("audit_records").Where("tenant_id = ?", a.tenant).Order("seq").Pluck("action", &actions).Error; err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(actions, "POST /api/v1/tenant/deletion") {
		t.Errorf("the deletion is not in the audit trail: %v", actions)
	}
}
