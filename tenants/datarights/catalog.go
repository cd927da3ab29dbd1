package datarights

import (
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/store"
)

// table is a base table as the database's catalog describes it.
type table struct {
	Name    string
	Columns []column
}

type column struct {
	Name string
	Type string // as declared: "uuid", "bytea" on PostgreSQL; "TEXT", "BLOB" on SQLite
}

func (t table) has(name string) bool {
	return slices.ContainsFunc(t.Columns, func(c column) bool { return c.Name == name })
}

// catalog is the schema read from the database itself, so that a table added by a later
// migration is exported and purged without anyone remembering to list it here.
type catalog struct {
	tables []table // by name
	// refs maps a table to the tables its foreign keys reference.
	refs map[string][]string
}

// readCatalog reads the schema through db, which must be the owner's: the app role's
// information_schema hides the tables it has no grant on, and a table hidden there would be
// silently left out.
func readCatalog(db *gorm.DB, d store.Dialect) (catalog, error) {
	colsSQL, refsSQL := `SELECT c.table_name AS "table", c.column_name AS name, c.data_type AS type FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
		ORDER BY c.table_name, c.ordinal_position`,
		`SELECT child.relname AS child, parent.relname AS parent FROM pg_constraint k
		JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
		WHERE k.contype = 'f' AND child.relnamespace = current_schema()::regnamespace`
	if d == store.SQLite {
		colsSQL, refsSQL = `SELECT m.name AS "table", p.name AS name, p.type AS type FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid`,
			`SELECT m.name AS child, f."table" AS parent FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table'`
	}
	var cols []struct{ Table, Name, Type string }
	if err := db.Raw(colsSQL).Scan(&cols).Error; err != nil {
		return catalog{}, fmt.Errorf("read the catalog's columns: %w", err)
	}
	c := catalog{refs: map[string][]string{}}
	for _, col := range cols {
		if n := len(c.tables); n == 0 || c.tables[n-1].Name != col.Table {
			c.tables = append(c.tables, table{Name: col.Table})
		}
		t := &c.tables[len(c.tables)-1]
		t.Columns = append(t.Columns, column{Name: col.Name, Type: col.Type})
	}
	var refs []struct{ Child, Parent string }
	if err := db.Raw(refsSQL).Scan(&refs).Error; err != nil {
		return catalog{}, fmt.Errorf("read the catalog's foreign keys: %w", err)
	}
	for _, r := range refs {
		c.refs[r.Child] = append(c.refs[r.Child], r.Parent)
	}
	return c, nil
}

// withColumn lists the tables that have a column named name, by name.
func (c catalog) withColumn(name string) []table {
	var out []table
	for _, t := range c.tables {
		if t.has(name) {
			out = append(out, t)
		}
	}
	return out
}

// table returns the named table, if the schema has it.
func (c catalog) table(name string) (table, bool) {
	i := slices.IndexFunc(c.tables, func(t table) bool { return t.Name == name })
	if i < 0 {
		return table{}, false
	}
	return c.tables[i], true
}

// deleteOrder orders tables so that each comes before every table it references: deleting in
// this order never leaves a row pointing at a deleted one, on either dialect, without deferring
// constraints (PostgreSQL's are not deferrable). A table's references to itself are ignored:
// one DELETE removes all of a tenant's rows of it, and both databases check at the statement's
// end. A cycle between tables is reported, not guessed through.
func (c catalog) deleteOrder(tables []table) ([]table, error) {
	in := map[string]bool{}
	for _, t := range tables {
		in[t.Name] = true
	}
	// referrers counts, per table, the other tables of the set that still reference it.
	referrers := map[string]int{}
	for _, t := range tables {
		for _, p := range uniq(c.refs[t.Name]) {
			if p != t.Name && in[p] {
				referrers[p]++
			}
		}
	}
	var out []table
	left := slices.Clone(tables)
	for len(left) > 0 {
		i := slices.IndexFunc(left, func(t table) bool { return referrers[t.Name] == 0 })
		if i < 0 {
			names := make([]string, len(left))
			for j, t := range left {
				names[j] = t.Name
			}
			return nil, fmt.Errorf("foreign keys form a cycle among %s: no safe order to delete them", strings.Join(names, ", "))
		}
		t := left[i]
		left = slices.Delete(left, i, i+1)
		out = append(out, t)
		for _, p := range uniq(c.refs[t.Name]) {
			if p != t.Name && in[p] {
				referrers[p]--
			}
		}
	}
	return out, nil
}

func uniq(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// quote makes a catalog name an SQL identifier; both dialects use double quotes.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
