// Package blob stores files (visit photos, tenant exports) by the SHA-256 of their content.
// Content addressing makes a stored blob immutable and a repeated upload free: the same bytes
// always get the same name, so a retried or duplicated upload lands on the existing blob.
// Every blob belongs to a tenant, and a tenant can only reach its own blobs.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/google/uuid"
)

var (
	// ErrNotFound: the tenant has no blob with that hash.
	ErrNotFound = errors.New("blob not found")
	// ErrTooLarge: the content is longer than the caller allows.
	ErrTooLarge = errors.New("blob too large")
	// ErrInvalidHash: the hash is not 64 lowercase hexadecimal digits.
	ErrInvalidHash = errors.New("invalid blob hash")
)

// Info describes a stored blob.
type Info struct {
	SHA256 string // lowercase hex
	Size   int64  // bytes
}

// Store keeps tenants' blobs. Deleting a blob is the caller's decision: the store does not
// count references, and two records with the same content share one blob.
type Store interface {
	// Put stores r's content, at most maxBytes of it, and returns its hash.
	Put(ctx context.Context, tenant uuid.UUID, r io.Reader, maxBytes int64) (Info, error)
	// Open returns the blob's content; the caller closes it.
	Open(ctx context.Context, tenant uuid.UUID, sha256Hex string) (io.ReadSeekCloser, Info, error)
	// Delete removes one blob; a blob that is already gone is not an error.
	Delete(ctx context.Context, tenant uuid.UUID, sha256Hex string) error
	// DeleteTenant removes all of a tenant's blobs.
	DeleteTenant(ctx context.Context, tenant uuid.UUID) error
}

// checkHash rejects anything but 64 lowercase hex digits, so that a hash taken from a request
// can never name a path outside its tenant's shard (no "/", no "..") and has one spelling only.
func checkHash(h string) error {
	if len(h) != 64 {
		return fmt.Errorf("%w: %d characters, want 64", ErrInvalidHash, len(h))
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return fmt.Errorf("%w: %q at %d is not lowercase hex", ErrInvalidHash, c, i)
		}
	}
	return nil
}

// checkTenant rejects the nil tenant: it means the caller lost the principal somewhere, and
// storing under it would pool unrelated tenants' files.
func checkTenant(tenant uuid.UUID) error {
	if tenant == uuid.Nil {
		return errors.New("no tenant")
	}
	return nil
}

// ctxReader stops a long upload as soon as the request is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
