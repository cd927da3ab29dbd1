package migrations

// accessDefaults remembers which set of built-in role policies every tenant has been given, so
// that a release that changes them can bring existing tenants up to date once.
var accessDefaults = Migration{
	Version: 6,
	Name:    "access_defaults",
	SQL: `
CREATE TABLE access_defaults (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	digest TEXT NOT NULL,
	applied_at TIMESTAMPTZ NOT NULL
);
`,
	GlobalTables: []string{"access_defaults"},
}
