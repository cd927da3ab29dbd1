package orders

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/fault"
)

// A rep records a payment from a phone that retries after timeouts, so a payment's id is the
// phone's own and its row keeps a fingerprint of the request that made it. A retry is told from a
// different payment that reuses the id by comparing fingerprints.

// paymentFingerprint hashes what the caller said: the order, who records it, and the validated
// content as sent (received_at as given, "" when left to the server), not what the server added.
func paymentFingerprint(order, recorder uuid.UUID, in NewPayment) string {
	received := ""
	if !in.ReceivedAt.IsZero() {
		received = in.ReceivedAt.UTC().Format(time.RFC3339Nano)
	}
	// Marshalling strings and UUIDs cannot fail.
	raw, _ := json.Marshal(struct {
		ID, Order, Recorder uuid.UUID
		Amount              string // canonical: "30" and "30.00" are one amount
		ReceivedAt          string
		Method              PaymentMethod
		Reference           string
	}{in.ID, order, recorder, in.Amount.String(), received, in.Method, in.Reference})
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// earlierPayment finds a stored payment with id. ok is true when it is this request's own,
// retried; a payment with other content under the id is a conflict, which says nothing about that
// payment (it may be another rep's, on another order).
func earlierPayment(db *gorm.DB, id uuid.UUID, fingerprint string) (Payment, bool, error) {
	var rows []paymentRow
	if err := db.Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return Payment{}, false, fmt.Errorf("find earlier attempt: %w", err)
	}
	if len(rows) == 0 {
		return Payment{}, false, nil
	}
	if rows[0].Fingerprint == nil || *rows[0].Fingerprint != fingerprint {
		return Payment{}, false, fault.New(fault.Conflict, "id_reused",
			"a payment with this id was already recorded with different content: a retry must send the same body, and a new payment needs a new id")
	}
	return toPayment(rows[0]), true, nil
}

// insertPayment stores pay unless a payment with its id exists. When a concurrent request stored
// one first, it answers that payment if it is this request's retry (stored is false), and the
// conflict if the id is reused.
func insertPayment(db *gorm.DB, pay Payment, fingerprint string) (Payment, bool, error) {
	row := paymentRow{ID: pay.ID, OrderID: pay.OrderID, Amount: pay.Amount, ReceivedAt: pay.ReceivedAt, Method: string(pay.Method),
		Reference: pay.Reference, RecordedBy: pay.RecordedBy, CreatedAt: pay.CreatedAt, Fingerprint: &fingerprint}
	res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return Payment{}, false, fmt.Errorf("store payment: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return pay, true, nil
	}
	prior, ok, err := earlierPayment(db, pay.ID, fingerprint)
	if err == nil && !ok {
		err = fmt.Errorf("payment %s neither stored nor found", pay.ID)
	}
	return prior, false, err
}

func toPayment(r paymentRow) Payment {
	return Payment{ID: r.ID, OrderID: r.OrderID, Amount: r.Amount, ReceivedAt: r.ReceivedAt.UTC(),
		Method: PaymentMethod(r.Method), Reference: r.Reference, RecordedBy: r.RecordedBy, CreatedAt: r.CreatedAt.UTC()}
}
