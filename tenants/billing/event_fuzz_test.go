package billing

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
)

// FuzzDecodeEvent feeds arbitrary objects (signed by Stripe, so trusted in origin but not in
// shape) through decoding and applying: neither may panic, and an applied change must name the
// subscription it changed.
func FuzzDecodeEvent(f *testing.F) {
	end := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	for _, obj := range []map[string]any{
		subscriptionObject("sub_1", "cus_1", "active", 5, end),
		invoiceObject("in_1", "cus_1", "sub_1"),
		checkoutObject("cs_1", "cus_1", "sub_1", "t"),
		{"id": "sub_1", "customer": map[string]any{"id": "cus_1"}, "items": map[string]any{"data": []any{nil, map[string]any{}}}},
	} {
		raw, _ := json.Marshal(obj)
		for typ := range 4 {
			f.Add(uint8(typ), raw)
		}
	}
	f.Add(uint8(1), []byte(`{"customer":7}`))
	types := []stripe.EventType{stripe.EventTypeCheckoutSessionCompleted, stripe.EventTypeCustomerSubscriptionUpdated,
		stripe.EventTypeCustomerSubscriptionDeleted, stripe.EventTypeInvoicePaid, stripe.EventTypeInvoicePaymentFailed}
	f.Fuzz(func(t *testing.T, typ uint8, object []byte) {
		ev := stripe.Event{ID: "evt_1", Type: types[int(typ)%len(types)], Created: 1700000000,
			Data: &stripe.EventData{Raw: object}}
		c, handled, err := decodeEvent(ev, testSeatPrice)
		if err != nil || !handled {
			return
		}
		a := account{SubscriptionID: "sub_1", Status: statusActive, LastEventCreated: at(0)}
		next, applied := a.apply(c, time.Hour)
		if applied && next.SubscriptionID != c.subscription {
			t.Fatalf("applied %+v to subscription %q", c, next.SubscriptionID)
		}
	})
}
