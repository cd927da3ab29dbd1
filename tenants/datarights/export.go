package datarights

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/audit"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/platform/store"
)

// RequestExport queues an export of all the caller's tenant's data; the caller is a tenant
// admin. The file is made by a job: poll Export until it is ready.
func (s *Service) RequestExport(ctx context.Context) (Export, error) {
	p, err := adminOf(ctx, "export the company's data")
	if err != nil {
		return Export{}, err
	}
	row := exportRow{ID: identity.NewID(), Status: ExportQueued, RequestedBy: p.UserID, RequestedAt: s.now()}
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var queued int64
		if err := db.Model(&exportRow{}).Where("status = ?", ExportQueued).Count(&queued).Error; err != nil {
			return err
		}
		if queued > 0 {
			return errExportRunning
		}
		if err := db.Create(&row).Error; err != nil {
			return err
		}
		// The request's audit record is the HTTP edge's, in this transaction.
		return s.queue.Enqueue(ctx, exportJob{Tenant: jobs.Tenant{TenantID: p.TenantID}, ExportID: row.ID}, time.Time{})
	})
	if err != nil {
		return Export{}, fmt.Errorf("request export: %w", err)
	}
	return row.export(), nil
}

// Export returns one of the caller's tenant's exports.
func (s *Service) Export(ctx context.Context, id uuid.UUID) (Export, error) {
	if _, err := adminOf(ctx, "see the company's exports"); err != nil {
		return Export{}, err
	}
	row, err := s.exportRow(ctx, id)
	return row.export(), err
}

// Exports lists the caller's tenant's exports, newest first.
func (s *Service) Exports(ctx context.Context) ([]Export, error) {
	if _, err := adminOf(ctx, "see the company's exports"); err != nil {
		return nil, err
	}
	var rows []exportRow
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		return db.Order("requested_at DESC").Limit(100).Find(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("list exports: %w", err)
	}
	out := make([]Export, len(rows))
	for i, r := range rows {
		out[i] = s.shown(r).export()
	}
	return out, nil
}

// OpenExport opens a ready export's file for its download, which it records in the audit
// trail; the caller closes the file.
func (s *Service) OpenExport(ctx context.Context, id uuid.UUID) (*os.File, Export, error) {
	if _, err := adminOf(ctx, "download the company's data"); err != nil {
		return nil, Export{}, err
	}
	row, err := s.exportRow(ctx, id)
	if err != nil {
		return nil, Export{}, err
	}
	switch row.Status {
	case ExportQueued:
		return nil, Export{}, fault.New(fault.Conflict, "export_not_ready", "the export is still being prepared: try again in a while")
	case ExportReady:
	default:
		return nil, Export{}, fault.Newf(fault.Conflict, "export_"+row.Status, "the export is %s: ask for a new one", row.Status)
	}
	f, err := os.Open(s.exportFile(identity.TenantID(ctx), id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, Export{}, fault.New(fault.Conflict, "export_expired", "the export's file is gone: ask for a new one")
	}
	if err != nil {
		return nil, Export{}, fmt.Errorf("open export %s: %w", id, err)
	}
	if err := s.audit.Record(ctx, audit.Entry{Action: actionExportDownload, Resource: exportPath(id) + "/file"}); err != nil {
		_ = f.Close()
		return nil, Export{}, fmt.Errorf("download export %s: %w", id, err)
	}
	return f, row.export(), nil
}

func (s *Service) exportRow(ctx context.Context, id uuid.UUID) (exportRow, error) {
	var row exportRow
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		return db.Where("id = ?", id).Take(&row).Error
	})
	if store.IsNotFound(err) {
		return row, fault.NotFoundf("export")
	}
	if err != nil {
		return row, fmt.Errorf("read export %s: %w", id, err)
	}
	return s.shown(row), nil
}

// shown is row as the caller sees it now: a ready export past its time is expired even before
// the sweep has deleted its file.
func (s *Service) shown(row exportRow) exportRow {
	if row.Status == ExportReady && row.ExpiresAt != nil && !s.now().Before(*row.ExpiresAt) {
		row.Status = ExportExpired
	}
	return row
}

func exportPath(id uuid.UUID) string { return "/api/v1/tenant/exports/" + id.String() }

func (s *Service) tenantDir(tenant uuid.UUID) string {
	return filepath.Join(s.opts.ExportDir, tenant.String())
}

func (s *Service) exportFile(tenant, id uuid.UUID) string {
	return filepath.Join(s.tenantDir(tenant), id.String()+".zip")
}

// runExport is the export job. It reads inside the tenant's own transaction (the job's), so
// row-level security confines every read, and marks the export ready in the same commit as the
// job's completion; an attempt that fails leaves no file and is retried.
func (s *Service) runExport(ctx context.Context, job exportJob) error {
	return s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var row exportRow
		err := db.Where("id = ?", job.ExportID).Take(&row).Error
		if store.IsNotFound(err) || (err == nil && row.Status != ExportQueued) {
			return nil // purged, or finished or given up by an earlier run
		}
		if err != nil {
			return err
		}
		size, sum, err := s.writeArchive(ctx, db, job.TenantID, row.ID)
		if err != nil {
			return fmt.Errorf("export %s of tenant %s: %w", row.ID, job.TenantID, err)
		}
		done, expires := s.now(), s.now().Add(s.opts.ExportTTL)
		return db.Model(&exportRow{}).Where("id = ? AND status = ?", row.ID, ExportQueued).
			Updates(map[string]any{"status": ExportReady, "finished_at": done, "expires_at": expires, "size": size, "file_sha256": sum}).Error
	})
}

// writeArchive writes the export's zip next to its final name and renames it there once it is
// whole and on disk, so a reader never finds half a file.
func (s *Service) writeArchive(ctx context.Context, db *gorm.DB, tenant, id uuid.UUID) (int64, string, error) {
	// The owner reads the catalog, the schema version and the tenant's name; the rows
	// themselves are read with db, the tenant's transaction.
	owner := s.store.Owner(ctx)
	cat, err := readCatalog(owner, s.store.Dialect())
	if err != nil {
		return 0, "", err
	}
	m := Manifest{Format: ManifestFormat, TenantID: tenant, ExportID: id, ExportedAt: s.now(), Database: string(s.store.Dialect())}
	var t tenantRow
	if err := owner.Where("id = ?", tenant).Take(&t).Error; err != nil {
		return 0, "", fmt.Errorf("read tenant: %w", err)
	}
	m.TenantSlug, m.TenantName = t.Slug, t.Name
	if err := owner.Raw("SELECT MAX(version) FROM schema_migrations").Scan(&m.SchemaVersion).Error; err != nil {
		return 0, "", fmt.Errorf("read schema version: %w", err)
	}
	dir := s.tenantDir(tenant)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return 0, "", err
	}
	final := s.exportFile(tenant, id)
	f, err := os.OpenFile(final+".part", os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o640)
	if err != nil {
		return 0, "", err
	}
	defer os.Remove(f.Name()) // fails harmlessly after the rename
	defer f.Close()
	h := sha256.New()
	counted := &counter{w: io.MultiWriter(f, h)}
	a := &archive{zw: zip.NewWriter(counted), tenant: tenant, at: m.ExportedAt, tmpDir: dir, manifest: m}
	if err := a.write(ctx, db, cat, s.photos); err != nil {
		return 0, "", err
	}
	if err := f.Sync(); err != nil {
		return 0, "", err
	}
	if err := os.Rename(f.Name(), final); err != nil {
		return 0, "", err
	}
	return counted.n, hex.EncodeToString(h.Sum(nil)), nil
}

// counter counts the bytes written through it: the zip's size, without a stat.
type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
