package orders

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
)

// A rep takes orders on a phone that queues them offline and retries after timeouts, so an
// order may carry the phone's own id, and its row keeps a fingerprint of the request that made
// it: a retry is told from a different order reusing the id by comparing fingerprints, as for
// payments (payment_retry.go).

// orderFingerprint hashes what the caller said: who creates it and the request's content as
// sent, not what the server added (prices from the catalogue, totals).
func orderFingerprint(creator uuid.UUID, in NewOrder) string {
	lines := make([][4]string, len(in.Lines))
	for i, l := range in.Lines {
		price := ""
		if l.UnitPrice != nil {
			price = l.UnitPrice.String()
		}
		lines[i] = [4]string{l.ProductID.String(), l.Quantity.String(), price, l.DiscountPct.String()}
	}
	// Marshalling strings, UUIDs and pointers to them cannot fail.
	raw, _ := json.Marshal(struct {
		ID, Creator, Customer uuid.UUID
		Currency              string
		Visit, Opportunity    *uuid.UUID
		Terms                 *int
		Notes                 string
		Lines                 [][4]string
	}{in.ID, creator, in.CustomerID, in.Currency, in.VisitID, in.OpportunityID, in.PaymentTermsDays, in.Notes, lines})
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// earlierOrder finds a stored order with id. retried is true when it is this request's own; an
// order with other content under the id is a conflict, which says nothing about that order (it
// may be another rep's).
func (s *Service) earlierOrder(ctx context.Context, db *gorm.DB, id uuid.UUID, fingerprint string) (Order, bool, error) {
	var rows []orderRow
	if err := db.Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return Order{}, false, fmt.Errorf("find earlier attempt: %w", err)
	}
	if len(rows) == 0 {
		return Order{}, false, nil
	}
	if rows[0].Fingerprint == nil || *rows[0].Fingerprint != fingerprint {
		return Order{}, false, fault.New(fault.Conflict, "id_reused",
			"an order with this id was already taken with different content: a retry must send the same body, and a new order needs a new id")
	}
	o, _, err := s.loadOrder(ctx, db, id, access.Read, false)
	if err != nil {
		return Order{}, false, err
	}
	return o, true, loadLines(db, &o)
}
