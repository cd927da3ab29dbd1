package orders

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/repflow/repflow/platform/web/webtest"
)

func TestCatalogue(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f, other := w.tenant(t, "acme"), w.tenant(t, "beta")
	tea := map[string]any{"sku": "TEA-250", "name": "Iced tea 250 ml", "unit": "carton", "list_price": "2.80", "currency": "CNY"}
	status, raw := f.call(t, "rep.jinan.1", http.MethodPost, "/api/v1/products", tea)
	webtest.WantError(t, status, raw, http.StatusForbidden, "forbidden", "")
	made := must[ProductDTO](t, f, "admin", http.MethodPost, "/api/v1/products", tea, http.StatusCreated)
	if made.ListPrice != "2.8" || !made.Active || made.Currency != "CNY" {
		t.Errorf("created %+v", made)
	}
	with := func(k string, v any) map[string]any {
		b := map[string]any{}
		for key, val := range tea {
			b[key] = val
		}
		b["sku"] = "NEW-1"
		b[k] = v
		return b
	}
	for _, c := range []struct {
		body           map[string]any
		status         int
		code, location string
	}{
		{with("sku", "TEA-250"), http.StatusConflict, "duplicate_sku", "body.sku"},
		{with("list_price", "-1"), http.StatusBadRequest, "invalid_input", "body.list_price"},
		{with("list_price", "1.23456"), http.StatusBadRequest, "invalid_input", "body.list_price"},
		{with("currency", "GBP"), http.StatusBadRequest, "invalid_input", "body.currency"},
		{with("sku", "A B"), http.StatusBadRequest, "invalid_input", "body.sku"},
	} {
		status, raw := f.call(t, "admin", http.MethodPost, "/api/v1/products", c.body)
		webtest.WantError(t, status, raw, c.status, c.code, c.location)
	}
	// The same SKU in another tenant is another product.
	must[ProductDTO](t, other, "admin", http.MethodPost, "/api/v1/products", tea, http.StatusCreated)

	path := "/api/v1/products/" + made.ID.String()
	status, raw = f.call(t, "mgr.shandong", http.MethodPatch, path, map[string]any{"list_price": "3"})
	webtest.WantError(t, status, raw, http.StatusForbidden, "forbidden", "")
	changed := must[ProductDTO](t, f, "admin", http.MethodPatch, path, map[string]any{"list_price": "3.10", "active": false}, http.StatusOK)
	if changed.ListPrice != "3.1" || changed.Active || changed.SKU != "TEA-250" {
		t.Errorf("changed %+v", changed)
	}
	status, raw = other.call(t, "admin", http.MethodGet, path, nil)
	webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")

	skus := func(key, query string) []string {
		page := must[ProductPageDTO](t, f, key, http.MethodGet, "/api/v1/products"+query, nil, http.StatusOK)
		var out []string
		for _, p := range page.Products {
			out = append(out, p.SKU)
		}
		return out
	}
	for _, c := range []struct {
		key, query string
		want       []string
	}{
		{"rep.jinan.1", "", []string{"CHIPS-70", "COLA-330", "OLD-1", "TEA-250", "WATER-500"}},
		{"analyst", "?active_only=true", []string{"CHIPS-70", "COLA-330", "WATER-500"}},
		{"mgr.guangdong", "?q=cola", []string{"COLA-330"}},
		{"rep.qingdao", "?limit=2&cursor=COLA-330", []string{"OLD-1", "TEA-250"}},
	} {
		if d := cmp.Diff(c.want, skus(c.key, c.query)); d != "" {
			t.Errorf("%s lists %q (-want +got):\n%s", c.key, c.query, d)
		}
	}
}
