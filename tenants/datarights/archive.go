package datarights

import (
	"archive/zip"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/blob"
)

// ManifestFormat names the layout of an export, for whoever reads one back.
const ManifestFormat = "repflow-tenant-export/1"

// Manifest is manifest.json, the table of contents of an export: tables/<name>.json (an array of
// objects, one per row) and tables/<name>.csv (a header line, then the rows) for every tenant
// table, and attachments/<sha256> for every file the rows name by hash (visit_photos.sha256).
type Manifest struct {
	Format        string             `json:"format"`
	TenantID      uuid.UUID          `json:"tenant_id"`
	TenantSlug    string             `json:"tenant_slug"`
	TenantName    string             `json:"tenant_name"`
	ExportID      uuid.UUID          `json:"export_id"`
	ExportedAt    time.Time          `json:"exported_at"`
	SchemaVersion int                `json:"schema_version"`
	Database      string             `json:"database"`
	Tables        []TableManifest    `json:"tables"`
	Attachments   AttachmentManifest `json:"attachments"`
}

// TableManifest describes one table's files.
type TableManifest struct {
	Name    string   `json:"name"`
	Rows    int64    `json:"rows"`
	JSON    string   `json:"json"`
	CSV     string   `json:"csv"`
	Columns []string `json:"columns"`
	// Redacted columns hold secrets (password and token hashes): null in JSON, empty in CSV.
	Redacted []string `json:"redacted_columns,omitempty"`
}

// AttachmentManifest counts the attached files; Missing are hashes rows name that the blob
// store does not have.
type AttachmentManifest struct {
	Count   int64    `json:"count"`
	Bytes   int64    `json:"bytes"`
	Missing []string `json:"missing,omitempty"`
}

// secretColumns are left out of an export: a password hash handed to a tenant admin could be
// cracked offline for another user's password, a token hash is of no use outside repflow, and a
// connector's secrets (its CRM's password) must not travel in a file that may be passed around.
var secretColumns = []string{"password_hash", "secret_hash", "csrf_hash", "token_hash", "secrets"}

// archive writes one export's zip, entry by entry: a zip entry must be finished before the next
// begins, so each table's CSV goes to a temporary file while its JSON is written.
type archive struct {
	zw       *zip.Writer
	tenant   uuid.UUID
	at       time.Time
	tmpDir   string
	manifest Manifest
}

func (a *archive) entry(name string, method uint16) (io.Writer, error) {
	return a.zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: a.at})
}

// write adds every tenant table of cat, the files their rows name, and the manifest, and
// finishes the zip.
func (a *archive) write(ctx context.Context, db *gorm.DB, cat catalog, photos blob.Store) error {
	var hashed []table
	for _, t := range cat.withColumn("tenant_id") {
		if err := a.writeTable(db, t); err != nil {
			return err
		}
		if t.has("sha256") {
			hashed = append(hashed, t)
		}
	}
	if err := a.writeAttachments(ctx, db, hashed, photos); err != nil {
		return err
	}
	if err := a.writeManifest(); err != nil {
		return err
	}
	return a.zw.Close()
}

// writeTable streams the tenant's rows of t into its JSON and CSV entries. The WHERE clause is
// the only wall on SQLite; on PostgreSQL row-level security would confine the query anyway.
func (a *archive) writeTable(db *gorm.DB, t table) error {
	rows, err := db.Raw("SELECT * FROM "+quote(t.Name)+" WHERE tenant_id = ?", a.tenant).Rows()
	if err != nil {
		return fmt.Errorf("read %s: %w", t.Name, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return fmt.Errorf("read %s: %w", t.Name, err)
	}
	tm := TableManifest{Name: t.Name, JSON: "tables/" + t.Name + ".json", CSV: "tables/" + t.Name + ".csv", Columns: cols}
	kinds := make([]kind, len(cols))
	for i, c := range cols {
		for _, tc := range t.Columns {
			if tc.Name == c {
				kinds[i] = kindOf(tc.Type)
			}
		}
		if slices.Contains(secretColumns, c) {
			kinds[i] = secret
			tm.Redacted = append(tm.Redacted, c)
		}
	}
	tmp, err := os.CreateTemp(a.tmpDir, ".csv-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	jw, err := a.entry(tm.JSON, zip.Deflate)
	if err != nil {
		return err
	}
	if tm.Rows, err = copyRows(rows, cols, kinds, jw, csv.NewWriter(tmp)); err != nil {
		return fmt.Errorf("export %s: %w", t.Name, err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	w, err := a.entry(tm.CSV, zip.Deflate)
	if err == nil {
		_, err = io.Copy(w, tmp)
	}
	a.manifest.Tables = append(a.manifest.Tables, tm)
	return err
}

// copyRows writes rows as a JSON array of objects, one per line, to jw, and as CSV (a header,
// then a line per row) to cw, and counts them. One row is in memory at a time.
func copyRows(rows *sql.Rows, cols []string, kinds []kind, jw io.Writer, cw *csv.Writer) (int64, error) {
	if err := cw.Write(cols); err != nil {
		return 0, err
	}
	vals, ptrs, record := make([]any, len(cols)), make([]any, len(cols)), make([]string, len(cols))
	keys := make([][]byte, len(cols))
	for i, c := range cols {
		ptrs[i] = &vals[i]
		k, _ := json.Marshal(c) // a string always marshals
		keys[i] = append(k, ':')
	}
	var n int64
	var obj []byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		sep := ",\n{"
		if n == 0 {
			sep = "[\n{"
		}
		obj = append(obj[:0], sep...)
		for i, c := range cols {
			v := cell(vals[i], kinds[i])
			val, err := json.Marshal(v)
			if err != nil {
				return n, fmt.Errorf("column %s: %w", c, err)
			}
			if i > 0 {
				obj = append(obj, ',')
			}
			obj = append(append(obj, keys[i]...), val...)
			record[i] = text(v)
		}
		if _, err := jw.Write(append(obj, '}')); err != nil {
			return n, err
		}
		if err := cw.Write(record); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	end := "\n]\n"
	if n == 0 {
		end = "[]\n"
	}
	if _, err := io.WriteString(jw, end); err != nil {
		return n, err
	}
	cw.Flush()
	return n, cw.Error()
}

// kind is what a column's declared type says about reading its values.
type kind int

const (
	plain   kind = iota
	binary       // bytes: base64 in the export
	boolean      // SQLite keeps booleans as 0 and 1: the export says true and false on both dialects
	secret       // left out (secretColumns)
)

func kindOf(declared string) kind {
	switch strings.ToLower(declared) {
	case "bytea", "blob":
		return binary
	case "boolean":
		return boolean
	}
	return plain
}

// cell turns a scanned value into one JSON and CSV can both write the same way.
func cell(v any, k kind) any {
	if k == secret {
		return nil
	}
	switch x := v.(type) {
	case []byte:
		if k == binary {
			return base64.StdEncoding.EncodeToString(x)
		}
		return string(x)
	case int64:
		if k == boolean {
			return x != 0
		}
		return x
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case [16]byte:
		return uuid.UUID(x).String()
	case nil, string, bool, float64:
		return x
	}
	return fmt.Sprint(v)
}

// text is a cell as CSV writes it: null is empty.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

// writeAttachments adds every file the tenant's rows name by hash (columns named sha256), each
// once, streamed from the blob store. photos is nil on a server that stores none.
func (a *archive) writeAttachments(ctx context.Context, db *gorm.DB, tables []table, photos blob.Store) error {
	if len(tables) == 0 {
		return nil
	}
	var parts []string
	var args []any
	for _, t := range tables {
		parts = append(parts, "SELECT sha256 FROM "+quote(t.Name)+" WHERE tenant_id = ?")
		args = append(args, a.tenant)
	}
	// UNION, not UNION ALL: a file named by several rows is attached once.
	rows, err := db.Raw(strings.Join(parts, " UNION ")+" ORDER BY 1", args...).Rows()
	if err != nil {
		return fmt.Errorf("read attachment hashes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			return fmt.Errorf("read attachment hashes: %w", err)
		}
		n, err := a.attach(ctx, photos, sha)
		if errors.Is(err, blob.ErrNotFound) || errors.Is(err, blob.ErrInvalidHash) {
			a.manifest.Attachments.Missing = append(a.manifest.Attachments.Missing, sha)
			continue
		}
		if err != nil {
			return fmt.Errorf("attach %s: %w", sha, err)
		}
		a.manifest.Attachments.Count++
		a.manifest.Attachments.Bytes += n
	}
	return rows.Err()
}

func (a *archive) attach(ctx context.Context, photos blob.Store, sha string) (int64, error) {
	if photos == nil {
		return 0, blob.ErrNotFound
	}
	r, _, err := photos.Open(ctx, a.tenant, sha)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	// Photos are compressed already: stored as they are.
	w, err := a.entry("attachments/"+sha, zip.Store)
	if err != nil {
		return 0, err
	}
	return io.Copy(w, r)
}

// writeManifest adds manifest.json; it comes last because it counts what came before.
func (a *archive) writeManifest() error {
	w, err := a.entry("manifest.json", zip.Deflate)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(a.manifest)
}
