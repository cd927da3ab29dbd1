package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/repflow/repflow/tenants/datarights"
)

// A tenant admin takes the company's data away as a zip, then asks for the account's deletion
// (typing the slug): everyone is refused at once, until the operator, asked in time, cancels it.
func TestExportThenDeletionCancelledByTheOperator(t *testing.T) {
	h := newHarness(t)
	c := h.company("Leaving Co")
	admin := c.tokens["admin"]
	var exports datarights.ExportListDTO
	if code := h.call(admin, http.MethodGet, "/api/v1/tenant/exports", nil, &exports); code != http.StatusOK || len(exports.Exports) == 0 || exports.Exports[0].Status != datarights.ExportReady {
		t.Fatalf("the company's exports: %d %+v", code, exports)
	}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/tenant/exports/"+exports.Exports[0].ID.String()+"/file", nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := h.srv.App.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	file, _ := io.ReadAll(resp.Body)
	zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("download: %d, %v", resp.StatusCode, err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	for _, want := range []string{"manifest.json", "tables/customers.json", "tables/customers.csv", "tables/visits.json", "tables/orders.json"} {
		if !names[want] {
			t.Errorf("the export has no %s", want)
		}
	}
	if code := h.call(c.tokens["rep"], http.MethodGet, "/api/v1/tenant/exports", nil, nil); code != http.StatusForbidden {
		t.Errorf("a rep lists the exports: %d", code)
	}

	if code, body := h.raw(admin, http.MethodPost, "/api/v1/tenant/deletion", map[string]string{"confirm_slug": "leaving"}); code != http.StatusBadRequest || !strings.Contains(body, "body.confirm_slug") {
		t.Errorf("a deletion with the wrong slug: %d %s", code, body)
	}
	var d datarights.DeletionDTO
	if code := h.call(admin, http.MethodPost, "/api/v1/tenant/deletion", map[string]string{"confirm_slug": "leaving-co"}, &d); code != http.StatusAccepted || d.PurgeAfter.Sub(d.RequestedAt) != datarights.DefaultGrace {
		t.Fatalf("the deletion: %d %+v", code, d)
	}
	if code, body := h.raw(c.tokens["rep"], http.MethodGet, "/api/v1/customers", nil); code != http.StatusForbidden || !strings.Contains(body, "tenant_deleting") {
		t.Errorf("a rep of a tenant being deleted: %d %s", code, body)
	}

	otpauth, err := h.app.operators.CreateOperator(context.Background(), "keeper@repflow.test", "Keeper", "a long operator passphrase")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(otpauth)
	code, _ := totp.GenerateCode(u.Query().Get("secret"), time.Now())
	var session struct{ Token string }
	h.call("", http.MethodPost, "/admin/api/v1/login", map[string]string{"email": "keeper@repflow.test", "password": "a long operator passphrase", "code": code}, &session)
	path := "/admin/api/v1/tenants/" + c.tenant.String() + "/deletion/cancel"
	if status, body := h.raw(session.Token, http.MethodPost, path, map[string]string{"reason": "the customer called: they deleted by mistake"}); status != http.StatusOK || !strings.Contains(body, `"active"`) {
		t.Fatalf("the operator cancels the deletion: %d %s", status, body)
	}
	if status := h.call(c.tokens["rep"], http.MethodGet, "/api/v1/customers", nil, nil); status != http.StatusOK {
		t.Errorf("after the cancellation, the rep: %d", status)
	}
	if status, body := h.raw(session.Token, http.MethodPost, path, map[string]string{"reason": "cancelling a second time by mistake"}); status != http.StatusConflict {
		t.Errorf("cancelling a deletion no longer asked for: %d %s", status, body)
	}
}
