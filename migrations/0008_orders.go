package migrations

// orders: the product catalogue, orders with their lines, the append-only record of what happened
// to each order (status transitions, deliveries, payments), and shelf checks of the stores.
//
// Money and quantities are NUMERIC(20,4) (TEXT on SQLite, see sqliteTypes): sums are made in Go
// with decimals, never in SQL. The CHECKs on them CAST to NUMERIC, because a TEXT column compares
// as text on SQLite ('20' > '100'); on PostgreSQL the cast is a no-op.
//
// An order's lines change only while it is a draft, by replacing them, so order_lines is a plain
// tenant table; everything after the draft is appended. orders.amount_paid mirrors the sum of the
// order's payments, written in the same transaction under the order's row lock, so that lists and
// the receivables need not sum per order; the payments rows are the record. orders.due_on is the
// calendar day (YYYY-MM-DD, the tenant's zone) payment falls due: text, so it compares the same
// on both dialects.
//
// opportunity_id has no foreign key: the pipeline's tables come in a later migration, and an
// order only remembers which opportunity it came from.
var orders = Migration{
	Version: 8,
	Name:    "orders",
	SQL: `
CREATE TABLE products (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	sku TEXT NOT NULL,
	name TEXT NOT NULL,
	unit TEXT NOT NULL,
	list_price NUMERIC(20,4) NOT NULL CHECK (CAST(list_price AS NUMERIC) >= 0),
	currency TEXT NOT NULL,
	active BOOLEAN NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	UNIQUE (tenant_id, sku)
);
CREATE TABLE orders (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	customer_id UUID NOT NULL,
	owner_id UUID NOT NULL,
	region_id UUID NOT NULL,
	currency TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'shipped', 'delivered', 'paid', 'cancelled')),
	visit_id UUID,
	opportunity_id UUID,
	payment_terms_days INTEGER NOT NULL CHECK (payment_terms_days >= 0 AND payment_terms_days <= 365),
	notes TEXT NOT NULL,
	gross NUMERIC(20,4) NOT NULL,
	discount NUMERIC(20,4) NOT NULL,
	total NUMERIC(20,4) NOT NULL CHECK (CAST(total AS NUMERIC) >= 0),
	amount_paid NUMERIC(20,4) NOT NULL CHECK (CAST(amount_paid AS NUMERIC) >= 0),
	approved_at TIMESTAMPTZ,
	due_on TEXT,
	delivered_at TIMESTAMPTZ,
	created_by UUID NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
	FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id),
	FOREIGN KEY (tenant_id, region_id) REFERENCES regions (tenant_id, id),
	FOREIGN KEY (tenant_id, visit_id) REFERENCES visits (tenant_id, id),
	FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id),
	CHECK ((approved_at IS NULL) = (due_on IS NULL))
);
CREATE INDEX orders_owner ON orders (tenant_id, owner_id, id);
CREATE INDEX orders_region ON orders (tenant_id, region_id, id);
CREATE INDEX orders_customer ON orders (tenant_id, customer_id, id);
CREATE INDEX orders_approved ON orders (tenant_id, owner_id, approved_at);
CREATE INDEX orders_receivable ON orders (tenant_id, due_on) WHERE status IN ('approved', 'shipped', 'delivered');
CREATE TABLE order_lines (
	tenant_id UUID NOT NULL,
	order_id UUID NOT NULL,
	line_no INTEGER NOT NULL CHECK (line_no > 0),
	product_id UUID NOT NULL,
	quantity NUMERIC(20,4) NOT NULL CHECK (CAST(quantity AS NUMERIC) > 0),
	unit_price NUMERIC(20,4) NOT NULL CHECK (CAST(unit_price AS NUMERIC) >= 0),
	discount_pct NUMERIC(20,4) NOT NULL CHECK (CAST(discount_pct AS NUMERIC) >= 0 AND CAST(discount_pct AS NUMERIC) <= 100),
	gross NUMERIC(20,4) NOT NULL,
	discount NUMERIC(20,4) NOT NULL,
	net NUMERIC(20,4) NOT NULL,
	PRIMARY KEY (tenant_id, order_id, line_no),
	FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
	FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);
CREATE INDEX order_lines_product ON order_lines (tenant_id, product_id);
CREATE TABLE order_transitions (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	order_id UUID NOT NULL,
	from_status TEXT,
	to_status TEXT NOT NULL,
	actor_id UUID NOT NULL,
	comment TEXT NOT NULL,
	at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
	FOREIGN KEY (tenant_id, actor_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX order_transitions_order ON order_transitions (tenant_id, order_id, at);
CREATE TABLE deliveries (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	order_id UUID NOT NULL,
	delivered_at TIMESTAMPTZ NOT NULL,
	note TEXT NOT NULL,
	recorded_by UUID NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
	FOREIGN KEY (tenant_id, recorded_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX deliveries_order ON deliveries (tenant_id, order_id, delivered_at);
CREATE TABLE delivery_lines (
	tenant_id UUID NOT NULL,
	delivery_id UUID NOT NULL,
	order_id UUID NOT NULL,
	line_no INTEGER NOT NULL,
	quantity NUMERIC(20,4) NOT NULL CHECK (CAST(quantity AS NUMERIC) > 0),
	PRIMARY KEY (tenant_id, delivery_id, line_no),
	FOREIGN KEY (tenant_id, delivery_id) REFERENCES deliveries (tenant_id, id),
	FOREIGN KEY (tenant_id, order_id, line_no) REFERENCES order_lines (tenant_id, order_id, line_no)
);
CREATE INDEX delivery_lines_order ON delivery_lines (tenant_id, order_id, line_no);
CREATE TABLE payments (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	order_id UUID NOT NULL,
	amount NUMERIC(20,4) NOT NULL CHECK (CAST(amount AS NUMERIC) > 0),
	received_at TIMESTAMPTZ NOT NULL,
	method TEXT NOT NULL CHECK (method IN ('cash', 'bank_transfer', 'card', 'cheque', 'mobile', 'other')),
	reference TEXT NOT NULL,
	recorded_by UUID NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
	FOREIGN KEY (tenant_id, recorded_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX payments_order ON payments (tenant_id, order_id, received_at);
CREATE TABLE shelf_checks (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	customer_id UUID NOT NULL,
	owner_id UUID NOT NULL,
	region_id UUID NOT NULL,
	visit_id UUID,
	checked_at TIMESTAMPTZ NOT NULL,
	checked_by UUID NOT NULL,
	note TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
	FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id),
	FOREIGN KEY (tenant_id, region_id) REFERENCES regions (tenant_id, id),
	FOREIGN KEY (tenant_id, visit_id) REFERENCES visits (tenant_id, id),
	FOREIGN KEY (tenant_id, checked_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX shelf_checks_time ON shelf_checks (tenant_id, checked_at);
CREATE INDEX shelf_checks_customer ON shelf_checks (tenant_id, customer_id, checked_at);
CREATE INDEX shelf_checks_owner ON shelf_checks (tenant_id, owner_id, checked_at);
CREATE TABLE shelf_check_items (
	tenant_id UUID NOT NULL,
	check_id UUID NOT NULL,
	product_id UUID NOT NULL,
	present BOOLEAN NOT NULL,
	shelf_price NUMERIC(20,4) CHECK (shelf_price IS NULL OR CAST(shelf_price AS NUMERIC) >= 0),
	price_currency TEXT,
	stock_count INTEGER CHECK (stock_count IS NULL OR stock_count >= 0),
	PRIMARY KEY (tenant_id, check_id, product_id),
	FOREIGN KEY (tenant_id, check_id) REFERENCES shelf_checks (tenant_id, id),
	FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
	CHECK ((shelf_price IS NULL) = (price_currency IS NULL))
);
CREATE INDEX shelf_check_items_product ON shelf_check_items (tenant_id, product_id);
`,
	TenantTables: []string{"products", "orders", "order_lines"},
	AppendOnly:   []string{"order_transitions", "deliveries", "delivery_lines", "payments", "shelf_checks", "shelf_check_items"},
}
