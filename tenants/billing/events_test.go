package billing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

var eventSeq atomic.Int64

// newEventID names a Stripe event, unique in the test run.
func newEventID() string { return fmt.Sprintf("evt_test_%d", eventSeq.Add(1)) }

// stripeEvent is a webhook payload as Stripe sends it, for the API version stripe-go reads.
func stripeEvent(t *testing.T, id string, typ stripe.EventType, created time.Time, object map[string]any) []byte {
	t.Helper()
	raw, err := json.Marshal(map[string]any{"id": id, "object": "event", "api_version": stripe.APIVersion,
		"created": created.Unix(), "livemode": false, "type": string(typ), "pending_webhooks": 1,
		"data": map[string]any{"object": object}})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func subscriptionObject(id, customer, status string, seats int, periodEnd time.Time) map[string]any {
	return map[string]any{"id": id, "object": "subscription", "customer": customer, "status": status,
		"current_period_end": periodEnd.Unix(), "metadata": map[string]string{},
		"items": map[string]any{"object": "list", "data": []any{map[string]any{
			"id": "si_" + id, "object": "subscription_item", "quantity": seats,
			"price": map[string]any{"id": testSeatPrice, "object": "price", "unit_amount": 1500, "currency": "eur"},
		}}}}
}

func invoiceObject(id, customer, subscription string) map[string]any {
	return map[string]any{"id": id, "object": "invoice", "customer": customer, "subscription": subscription,
		"amount_due": 7500, "currency": "eur"}
}

func checkoutObject(id, customer, subscription, tenantRef string) map[string]any {
	return map[string]any{"id": id, "object": "checkout.session", "customer": customer, "subscription": subscription,
		"client_reference_id": tenantRef, "mode": "subscription", "status": "complete", "payment_status": "paid"}
}

// signatureHeader is the Stripe-Signature header of payload signed with secret at at.
func signatureHeader(payload []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: at}).Header
}

// deliver posts payload to the webhook signed with secret at signedAt, and returns the answer.
func (h *harness) deliver(t *testing.T, payload []byte, secret string, signedAt time.Time) (int, []byte) {
	t.Helper()
	return h.deliverHeader(t, payload, signatureHeader(payload, secret, signedAt))
}

// deliverHeader posts payload with header as its Stripe-Signature ("" sends none).
func (h *harness) deliverHeader(t *testing.T, payload []byte, header string) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, WebhookPath, bytes.NewReader(payload))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if header != "" {
		req.Header.Set("Stripe-Signature", header)
	}
	resp, err := h.srv.App.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

// send delivers a correctly signed event, created now on billing's clock plus skew, and
// requires Stripe's answer to be 200.
func (h *harness) send(t *testing.T, typ stripe.EventType, skew time.Duration, object map[string]any) string {
	t.Helper()
	id := newEventID()
	h.sendAs(t, id, typ, h.clock.Now().Add(skew), object)
	return id
}

func (h *harness) sendAs(t *testing.T, id string, typ stripe.EventType, created time.Time, object map[string]any) {
	t.Helper()
	status, body := h.deliver(t, stripeEvent(t, id, typ, created, object), testWebhookSecret, time.Now())
	if status != http.StatusOK {
		t.Fatalf("deliver %s %s: %d %s", typ, id, status, body)
	}
}
