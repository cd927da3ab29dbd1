package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/google/uuid"
)

const (
	fileMode = 0o640
	dirMode  = 0o750
	// tempPrefix marks an upload in progress; a crash can leave one behind, and no blob name
	// (64 hex digits) starts with it, so a sweeper can tell them apart.
	tempPrefix = ".put-"
)

// Disk keeps blobs as files under one directory: <dir>/<tenant>/<sha[0:2]>/<sha>. The two-digit
// shard keeps directories small enough to list when a tenant has millions of photos.
type Disk struct {
	dir string
}

var _ Store = (*Disk)(nil)

// NewDisk stores blobs under dir, creating it if needed.
func NewDisk(dir string) (*Disk, error) {
	if dir == "" {
		return nil, errors.New("new disk blob store: no directory")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("new disk blob store: %w", err)
	}
	if err := os.MkdirAll(abs, dirMode); err != nil {
		return nil, fmt.Errorf("new disk blob store: %w", err)
	}
	return &Disk{dir: abs}, nil
}

func (d *Disk) tenantDir(tenant uuid.UUID) string { return filepath.Join(d.dir, tenant.String()) }

func (d *Disk) path(tenant uuid.UUID, sha string) string {
	return filepath.Join(d.tenantDir(tenant), sha[:2], sha)
}

// Put streams r into a temporary file in the tenant's directory while hashing it, so memory use
// does not grow with the blob, then renames the file to its hash. The rename is atomic: a reader
// sees the whole blob or none. Temporary and final file are on the same file system, which the
// rename needs.
func (d *Disk) Put(ctx context.Context, tenant uuid.UUID, r io.Reader, maxBytes int64) (Info, error) {
	if err := checkTenant(tenant); err != nil {
		return Info{}, fmt.Errorf("put blob: %w", err)
	}
	if maxBytes < 0 {
		return Info{}, fmt.Errorf("put blob: negative size limit %d", maxBytes)
	}
	if err := ctx.Err(); err != nil {
		return Info{}, fmt.Errorf("put blob: %w", err)
	}
	tdir := d.tenantDir(tenant)
	if err := os.MkdirAll(tdir, dirMode); err != nil {
		return Info{}, fmt.Errorf("put blob: %w", err)
	}
	tmp, err := os.CreateTemp(tdir, tempPrefix+"*")
	if err != nil {
		return Info{}, fmt.Errorf("put blob: %w", err)
	}
	info, err := d.fill(ctx, tmp, r, maxBytes)
	if err == nil {
		err = d.place(tenant, tmp.Name(), info.SHA256)
	}
	if err != nil {
		// After a successful rename the temporary name is gone and Remove fails harmlessly.
		_ = os.Remove(tmp.Name())
		return Info{}, fmt.Errorf("put blob: %w", err)
	}
	return info, nil
}

// fill copies at most maxBytes of r into tmp, hashing it, makes it durable and closes it.
func (d *Disk) fill(ctx context.Context, tmp *os.File, r io.Reader, maxBytes int64) (Info, error) {
	h := sha256.New()
	// One byte past the limit is enough to know the content is too long without reading it all.
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(ctxReader{ctx, r}, maxBytes+1))
	if err == nil && n > maxBytes {
		err = fmt.Errorf("%w: more than %d bytes", ErrTooLarge, maxBytes)
	}
	if err == nil {
		err = tmp.Chmod(fileMode)
	}
	if err == nil {
		err = tmp.Sync() // the rename must not publish a name whose content is still in the page cache
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Info{}, err
	}
	return Info{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}, nil
}

// place renames the finished temporary file to its hash. An existing blob is kept: it has the
// same content by construction. Two concurrent Puts of the same content may both rename; the
// second replaces identical bytes atomically, which readers cannot notice.
func (d *Disk) place(tenant uuid.UUID, tmp, sha string) error {
	final := d.path(tenant, sha)
	if _, err := os.Stat(final); err == nil {
		return os.Remove(tmp)
	}
	shard := filepath.Dir(final)
	if err := os.MkdirAll(shard, dirMode); err != nil {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	return syncDir(shard)
}

// syncDir makes a rename in dir durable: without it a crash can lose the new name.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Open opens a blob of the tenant. The returned file is an io.ReadSeekCloser, so it can be
// served with range requests.
func (d *Disk) Open(ctx context.Context, tenant uuid.UUID, sha256Hex string) (io.ReadSeekCloser, Info, error) {
	if err := d.check(ctx, tenant, sha256Hex); err != nil {
		return nil, Info{}, fmt.Errorf("open blob: %w", err)
	}
	f, err := os.Open(d.path(tenant, sha256Hex))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, Info{}, fmt.Errorf("open blob %s: %w", sha256Hex, ErrNotFound)
	}
	if err != nil {
		return nil, Info{}, fmt.Errorf("open blob: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, Info{}, fmt.Errorf("open blob: %w", err)
	}
	return f, Info{SHA256: sha256Hex, Size: st.Size()}, nil
}

// Delete removes a blob of the tenant. Deleting a missing blob succeeds, so a retried cleanup
// does not fail on the part it already did.
func (d *Disk) Delete(ctx context.Context, tenant uuid.UUID, sha256Hex string) error {
	if err := d.check(ctx, tenant, sha256Hex); err != nil {
		return fmt.Errorf("delete blob: %w", err)
	}
	if err := os.Remove(d.path(tenant, sha256Hex)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete blob: %w", err)
	}
	return nil
}

// DeleteTenant removes the tenant's directory and everything in it, uploads in progress too.
func (d *Disk) DeleteTenant(ctx context.Context, tenant uuid.UUID) error {
	if err := checkTenant(tenant); err != nil {
		return fmt.Errorf("delete tenant blobs: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete tenant blobs: %w", err)
	}
	if err := os.RemoveAll(d.tenantDir(tenant)); err != nil {
		return fmt.Errorf("delete tenant blobs: %w", err)
	}
	return nil
}

// check validates a tenant and hash before any path is built from them.
func (d *Disk) check(ctx context.Context, tenant uuid.UUID, sha string) error {
	if err := checkTenant(tenant); err != nil {
		return err
	}
	if err := checkHash(sha); err != nil {
		return err
	}
	return ctx.Err()
}
