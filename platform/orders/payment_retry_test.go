package orders

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web/webtest"
)

// A rep collects cash for an order of 35.00 and the phone retries: a retry with the same id and
// body answers 200 with the stored payment and records nothing (also once the order has moved
// on); the same id with another body, from another user, or for another order is a 409.
func TestPaymentRetry(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	o := f.approved(t, w.svc, f.draft(t, w.svc, "Jinan One", f.line("COLA-330", "10")))
	path := "/api/v1/orders/" + o.ID.String() + "/payments"
	id := identity.NewID()
	body := map[string]any{"id": id, "amount": "10.00", "method": "cash", "reference": "R-7"}

	first := must[OrderPaymentResultDTO](t, f, "rep.jinan.1", http.MethodPost, path, body, http.StatusCreated)
	if first.Payment.ID != id || first.Order.Paid != "10.00" {
		t.Fatalf("first attempt: %+v", first)
	}
	again := must[OrderPaymentResultDTO](t, f, "rep.jinan.1", http.MethodPost, path, body, http.StatusOK)
	if d := cmp.Diff(first, again); d != "" {
		t.Errorf("retry answered something else (-first +retry):\n%s", d)
	}
	// "10" is the amount "10.00": the same payment.
	same := map[string]any{"id": id, "amount": "10", "method": "cash", "reference": " R-7 "}
	must[OrderPaymentResultDTO](t, f, "rep.jinan.1", http.MethodPost, path, same, http.StatusOK)

	other := f.approved(t, w.svc, f.draft(t, w.svc, "Jinan One", f.line("COLA-330", "10")))
	for _, c := range []struct {
		name, who, path string
		body            map[string]any
	}{
		{"another amount", "rep.jinan.1", path, map[string]any{"id": id, "amount": "11.00", "method": "cash", "reference": "R-7"}},
		{"another method", "rep.jinan.1", path, map[string]any{"id": id, "amount": "10.00", "method": "card", "reference": "R-7"}},
		{"a received time", "rep.jinan.1", path, map[string]any{"id": id, "amount": "10.00", "method": "cash", "reference": "R-7",
			"received_at": time.Now().UTC().Add(-time.Hour)}},
		{"another user", "mgr.shandong", path, body},
		{"another order", "rep.jinan.1", "/api/v1/orders/" + other.ID.String() + "/payments", body},
	} {
		status, raw := f.call(t, c.who, http.MethodPost, c.path, c.body)
		webtest.WantError(t, status, raw, http.StatusConflict, "id_reused", "")
	}

	// The rest is paid once delivered: the order becomes paid, and a retry of that payment still
	// answers 200 with it (not a 409 because the order no longer takes payments).
	f.step(t, w.svc, "rep.jinan.1", o.ID, Shipped)
	f.step(t, w.svc, "rep.jinan.1", o.ID, Delivered)
	at := time.Now().UTC().Add(-time.Minute).Truncate(time.Second)
	rest := map[string]any{"id": identity.NewID(), "amount": "25.00", "method": "bank_transfer", "received_at": at}
	paid := must[OrderPaymentResultDTO](t, f, "rep.jinan.1", http.MethodPost, path, rest, http.StatusCreated)
	retried := must[OrderPaymentResultDTO](t, f, "rep.jinan.1", http.MethodPost, path, rest, http.StatusOK)
	if paid.Order.Status != "paid" || retried.Order.Status != "paid" || retried.Order.Paid != "35.00" || !retried.Payment.ReceivedAt.Equal(at) {
		t.Errorf("retry after the order was paid: %+v", retried)
	}
	if n := f.count(t, &paymentRow{}); n != 2 {
		t.Errorf("%d payments stored, want 2", n)
	}
}

// Retries racing each other store one payment and count it once.
func TestConcurrentPaymentRetries(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	o := f.approved(t, w.svc, f.draft(t, w.svc, "Jinan One", f.line("COLA-330", "10")))
	body := map[string]any{"id": identity.NewID(), "amount": "5.00", "method": "mobile"}
	const attempts = 8
	statuses := make(chan int, attempts)
	var wg sync.WaitGroup
	for range attempts {
		wg.Go(func() {
			status, _ := f.call(t, "rep.jinan.1", http.MethodPost, "/api/v1/orders/"+o.ID.String()+"/payments", body)
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
	got := must[OrderDTO](t, f, "rep.jinan.1", http.MethodGet, "/api/v1/orders/"+o.ID.String(), nil, http.StatusOK)
	if n := f.count(t, &paymentRow{}); created != 1 || n != 1 || got.Paid != "5.00" {
		t.Errorf("%d attempts created, %d rows stored, %s paid; want 1, 1 and 5.00", created, n, got.Paid)
	}
}

// A payment recorded before ids were the phone's has no fingerprint: its id cannot be retried.
func TestPaymentWithoutFingerprintIsNotRetried(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	o := f.approved(t, w.svc, f.draft(t, w.svc, "Jinan One", f.line("COLA-330", "10")))
	old := paymentRow{ID: identity.NewID(), OrderID: o.ID, Amount: dec("1"), ReceivedAt: time.Now().UTC(), Method: "cash",
		RecordedBy: f.users["rep.jinan.1"].ID, CreatedAt: time.Now().UTC()}
	err := w.s.Tx(identity.System(context.Background(), f.id), func(_ context.Context, db *gorm.DB) error { return db.Create(&old).Error })
	if err != nil {
		t.Fatal(err)
	}
	_, _, _, err = w.svc.RecordPayment(f.as(t, "rep.jinan.1"), o.ID, NewPayment{ID: old.ID, Amount: dec("1"), Method: MethodCash})
	if fe, ok := fault.As(err); !ok || fe.Code != "id_reused" {
		t.Errorf("reusing an old payment's id: %v, want id_reused", err)
	}
}
