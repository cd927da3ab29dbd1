package auth

import (
	"bytes"
	"strings"
	"testing"

	"github.com/repflow/repflow/platform/identity"
)

func TestCredentialRoundTrip(t *testing.T) {
	t.Parallel()
	tenant, id := identity.NewID(), identity.NewID()
	for _, prefix := range []string{prefixToken, prefixSession, prefixReset} {
		c := newCredential(prefix, tenant, id)
		s := c.String()
		if !strings.HasPrefix(s, prefix) || len(s) != len(prefix)+86 {
			t.Fatalf("credential %q: want %s + 86 base64url characters", s, prefix)
		}
		got, err := parseCredential(s, prefix)
		if err != nil {
			t.Fatalf("parse %q: %v", s, err)
		}
		if got.tenant != tenant || got.id != id || !bytes.Equal(got.secret, c.secret) {
			t.Errorf("parse %q = %+v, want tenant %s id %s", s, got, tenant, id)
		}
		other := prefixToken
		if prefix == prefixToken {
			other = prefixSession
		}
		if _, err := parseCredential(s, other); err == nil {
			t.Errorf("%q parsed as a %s credential", s, other)
		}
	}
	if a, b := newCredential(prefixToken, tenant, id), newCredential(prefixToken, tenant, id); bytes.Equal(a.secret, b.secret) {
		t.Error("two credentials share a secret")
	}
}

// FuzzParseCredential feeds the parser what clients may send: it must never panic, accept only
// what it can reproduce exactly, and never yield a nil tenant or id.
func FuzzParseCredential(f *testing.F) {
	tenant, id := identity.NewID(), identity.NewID()
	for _, p := range []string{prefixToken, prefixSession, prefixReset} {
		f.Add(newCredential(p, tenant, id).String())
	}
	f.Add("rft_")
	f.Add("rfs_" + strings.Repeat("A", 86))
	f.Add("rft_" + strings.Repeat("A", 85) + "B")
	f.Add("rft_" + strings.Repeat("_", 86))
	f.Add("Bearer rft_x")
	f.Fuzz(func(t *testing.T, s string) {
		for _, prefix := range []string{prefixToken, prefixSession, prefixReset} {
			c, err := parseCredential(s, prefix)
			if err != nil {
				continue
			}
			if c.String() != s {
				t.Fatalf("parse(%q) then String() = %q: two spellings of one credential", s, c.String())
			}
			if c.tenant == [16]byte{} || c.id == [16]byte{} || len(c.secret) != secretLen {
				t.Fatalf("parse(%q) accepted %+v", s, c)
			}
		}
	})
}
