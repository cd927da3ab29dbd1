package orders

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web/webtest"
)

// An order of 10 cans of cola (35.00) and 24 bottles of water at 5 % off (28.80 − 1.44 = 27.36):
// 62.36 CNY in all, delivered in two goes and paid in two.
func TestPartialDeliveryAndPayment(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	water := f.line("WATER-500", "24")
	water.DiscountPct = dec("5")
	o := f.approved(t, w.svc, f.draft(t, w.svc, "Jinan One", f.line("COLA-330", "10"), water))
	path := "/api/v1/orders/" + o.ID.String()
	deliver := func(lines ...map[string]any) map[string]any { return map[string]any{"lines": lines, "note": "van 3"} }
	l := func(no int, qty string) map[string]any { return map[string]any{"line": no, "quantity": qty} }

	// Not shipped yet: nothing can be delivered.
	status, raw := f.call(t, "rep.jinan.1", http.MethodPost, path+"/deliveries", deliver(l(1, "4")))
	webtest.WantError(t, status, raw, http.StatusConflict, "not_shipped", "")
	must[OrderDTO](t, f, "rep.jinan.1", http.MethodPost, path+"/transitions", map[string]any{"to": "shipped"}, http.StatusOK)

	first := must[OrderDeliveryResultDTO](t, f, "rep.jinan.1", http.MethodPost, path+"/deliveries", deliver(l(1, "4")), http.StatusCreated)
	if o := first.Order; o.Status != "shipped" || o.Lines[0].Delivered != "4" || o.Lines[0].Remaining != "6" || o.Lines[1].Delivered != "0" {
		t.Fatalf("after 4 of line 1: %+v", o)
	}
	// 6 of line 1 are left: 7 is refused, naming the line; so are lines that do not exist.
	status, raw = f.call(t, "rep.jinan.1", http.MethodPost, path+"/deliveries", deliver(l(2, "24"), l(1, "7")))
	webtest.WantError(t, status, raw, http.StatusConflict, "over_delivery", "body.lines[1].quantity")
	if msg := webtest.Decode[webtest.Error](t, raw).Error.Message; !strings.Contains(msg, "line 1 (COLA-330)") || !strings.Contains(msg, "at most 6 more") {
		t.Errorf("over-delivery message %q does not name the line and what is left", msg)
	}
	for _, c := range []struct {
		body     map[string]any
		status   int
		location string
	}{
		{deliver(l(3, "1")), http.StatusBadRequest, "body.lines[0].line"},
		{deliver(l(1, "-1")), http.StatusBadRequest, "body.lines[0].quantity"},
		{deliver(l(1, "1"), l(1, "1")), http.StatusBadRequest, "body.lines[1].line"},
		{deliver(), http.StatusBadRequest, "body.lines"}, // "lines": null
	} {
		status, raw = f.call(t, "rep.jinan.1", http.MethodPost, path+"/deliveries", c.body)
		webtest.WantError(t, status, raw, c.status, "", c.location)
	}
	status, raw = f.call(t, "rep.jinan.2", http.MethodPost, path+"/deliveries", deliver(l(1, "1")))
	webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
	if n := f.count(t, &deliveryRow{}); n != 1 {
		t.Fatalf("%d deliveries stored after refusals, want 1", n)
	}

	done := must[OrderDeliveryResultDTO](t, f, "rep.jinan.1", http.MethodPost, path+"/deliveries", deliver(l(1, "6"), l(2, "24")), http.StatusCreated)
	if o := done.Order; o.Status != "delivered" || o.DeliveredAt == nil || o.Lines[0].Remaining != "0" || o.Lines[1].Remaining != "0" {
		t.Fatalf("after the rest: %+v", o)
	}

	pay := func(amount string) map[string]any {
		return map[string]any{"id": identity.NewID(), "amount": amount, "method": "cash", "reference": "R-1"}
	}
	for _, c := range []struct {
		body           map[string]any
		status         int
		code, location string
	}{
		{pay("0"), http.StatusBadRequest, "invalid_input", "body.amount"},
		{pay("-5"), http.StatusBadRequest, "invalid_input", "body.amount"},
		{pay("1.005"), http.StatusBadRequest, "invalid_input", "body.amount"}, // CNY has two places
		{pay("62.37"), http.StatusConflict, "overpayment", "body.amount"},     // one fen more than owed
		{map[string]any{"id": identity.NewID(), "amount": "1", "method": "barter"}, http.StatusUnprocessableEntity, "", "body.method"},
		{map[string]any{"amount": "1", "method": "cash"}, http.StatusUnprocessableEntity, "", "body"}, // no id
	} {
		status, raw = f.call(t, "rep.jinan.1", http.MethodPost, path+"/payments", c.body)
		webtest.WantError(t, status, raw, c.status, c.code, c.location)
	}
	// 62.36 − 30.00 = 32.36 left; the order stays delivered until it is paid in full.
	part := must[OrderPaymentResultDTO](t, f, "rep.jinan.1", http.MethodPost, path+"/payments", pay("30"), http.StatusCreated)
	if part.Order.Status != "delivered" || part.Order.Paid != "30.00" || part.Order.Balance != "32.36" || part.Payment.Amount != "30.00" {
		t.Fatalf("after 30.00: %+v", part)
	}
	paid := must[OrderPaymentResultDTO](t, f, "rep.jinan.1", http.MethodPost, path+"/payments", pay("32.36"), http.StatusCreated)
	if paid.Order.Status != "paid" || paid.Order.Balance != "0.00" || len(paid.Order.NextStatuses) != 0 {
		t.Fatalf("after 32.36: %+v", paid.Order)
	}
	status, raw = f.call(t, "rep.jinan.1", http.MethodPost, path+"/payments", pay("1"))
	webtest.WantError(t, status, raw, http.StatusConflict, "not_payable", "")

	payments := must[OrderPaymentsDTO](t, f, "mgr.shandong", http.MethodGet, path+"/payments", nil, http.StatusOK).Payments
	if len(payments) != 2 || payments[0].Amount != "30.00" || payments[1].Amount != "32.36" || payments[0].Reference != "R-1" {
		t.Errorf("payments: %+v", payments)
	}
	deliveries := must[OrderDeliveriesDTO](t, f, "mgr.shandong", http.MethodGet, path+"/deliveries", nil, http.StatusOK).Deliveries
	if len(deliveries) != 2 || len(deliveries[1].Lines) != 2 || deliveries[0].Note != "van 3" {
		t.Errorf("deliveries: %+v", deliveries)
	}
	var steps []string
	for _, tr := range must[OrderTransitionsDTO](t, f, "rep.jinan.1", http.MethodGet, path+"/transitions", nil, http.StatusOK).Transitions {
		steps = append(steps, tr.To+":"+tr.Comment)
	}
	want := []string{"draft:", "submitted:test: submitted", "approved:test: approved", "shipped:", "delivered:every line delivered in full", "paid:paid in full"}
	if d := cmp.Diff(want, steps); d != "" {
		t.Errorf("history (-want +got):\n%s", d)
	}
}

// Paid before it arrives: the delivery that completes the order makes it delivered, then paid.
func TestPrepaidOrderIsPaidOnDelivery(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	o := f.approved(t, w.svc, f.draft(t, w.svc, "Jinan One", f.line("COLA-330", "10")))
	ctx := f.as(t, "rep.jinan.1")
	o, _, _, err := w.svc.RecordPayment(ctx, o.ID, NewPayment{ID: identity.NewID(), Amount: dec("35.00"), Method: MethodBankTransfer, Reference: "TT-9"})
	if err != nil || o.Status != Approved || !o.Balance().IsZero() {
		t.Fatalf("prepaid: %v %+v", err, o)
	}
	f.step(t, w.svc, "rep.jinan.1", o.ID, Shipped)
	o, _, err = w.svc.RecordDelivery(ctx, o.ID, NewDelivery{Lines: []DeliveredLine{{Line: 1, Quantity: dec("10")}}})
	if err != nil || o.Status != Paid {
		t.Fatalf("delivered in full: %v, status %s", err, o.Status)
	}
	history, err := w.svc.Transitions(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(history); n != 6 || history[4].To != Delivered || history[5].To != Paid || history[5].From != Delivered {
		t.Errorf("history: %+v", history)
	}
}
