package orders

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web/webtest"
)

func may(d, h int) time.Time { return time.Date(2026, 5, d, h, 0, 0, 0, time.UTC) }

// shelfMay records the shelf checks of May 2026 (and one either side of it) as each store's rep:
//
//	Jinan One    (rep.jinan.1)  3 May: cola ✓ water ✗   20 May: cola ✓ water ✓   latest: both
//	Jinan Two    (rep.jinan.2) 10 May: cola ✓ water ✓   25 May: water ✓ only      latest: water
//	Qingdao Port (rep.qingdao) 28 Apr: cola ✓           15 May: cola ✗ water ✗   latest: none
//	Canton Store (rep.guangdong) 2 June: cola ✓ (after May: the store is not covered)
func shelfMay(t *testing.T, f *tenantFixture) {
	t.Helper()
	svc := f.w.at(time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC))
	item := func(sku string, present bool) ShelfItem { return ShelfItem{SKU: sku, Present: present} }
	price, stock := dec("1.50"), 12
	for _, c := range []struct {
		customer, rep string
		at            time.Time
		items         []ShelfItem
	}{
		{"Jinan One", "rep.jinan.1", may(3, 10), []ShelfItem{item("COLA-330", true), item("WATER-500", false)}},
		{"Jinan One", "rep.jinan.1", may(20, 10), []ShelfItem{item("COLA-330", true),
			{SKU: "WATER-500", Present: true, ShelfPrice: &price, PriceCurrency: "CNY", StockCount: &stock}}},
		{"Jinan Two", "rep.jinan.2", may(10, 10), []ShelfItem{item("COLA-330", true), item("WATER-500", true)}},
		{"Jinan Two", "rep.jinan.2", may(25, 10), []ShelfItem{item("WATER-500", true)}},
		{"Qingdao Port", "rep.qingdao", time.Date(2026, 4, 28, 10, 0, 0, 0, time.UTC), []ShelfItem{item("COLA-330", true)}},
		{"Qingdao Port", "rep.qingdao", may(15, 10), []ShelfItem{item("COLA-330", false), item("WATER-500", false)}},
		{"Canton Store", "rep.guangdong", time.Date(2026, 6, 2, 10, 0, 0, 0, time.UTC), []ShelfItem{item("COLA-330", true)}},
	} {
		if _, _, err := svc.RecordShelfCheck(f.as(t, c.rep), NewShelfCheck{CustomerID: f.customers[c.customer], CheckedAt: c.at, Items: c.items}); err != nil {
			t.Fatalf("shelf check of %s: %v", c.customer, err)
		}
	}
}

func TestDistributionRate(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	shelfMay(t, f)
	type cell struct{ Covered, Carrying int }
	get := func(key, query string) map[string]cell {
		t.Helper()
		rows := must[DistributionDTO](t, f, key, http.MethodGet, "/api/v1/distribution?from=2026-05-01&to=2026-06-01"+query, nil, http.StatusOK).Rows
		out := map[string]cell{}
		for _, r := range rows {
			k := r.SKU
			if r.RepID != nil {
				k += " " + map[uuid.UUID]string{f.users["rep.jinan.1"].ID: "jinan.1", f.users["rep.jinan.2"].ID: "jinan.2", f.users["rep.qingdao"].ID: "qingdao"}[*r.RepID]
			}
			if r.RegionPath != nil {
				k += " " + map[string]string{f.regions["Jinan"].Path: "Jinan", f.regions["Qingdao"].Path: "Qingdao"}[*r.RegionPath]
			}
			if want := float64(r.Carrying) / float64(r.Covered); r.Rate != want {
				t.Errorf("%s: rate %v, want %d/%d", k, r.Rate, r.Carrying, r.Covered)
			}
			out[k] = cell{r.Covered, r.Carrying}
		}
		return out
	}
	for _, c := range []struct {
		key, query string
		want       map[string]cell
	}{
		// Covered in May: Jinan One, Jinan Two, Qingdao Port. Cola is on the latest shelf of Jinan
		// One only (1/3); water on Jinan One's and Jinan Two's (2/3).
		{"admin", "", map[string]cell{"COLA-330": {3, 1}, "WATER-500": {3, 2}}},
		{"admin", "&sku=COLA-330", map[string]cell{"COLA-330": {3, 1}}},
		{"admin", "&group_by=rep", map[string]cell{
			"COLA-330 jinan.1": {1, 1}, "COLA-330 jinan.2": {1, 0}, "COLA-330 qingdao": {1, 0},
			"WATER-500 jinan.1": {1, 1}, "WATER-500 jinan.2": {1, 1}, "WATER-500 qingdao": {1, 0}}},
		// Jinan: two stores, cola on one (1/2), water on both (2/2); Qingdao: one store, neither.
		{"admin", "&group_by=region", map[string]cell{
			"COLA-330 Jinan": {2, 1}, "COLA-330 Qingdao": {1, 0}, "WATER-500 Jinan": {2, 2}, "WATER-500 Qingdao": {1, 0}}},
		// A rep sees their own store only; the Guangdong manager's store was checked in June.
		{"rep.jinan.1", "", map[string]cell{"COLA-330": {1, 1}, "WATER-500": {1, 1}}},
		{"mgr.shandong", "", map[string]cell{"COLA-330": {3, 1}, "WATER-500": {3, 2}}},
		{"mgr.guangdong", "", map[string]cell{}},
	} {
		if d := cmp.Diff(c.want, get(c.key, c.query)); d != "" {
			t.Errorf("%s %q (-want +got):\n%s", c.key, c.query, d)
		}
	}
	status, raw := f.call(t, "admin", http.MethodGet, "/api/v1/distribution?from=2026-05-01&to=2026-06-01&sku=NOPE", nil)
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_input", "query.sku")
	status, raw = f.call(t, "admin", http.MethodGet, "/api/v1/distribution?from=2026-06-01&to=2026-05-01", nil)
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_input", "query.to")
}

func TestShelfChecksRecordAndList(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f, other := w.tenant(t, "acme"), w.tenant(t, "beta")
	shelfMay(t, f)
	list := func(fx *tenantFixture, key string) []ShelfCheckDTO {
		return must[ShelfCheckPageDTO](t, fx, key, http.MethodGet, "/api/v1/shelf-checks", nil, http.StatusOK).Checks
	}
	mine := list(f, "rep.jinan.1")
	if len(mine) != 2 || !mine[0].CheckedAt.Equal(may(20, 10)) {
		t.Fatalf("rep.jinan.1 lists %+v", mine)
	}
	water := mine[0].Items[1]
	if water.SKU != "WATER-500" || water.ShelfPrice == nil || *water.ShelfPrice != "1.5" || water.PriceCurrency != "CNY" || *water.StockCount != 12 {
		t.Errorf("water on 20 May: %+v", water)
	}
	if n := len(list(f, "mgr.shandong")); n != 6 {
		t.Errorf("the Shandong manager lists %d checks, want 6", n)
	}
	if n := len(list(other, "admin")); n != 0 {
		t.Errorf("another tenant lists %d checks", n)
	}

	good := func(change func(b map[string]any)) map[string]any {
		b := map[string]any{"customer_id": f.customers["Jinan One"], "items": []map[string]any{{"sku": "COLA-330", "present": true}}}
		change(b)
		return b
	}
	items := func(is ...map[string]any) func(b map[string]any) { return func(b map[string]any) { b["items"] = is } }
	for _, c := range []struct {
		name           string
		body           map[string]any
		status         int
		code, location string
	}{
		{"unknown SKU", good(items(map[string]any{"sku": "NOPE", "present": true})), 400, "invalid_reference", "body.items[0].sku"},
		{"SKU twice", good(items(map[string]any{"sku": "COLA-330", "present": true}, map[string]any{"sku": "COLA-330", "present": false})), 400, "invalid_input", "body.items[1].sku"},
		{"negative stock", good(items(map[string]any{"sku": "COLA-330", "present": true, "stock_count": -1})), 400, "invalid_input", "body.items[0].stock_count"},
		{"price without currency", good(items(map[string]any{"sku": "COLA-330", "present": true, "shelf_price": "3.90"})), 400, "invalid_input", "body.items[0].price_currency"},
		{"currency not traded", good(items(map[string]any{"sku": "COLA-330", "present": true, "shelf_price": "3.90", "price_currency": "GBP"})), 400, "invalid_input", "body.items[0].price_currency"},
		{"negative price", good(items(map[string]any{"sku": "COLA-330", "present": true, "shelf_price": "-1", "price_currency": "CNY"})), 400, "invalid_input", "body.items[0].shelf_price"},
		{"not the rep's customer", good(func(b map[string]any) { b["customer_id"] = f.customers["Jinan Two"] }), 400, "invalid_reference", "body.customer_id"},
		{"another tenant's customer", good(func(b map[string]any) { b["customer_id"] = other.customers["Jinan One"] }), 400, "invalid_reference", "body.customer_id"},
		{"in the future", good(func(b map[string]any) { b["checked_at"] = time.Now().Add(time.Hour) }), 400, "invalid_input", "body.checked_at"},
		{"unknown visit", good(func(b map[string]any) { b["visit_id"] = identity.NewID() }), 400, "invalid_reference", "body.visit_id"},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, raw := f.call(t, "rep.jinan.1", http.MethodPost, "/api/v1/shelf-checks", c.body)
			webtest.WantError(t, status, raw, c.status, c.code, c.location)
		})
	}
	if n := f.count(t, &shelfCheckRow{}); n != 7 {
		t.Errorf("%d shelf checks stored, want the 7 good ones", n)
	}
	// HQ reads shelf checks but does not record them.
	status, raw := f.call(t, "analyst", http.MethodPost, "/api/v1/shelf-checks", good(func(map[string]any) {}))
	webtest.WantError(t, status, raw, http.StatusForbidden, "forbidden", "")
	made := must[ShelfCheckDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/shelf-checks", good(func(map[string]any) {}), http.StatusCreated)
	if made.OwnerID != f.users["rep.jinan.1"].ID || made.RegionID != f.regions["Jinan"].ID || made.CheckedBy != f.users["rep.jinan.1"].ID {
		t.Errorf("recorded: %+v", made)
	}
}

// A phone that queued a shelf check offline sends it with its own id, perhaps more than once:
// the check is recorded once, and the id cannot be reused for something else.
func TestShelfCheckRetriedWithItsClientID(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f, other := w.tenant(t, "acme"), w.tenant(t, "beta")
	id := identity.NewID()
	checkedAt := time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)
	body := func(customer uuid.UUID, at time.Time) map[string]any {
		return map[string]any{"id": id, "customer_id": customer, "checked_at": at,
			"items": []map[string]any{{"sku": "COLA-330", "present": true, "stock_count": 4}}}
	}
	first := must[ShelfCheckDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/shelf-checks", body(f.customers["Jinan One"], checkedAt), http.StatusCreated)
	again := must[ShelfCheckDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/shelf-checks", body(f.customers["Jinan One"], checkedAt), http.StatusOK)
	if first.ID != id || !cmp.Equal(first, again) {
		t.Errorf("first %+v, retry %+v", first, again)
	}
	if n := f.count(t, &shelfCheckRow{}); n != 1 {
		t.Errorf("%d shelf checks stored after a retry, want 1", n)
	}
	for _, c := range []struct {
		name, key string
		body      map[string]any
	}{
		{"another store", "rep.jinan.1", body(f.customers["Jinan Two"], checkedAt)},
		{"another moment", "rep.jinan.1", body(f.customers["Jinan One"], checkedAt.Add(time.Minute))},
		{"another person", "mgr.shandong", body(f.customers["Jinan One"], checkedAt)},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, raw := f.call(t, c.key, http.MethodPost, "/api/v1/shelf-checks", c.body)
			webtest.WantError(t, status, raw, http.StatusConflict, "id_reused", "")
		})
	}
	// The id is the tenant's own: another tenant's check may carry the same one without meeting it.
	must[ShelfCheckDTO](t, other, "rep.jinan.1", http.MethodPost, "/api/v1/shelf-checks", body(other.customers["Jinan One"], checkedAt), http.StatusCreated)
	if n := f.count(t, &shelfCheckRow{}); n != 1 {
		t.Errorf("%d shelf checks in acme after the refusals, want 1", n)
	}
}
