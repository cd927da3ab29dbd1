package migrations

// order due index: a rep's orders by due day, for the payment collection rate of a period
// (orders falling due in it, whatever their status). orders_receivable leaves paid orders out,
// so without this the figure read every order of the tenant's history.
var orderDueIndex = Migration{
	Version: 16,
	Name:    "order due index",
	SQL: `
CREATE INDEX orders_due ON orders (tenant_id, owner_id, due_on) WHERE due_on IS NOT NULL;
`,
}
