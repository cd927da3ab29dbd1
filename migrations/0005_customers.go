package migrations

// customers: the visits domain's customers with their location and geofence, all in WGS84. A
// circle fence is centred on (lat, lon) with fence_radius metres; a polygon fence is kept as its
// GeoJSON Polygon geometry in fence_polygon. The CHECK keeps exactly the columns of the kind set.
var customers = Migration{
	Version: 5,
	Name:    "customers",
	SQL: `
CREATE TABLE customers (
	tenant_id UUID NOT NULL,
	id UUID NOT NULL,
	name TEXT NOT NULL,
	contact_name TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT '',
	grade TEXT NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D')),
	owner_id UUID NOT NULL,
	region_id UUID NOT NULL,
	lat DOUBLE PRECISION NOT NULL CHECK (lat >= -90 AND lat <= 90),
	lon DOUBLE PRECISION NOT NULL CHECK (lon >= -180 AND lon <= 180),
	fence_kind TEXT NOT NULL CHECK (fence_kind IN ('circle', 'polygon')),
	fence_radius DOUBLE PRECISION,
	fence_polygon TEXT,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id),
	FOREIGN KEY (tenant_id, region_id) REFERENCES regions (tenant_id, id),
	CHECK ((fence_kind = 'circle' AND fence_radius > 0 AND fence_polygon IS NULL)
		OR (fence_kind = 'polygon' AND fence_radius IS NULL AND fence_polygon IS NOT NULL))
);
CREATE INDEX customers_tenant_owner ON customers (tenant_id, owner_id, id);
CREATE INDEX customers_tenant_region ON customers (tenant_id, region_id, id);
`,
	TenantTables: []string{"customers"},
}
