package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/repflow/repflow/platform/fault"
)

// Params are argon2id's cost parameters. They are written into every hash, so raising them later
// leaves existing hashes verifiable (and login rehashes them with the new ones).
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes; 0 means 16
	KeyLen  uint32 // bytes; 0 means 32
}

// DefaultParams are OWASP's recommendation for argon2id (m=19 MiB, t=2, p=1).
func DefaultParams() Params {
	return Params{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
}

func (p Params) withDefaults() Params {
	if p.Memory == 0 && p.Time == 0 && p.Threads == 0 {
		return DefaultParams()
	}
	if p.SaltLen == 0 {
		p.SaltLen = 16
	}
	if p.KeyLen == 0 {
		p.KeyLen = 32
	}
	return p
}

// Limits on parameters read back from a stored hash, so a corrupt row cannot make one
// verification allocate gigabytes or spin for minutes.
const (
	maxMemory  = 1 << 20 // KiB: 1 GiB
	maxTime    = 64
	maxKeyLen  = 128
	maxSaltLen = 64
)

// Password length bounds, in characters. The upper one keeps hashing cost bounded.
const (
	minPasswordLen = 10
	maxPasswordLen = 256
)

// hashPassword returns the PHC string "$argon2id$v=19$m=...,t=...,p=...$salt$hash".
func hashPassword(password string, p Params) string {
	salt := make([]byte, p.SaltLen)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// HashPassword hashes password with p (zero: DefaultParams), in the format every repflow account
// keeps: for the accounts kept outside the tenants (the operators').
func HashPassword(password string, p Params) string { return hashPassword(password, p.withDefaults()) }

// VerifyPassword reports whether password matches a hash HashPassword made, with its own params.
func VerifyPassword(password, stored string) (bool, error) { return verifyPassword(password, stored) }

// phc is a parsed PHC argon2id string.
type phc struct {
	params Params
	salt   []byte
	key    []byte
}

var errBadHash = errors.New("unrecognised password hash")

func parsePHC(s string) (phc, error) {
	parts := strings.Split(s, "$")
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return phc{}, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return phc{}, errBadHash
	}
	var h phc
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &h.params.Memory, &h.params.Time, &h.params.Threads); err != nil {
		return phc{}, errBadHash
	}
	var err error
	if h.salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil {
		return phc{}, errBadHash
	}
	if h.key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil {
		return phc{}, errBadHash
	}
	p := h.params
	if p.Memory == 0 || p.Memory > maxMemory || p.Time == 0 || p.Time > maxTime || p.Threads == 0 ||
		len(h.key) == 0 || len(h.key) > maxKeyLen || len(h.salt) > maxSaltLen {
		return phc{}, errBadHash
	}
	h.params.SaltLen, h.params.KeyLen = uint32(len(h.salt)), uint32(len(h.key))
	return h, nil
}

// verifyPassword reports whether password matches the stored hash, with the hash's own params.
func verifyPassword(password, stored string) (bool, error) {
	h, err := parsePHC(stored)
	if err != nil {
		return false, err
	}
	key := argon2.IDKey([]byte(password), h.salt, h.params.Time, h.params.Memory, h.params.Threads, h.params.KeyLen)
	return subtle.ConstantTimeCompare(key, h.key) == 1, nil
}

// needsRehash reports whether stored was made with parameters other than p.
func needsRehash(stored string, p Params) bool {
	h, err := parsePHC(stored)
	return err != nil || h.params != p
}

// checkPassword says what is wrong with a new password, as a fault the person can act on.
func checkPassword(password, email string) error {
	weak := func(msg string) error { return fault.New(fault.Invalid, "weak_password", msg) }
	n := utf8.RuneCountInString(password)
	switch {
	case n < minPasswordLen:
		return weak(fmt.Sprintf("the password is too short: use at least %d characters", minPasswordLen))
	case n > maxPasswordLen:
		return weak(fmt.Sprintf("the password is too long: use at most %d characters", maxPasswordLen))
	case oneCharacter(password):
		return weak("the password repeats a single character: mix different characters")
	case email != "" && strings.EqualFold(strings.TrimSpace(password), email):
		return weak("the password is your e-mail address: choose something others cannot guess")
	}
	return nil
}

// oneCharacter reports whether s is one character repeated ("aaaaaaaaaa").
func oneCharacter(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	for _, r := range s {
		if r != first {
			return false
		}
	}
	return true
}
