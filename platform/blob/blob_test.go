package blob_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/blob"
)

var (
	tenantA = uuid.MustParse("01900000-0000-7000-8000-00000000000a")
	tenantB = uuid.MustParse("01900000-0000-7000-8000-00000000000b")
	photo   = []byte("a visit photo, pretending to be a JPEG")
)

func newDisk(t *testing.T) (*blob.Disk, string) {
	t.Helper()
	dir := t.TempDir()
	d, err := blob.NewDisk(dir)
	if err != nil {
		t.Fatal(err)
	}
	return d, dir
}

func sum(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func put(t *testing.T, d *blob.Disk, tenant uuid.UUID, b []byte) blob.Info {
	t.Helper()
	info, err := d.Put(context.Background(), tenant, bytes.NewReader(b), 1<<20)
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	return info
}

// files lists every regular file under dir, relative to it.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	d, dir := newDisk(t)
	info := put(t, d, tenantA, photo)
	want := blob.Info{SHA256: sum(photo), Size: int64(len(photo))}
	if info != want {
		t.Fatalf("Put = %+v, want %+v", info, want)
	}
	f, got, err := d.Open(context.Background(), tenantA, info.SHA256)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil || !bytes.Equal(b, photo) || got != want {
		t.Fatalf("Open = %q, %+v, %v; want %q, %+v", b, got, err, photo, want)
	}
	path := tenantA.String() + "/" + want.SHA256[:2] + "/" + want.SHA256
	if left := files(t, dir); len(left) != 1 || left[0] != path {
		t.Fatalf("files = %v, want [%s]", left, path)
	}
	// The file's mode is set exactly; a directory's is at most 0o750 (the umask may narrow it).
	if st, err := os.Stat(filepath.Join(dir, path)); err != nil || st.Mode() != 0o640 {
		t.Errorf("blob file: %v, %v; want mode 0o640", st, err)
	}
	if st, err := os.Stat(filepath.Join(dir, filepath.Dir(path))); err != nil || st.Mode().Perm()&^0o750 != 0 {
		t.Errorf("shard directory: %v, %v; want mode within 0o750", st, err)
	}
}

func TestOpenMissing(t *testing.T) {
	d, _ := newDisk(t)
	_, _, err := d.Open(context.Background(), tenantA, sum(photo))
	if !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Open of a missing blob: %v, want ErrNotFound", err)
	}
}

func TestBadHash(t *testing.T) {
	d, _ := newDisk(t)
	good := sum(photo)
	for _, h := range []string{
		"",
		good[:63],
		good + "0",
		strings.ToUpper(good),
		"../" + good[3:],
		"..%2f" + good[5:],
		strings.Repeat("g", 64),
	} {
		if _, _, err := d.Open(context.Background(), tenantA, h); !errors.Is(err, blob.ErrInvalidHash) {
			t.Errorf("Open(%q) = %v, want ErrInvalidHash", h, err)
		}
		if err := d.Delete(context.Background(), tenantA, h); !errors.Is(err, blob.ErrInvalidHash) {
			t.Errorf("Delete(%q) = %v, want ErrInvalidHash", h, err)
		}
	}
}

func TestTenantsAreWalledOff(t *testing.T) {
	d, _ := newDisk(t)
	info := put(t, d, tenantB, photo)
	if _, _, err := d.Open(context.Background(), tenantA, info.SHA256); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("tenant A opened tenant B's blob: %v", err)
	}
	if _, err := d.Put(context.Background(), uuid.Nil, bytes.NewReader(photo), 1<<20); err == nil {
		t.Error("Put for the nil tenant succeeded")
	}
}

func TestDelete(t *testing.T) {
	d, dir := newDisk(t)
	info := put(t, d, tenantA, photo)
	for range 2 { // the second delete finds nothing and still succeeds
		if err := d.Delete(context.Background(), tenantA, info.SHA256); err != nil {
			t.Fatalf("delete: %v", err)
		}
	}
	if left := files(t, dir); len(left) != 0 {
		t.Errorf("files after delete = %v", left)
	}
}

func TestDeleteTenant(t *testing.T) {
	d, dir := newDisk(t)
	put(t, d, tenantA, photo)
	put(t, d, tenantA, []byte("another photo"))
	kept := put(t, d, tenantB, photo)
	if err := d.DeleteTenant(context.Background(), tenantA); err != nil {
		t.Fatalf("delete tenant: %v", err)
	}
	want := tenantB.String() + "/" + kept.SHA256[:2] + "/" + kept.SHA256
	if left := files(t, dir); len(left) != 1 || left[0] != want {
		t.Errorf("files = %v, want [%s]", left, want)
	}
	if _, _, err := d.Open(context.Background(), tenantB, kept.SHA256); err != nil {
		t.Errorf("tenant B's blob after deleting tenant A: %v", err)
	}
}
