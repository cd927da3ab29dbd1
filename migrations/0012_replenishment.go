package migrations

// replenishment: idempotent payments and the order history that replenishment predictions read.
//
// A payment's id is now the phone's own UUID (a rep records payments in the field, offline, and
// the phone retries). fingerprint is a hash of the request that created the payment, so that a
// retry with the same id is told from a different payment reusing it. Payments recorded before
// this migration have no fingerprint: their ids were the server's, and no retry can match them.
// payments stays append-only: the column is written once, with the row.
//
// The replenishment prediction reads a customer's orders that were approved and not cancelled,
// by the day they were taken; the partial index serves exactly that read, for the list of due
// customers and for the reminder timer.
var replenishment = Migration{
	Version: 12,
	Name:    "replenishment",
	SQL: `
ALTER TABLE payments ADD COLUMN fingerprint TEXT;
CREATE INDEX orders_customer_history ON orders (tenant_id, customer_id, created_at)
	WHERE approved_at IS NOT NULL AND status <> 'cancelled';
`,
}
