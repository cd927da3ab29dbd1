package migrations

// order client ids: a rep takes an order offline, and the phone sends it when the network
// returns, retrying after timeouts; so an order may carry the phone's own id, and its row keeps a
// fingerprint of the request that created it, to tell a retry from another order reusing the id.
// Orders created before this migration, and those made without a client id, have none.
var orderClientIDs = Migration{
	Version: 27,
	Name:    "order client ids",
	SQL: `
ALTER TABLE orders ADD COLUMN fingerprint TEXT;
`,
}
