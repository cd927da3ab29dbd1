package migrations

// sample records: a company may start with a small sample data set (customers, visits,
// opportunities, orders and the products they sell) so that its dashboards are not empty on day
// one. sample_records lists the rows the sample made, by the table they are in (kind), so that a
// tenant admin can remove all of them at once without touching a row of the company's own.
// A list beside the tables, not a column in each: the domains' tables stay as they are, and
// rows a domain service writes for a sample row (an order's lines, a visit's revisions) go with
// the row they belong to.
var sampleRecords = Migration{
	Version: 28,
	Name:    "sample records",
	SQL: `
CREATE TABLE sample_records (
	tenant_id UUID NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('users', 'customers', 'visits', 'opportunities', 'orders', 'products')),
	id UUID NOT NULL,
	PRIMARY KEY (tenant_id, kind, id)
);
`,
	TenantTables: []string{"sample_records"},
}
