package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"strings"

	"github.com/google/uuid"
)

// Prefixes of the credential strings handed to clients. The prefix says what a string is, so a
// leaked one is recognisable (secret scanners) and a session cannot be replayed as a token.
const (
	prefixToken   = "rft_"
	prefixSession = "rfs_"
	prefixReset   = "rfr_"
)

// secretLen is the random part of a credential: 256 bits, beyond guessing.
const secretLen = 32

// credentialLen is the decoded length: tenant id, row id, secret.
const credentialLen = 16 + 16 + secretLen

var errMalformed = errors.New("malformed credential")

// credential is a parsed credential string. It embeds the tenant and the row id, so checking it
// needs no cross-tenant lookup: the row is read inside its own tenant, then the secret compared.
type credential struct {
	prefix string
	tenant uuid.UUID
	id     uuid.UUID
	secret []byte
}

// newCredential mints a credential for row id of tenant with a fresh random secret.
func newCredential(prefix string, tenant, id uuid.UUID) credential {
	secret := make([]byte, secretLen)
	_, _ = rand.Read(secret) // crypto/rand.Read never fails
	return credential{prefix: prefix, tenant: tenant, id: id, secret: secret}
}

// String is what the client holds: prefix + base64url(tenant | id | secret).
func (c credential) String() string {
	raw := make([]byte, 0, credentialLen)
	raw = append(raw, c.tenant[:]...)
	raw = append(raw, c.id[:]...)
	raw = append(raw, c.secret...)
	return c.prefix + base64.RawURLEncoding.EncodeToString(raw)
}

// secretHash is what the database keeps: a leaked table hands out no usable credential. The
// secret is random and long, so a fast hash is enough (no password stretching needed).
func (c credential) secretHash() []byte { return digest(c.secret) }

// parseCredential reads a credential string of the given kind (prefix).
func parseCredential(s, prefix string) (credential, error) {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok || base64.RawURLEncoding.DecodedLen(len(rest)) != credentialLen {
		return credential{}, errMalformed
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(rest)
	if err != nil || len(raw) != credentialLen {
		return credential{}, errMalformed
	}
	c := credential{prefix: prefix, secret: raw[32:]}
	copy(c.tenant[:], raw[:16])
	copy(c.id[:], raw[16:32])
	if c.tenant == uuid.Nil || c.id == uuid.Nil {
		return credential{}, errMalformed
	}
	return c, nil
}

// digest is the SHA-256 of b.
func digest(b []byte) []byte {
	h := sha256.Sum256(b)
	return h[:]
}

// sameHash compares two stored hashes in constant time.
func sameHash(a, b []byte) bool { return len(a) == len(b) && subtle.ConstantTimeCompare(a, b) == 1 }

// randomToken is an opaque random string (the CSRF token).
func randomToken() string {
	b := make([]byte, secretLen)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
