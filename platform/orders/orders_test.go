package orders

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web/webtest"
)

func TestOrderTotalsAndDraftEditing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	body := map[string]any{"customer_id": f.customers["Jinan One"], "currency": "CNY", "payment_terms_days": 45, "notes": "summer promotion",
		"lines": []map[string]any{
			{"product_id": f.products["COLA-330"], "quantity": "10", "discount_pct": "10"},
			{"product_id": f.products["WATER-500"], "quantity": "24", "unit_price": "1.15", "discount_pct": "5"},
		}}
	o := must[OrderDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/orders", body, http.StatusCreated)
	// Line 1: 10 × 3.50 (list price) = 35.00; 10 % = 3.50; net 31.50.
	// Line 2: 24 × 1.15 = 27.60; 5 % = 1.38; net 26.22.
	// Order: gross 35.00 + 27.60 = 62.60; discount 3.50 + 1.38 = 4.88; total 31.50 + 26.22 = 57.72.
	got := must[OrderDTO](t, f, "admin", http.MethodGet, "/api/v1/orders/"+o.ID.String(), nil, http.StatusOK)
	want := []string{"62.60", "4.88", "57.72", "0.00", "57.72"}
	if d := cmp.Diff(want, []string{got.Gross, got.Discount, got.Total, got.Paid, got.Balance}); d != "" {
		t.Errorf("gross, discount, total, paid, balance (-want +got):\n%s", d)
	}
	lines := [][]string{{"10", "3.5", "10", "35.00", "3.50", "31.50"}, {"24", "1.15", "5", "27.60", "1.38", "26.22"}}
	for i, l := range got.Lines {
		if d := cmp.Diff(lines[i], []string{l.Quantity, l.UnitPrice, l.DiscountPct, l.Gross, l.Discount, l.Net}); d != "" || l.Line != i+1 {
			t.Errorf("line %d (-want +got):\n%s", i+1, d)
		}
	}
	if got.Status != "draft" || got.OwnerID != f.users["rep.jinan.1"].ID || got.RegionID != f.regions["Jinan"].ID ||
		got.PaymentTermsDays != 45 || got.DueOn != nil || !slices.Equal(got.NextStatuses, []string{"submitted", "cancelled"}) {
		t.Errorf("new order: %+v", got)
	}

	// A manager typing in an order for a rep's customer makes it the rep's.
	byManager := must[OrderDTO](t, f, "mgr.shandong", http.MethodPost, "/api/v1/orders",
		map[string]any{"customer_id": f.customers["Jinan One"], "currency": "CNY"}, http.StatusCreated)
	if byManager.OwnerID != f.users["rep.jinan.1"].ID || byManager.CreatedBy != f.users["mgr.shandong"].ID || byManager.PaymentTermsDays != DefaultPaymentTerms {
		t.Errorf("manager's order: %+v", byManager)
	}

	// The draft's lines are replaced as a whole; 3 × 3.50 = 10.50.
	path := "/api/v1/orders/" + o.ID.String()
	patch := map[string]any{"lines": []map[string]any{{"product_id": f.products["COLA-330"], "quantity": "3"}}}
	status, raw := f.call(t, "rep.jinan.2", http.MethodPatch, path, patch)
	webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
	got = must[OrderDTO](t, f, "rep.jinan.1", http.MethodPatch, path, patch, http.StatusOK)
	if got.Total != "10.50" || len(got.Lines) != 1 || got.Notes != "summer promotion" {
		t.Fatalf("patched: %+v", got)
	}
	if n := f.count(t, &lineRow{}); n != 1 {
		t.Errorf("%d order lines stored, want 1 (the replaced ones gone)", n)
	}
	// Submitted, the lines are fixed; sent back to draft, they change again.
	must[OrderDTO](t, f, "rep.jinan.1", http.MethodPost, path+"/transitions", map[string]any{"to": "submitted"}, http.StatusOK)
	status, raw = f.call(t, "rep.jinan.1", http.MethodPatch, path, patch)
	webtest.WantError(t, status, raw, http.StatusConflict, "not_draft", "")
	must[OrderDTO](t, f, "mgr.shandong", http.MethodPost, path+"/transitions", map[string]any{"to": "draft", "comment": "add water"}, http.StatusOK)
	patch["payment_terms_days"] = 0
	if got = must[OrderDTO](t, f, "rep.jinan.1", http.MethodPatch, path, patch, http.StatusOK); got.PaymentTermsDays != 0 {
		t.Errorf("terms after patch: %d", got.PaymentTermsDays)
	}
}

func TestBadOrderInputWritesNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f, other := w.tenant(t, "acme"), w.tenant(t, "beta")
	line := func(product uuid.UUID, qty string, extra ...string) map[string]any {
		l := map[string]any{"product_id": product, "quantity": qty}
		for i := 0; i+1 < len(extra); i += 2 {
			l[extra[i]] = extra[i+1]
		}
		return l
	}
	with := func(change func(b map[string]any)) map[string]any {
		b := map[string]any{"customer_id": f.customers["Jinan One"], "currency": "CNY",
			"lines": []map[string]any{line(f.products["COLA-330"], "2")}}
		change(b)
		return b
	}
	lines := func(ls ...map[string]any) func(b map[string]any) { return func(b map[string]any) { b["lines"] = ls } }
	cola := f.products["COLA-330"]
	cases := []struct {
		name           string
		body           map[string]any
		status         int
		code, location string
	}{
		{"negative quantity", with(lines(line(cola, "-1"))), 400, "invalid_input", "body.lines[0].quantity"},
		{"zero quantity", with(lines(line(cola, "0"))), 400, "invalid_input", "body.lines[0].quantity"},
		{"quantity not a number", with(lines(line(cola, "two"))), 422, "", "body.lines[0].quantity"},
		{"quantity with five places", with(lines(line(cola, "1.00001"))), 400, "invalid_input", "body.lines[0].quantity"},
		{"bad second line", with(lines(line(cola, "1"), line(cola, "-3"))), 400, "invalid_input", "body.lines[1].quantity"},
		{"negative price", with(lines(line(cola, "1", "unit_price", "-0.01"))), 400, "invalid_input", "body.lines[0].unit_price"},
		{"discount over 100", with(lines(line(cola, "1", "discount_pct", "100.5"))), 400, "invalid_input", "body.lines[0].discount_pct"},
		{"negative discount", with(lines(line(cola, "1", "discount_pct", "-5"))), 400, "invalid_input", "body.lines[0].discount_pct"},
		{"unknown product", with(lines(line(identity.NewID(), "1"))), 400, "invalid_reference", "body.lines[0].product_id"},
		{"product of another tenant", with(lines(line(other.products["COLA-330"], "1"))), 400, "invalid_reference", "body.lines[0].product_id"},
		{"inactive product", with(lines(line(f.products["OLD-1"], "1"))), 400, "invalid_input", "body.lines[0].product_id"},
		{"listed in another currency", with(lines(line(f.products["CHIPS-70"], "1"))), 400, "invalid_input", "body.lines[0].unit_price"},
		{"currency not traded", with(func(b map[string]any) { b["currency"] = "GBP" }), 400, "invalid_input", "body.currency"},
		{"currency in lower case", with(func(b map[string]any) { b["currency"] = "cny" }), 400, "invalid_input", "body.currency"},
		{"unknown customer", with(func(b map[string]any) { b["customer_id"] = identity.NewID() }), 400, "invalid_reference", "body.customer_id"},
		{"customer of another tenant", with(func(b map[string]any) { b["customer_id"] = other.customers["Jinan One"] }), 400, "invalid_reference", "body.customer_id"},
		{"unknown visit", with(func(b map[string]any) { b["visit_id"] = identity.NewID() }), 400, "invalid_reference", "body.visit_id"},
		{"terms of a year and more", with(func(b map[string]any) { b["payment_terms_days"] = 400 }), 400, "invalid_input", "body.payment_terms_days"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, raw := f.call(t, "admin", http.MethodPost, "/api/v1/orders", c.body)
			webtest.WantError(t, status, raw, c.status, c.code, c.location)
		})
	}
	// A rep cannot order for a customer that is not theirs: they cannot see it.
	status, raw := f.call(t, "rep.jinan.1", http.MethodPost, "/api/v1/orders",
		with(func(b map[string]any) { b["customer_id"] = f.customers["Jinan Two"] }))
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_reference", "body.customer_id")
	// HQ reads orders but does not take them.
	status, raw = f.call(t, "analyst", http.MethodPost, "/api/v1/orders", with(func(map[string]any) {}))
	webtest.WantError(t, status, raw, http.StatusForbidden, "forbidden", "")
	for name, model := range map[string]any{"orders": &orderRow{}, "lines": &lineRow{}, "transitions": &transitionRow{}} {
		if n := f.count(t, model); n != 0 {
			t.Errorf("bad requests stored %d %s", n, name)
		}
	}
}

func TestOrderScopingAndPaging(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f, other := w.tenant(t, "acme"), w.tenant(t, "beta")
	byCustomer := map[uuid.UUID]string{}
	ids := map[string]uuid.UUID{}
	for _, c := range []string{"Jinan One", "Jinan Two", "Qingdao Port", "Canton Store"} {
		o := f.draft(t, w.svc, c, f.line("COLA-330", "1"))
		byCustomer[o.CustomerID], ids[c] = c, o.ID
	}
	list := func(key, query string) []string {
		t.Helper()
		page := must[OrderPageDTO](t, f, key, http.MethodGet, "/api/v1/orders"+query, nil, http.StatusOK)
		var names []string
		for _, o := range page.Orders {
			names = append(names, byCustomer[o.CustomerID])
		}
		slices.Sort(names)
		return names
	}
	for _, c := range []struct {
		key, query string
		want       []string
	}{
		{"rep.jinan.1", "", []string{"Jinan One"}},
		{"rep.qingdao", "", []string{"Qingdao Port"}},
		{"mgr.shandong", "", []string{"Jinan One", "Jinan Two", "Qingdao Port"}},
		{"mgr.guangdong", "", []string{"Canton Store"}},
		{"analyst", "", []string{"Canton Store", "Jinan One", "Jinan Two", "Qingdao Port"}},
		{"admin", "?owner_id=" + f.users["rep.jinan.2"].ID.String(), []string{"Jinan Two"}},
		{"admin", "?customer_id=" + f.customers["Qingdao Port"].String(), []string{"Qingdao Port"}},
		{"admin", "?status=submitted", nil},
		{"mgr.shandong", "?owner_id=" + f.users["rep.guangdong"].ID.String(), nil},
	} {
		if d := cmp.Diff(c.want, list(c.key, c.query)); d != "" {
			t.Errorf("%s lists %q (-want +got):\n%s", c.key, c.query, d)
		}
	}
	if got := must[OrderPageDTO](t, other, "admin", http.MethodGet, "/api/v1/orders", nil, http.StatusOK); len(got.Orders) != 0 {
		t.Errorf("another tenant lists %d orders", len(got.Orders))
	}

	// Pages of three, newest first, follow the cursor to the end.
	var seen []string
	cursor := ""
	for range 3 {
		page := must[OrderPageDTO](t, f, "admin", http.MethodGet, "/api/v1/orders?limit=3"+cursor, nil, http.StatusOK)
		for _, o := range page.Orders {
			seen = append(seen, byCustomer[o.CustomerID])
		}
		if page.NextCursor == nil {
			break
		}
		cursor = "&cursor=" + page.NextCursor.String()
	}
	if d := cmp.Diff([]string{"Canton Store", "Qingdao Port", "Jinan Two", "Jinan One"}, seen); d != "" {
		t.Errorf("paged (-want +got):\n%s", d)
	}

	path := "/api/v1/orders/" + ids["Jinan One"].String()
	for _, c := range []struct {
		f   *tenantFixture
		key string
	}{{f, "rep.jinan.2"}, {f, "mgr.guangdong"}, {f, "rep.guangdong"}, {other, "admin"}} {
		status, raw := c.f.call(t, c.key, http.MethodGet, path, nil)
		webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
		status, raw = c.f.call(t, c.key, http.MethodGet, path+"/transitions", nil)
		webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
	}
	// The manager of the subtree sees the rep's order.
	if got := must[OrderDTO](t, f, "mgr.shandong", http.MethodGet, path, nil, http.StatusOK); got.ID != ids["Jinan One"] {
		t.Errorf("manager got %s", got.ID)
	}
}
