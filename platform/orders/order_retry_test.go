package orders

import (
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web/webtest"
)

// An order taken offline carries the phone's id: its retry answers 200 with the order the first
// attempt made, as it now stands, and stores nothing; the id reused for other content, or by
// someone else, is a conflict that says nothing of the other order.
func TestOrderRetriedByItsClientID(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	id := identity.NewID()
	line := map[string]any{"product_id": f.products["COLA-330"], "quantity": "12"}
	body := map[string]any{"id": id, "customer_id": f.customers["Jinan One"], "currency": "CNY", "notes": "taken offline", "lines": []any{line}}
	first := must[OrderDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/orders", body, http.StatusCreated)
	if first.ID != id {
		t.Fatalf("the order took id %s, not the phone's %s", first.ID, id)
	}
	again := must[OrderDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/orders", body, http.StatusOK)
	if d := cmp.Diff(first, again); d != "" {
		t.Errorf("the retry answered something else (-first +retry):\n%s", d)
	}
	for _, c := range map[string]struct {
		who  string
		body map[string]any
	}{
		"another quantity":    {"rep.jinan.1", map[string]any{"id": id, "customer_id": f.customers["Jinan One"], "currency": "CNY", "notes": "taken offline", "lines": []any{map[string]any{"product_id": f.products["COLA-330"], "quantity": "13"}}}},
		"other notes":         {"rep.jinan.1", map[string]any{"id": id, "customer_id": f.customers["Jinan One"], "currency": "CNY", "notes": "typed again", "lines": []any{line}}},
		"another rep's retry": {"mgr.shandong", body},
	} {
		status, raw := f.call(t, c.who, http.MethodPost, "/api/v1/orders", c.body)
		webtest.WantError(t, status, raw, http.StatusConflict, "id_reused", "")
	}
	if n := f.count(t, &orderRow{}); n != 1 {
		t.Errorf("%d orders stored, want 1", n)
	}
}

// Retries racing each other store one order.
func TestConcurrentOrderRetries(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	body := map[string]any{"id": identity.NewID(), "customer_id": f.customers["Jinan One"], "currency": "CNY",
		"lines": []any{map[string]any{"product_id": f.products["COLA-330"], "quantity": "3"}}}
	const attempts = 6
	statuses := make(chan int, attempts)
	var wg sync.WaitGroup
	for range attempts {
		wg.Go(func() {
			status, _ := f.call(t, "rep.jinan.1", http.MethodPost, "/api/v1/orders", body)
			statuses <- status
		})
	}
	wg.Wait()
	close(statuses)
	created := 0
	for s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusOK:
		default:
			t.Errorf("an attempt answered %d", s)
		}
	}
	if n := f.count(t, &orderRow{}); created != 1 || n != 1 {
		t.Errorf("%d attempts created, %d orders stored; want 1 and 1", created, n)
	}
}
