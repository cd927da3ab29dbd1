package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strconv"

	"github.com/google/uuid"
)

// chainVersion names the encoding below; a new encoding gets a new name so old hashes stay checkable.
const chainVersion = "repflow.audit.v1"

// timeLayout keeps microseconds, which is what PostgreSQL stores: a finer time would not survive
// the round trip and the record would no longer match its hash.
const timeLayout = "2006-01-02T15:04:05.000000Z07:00"

// Digest is the hex SHA-256 of a change, for Entry.Digest.
func Digest(change []byte) string {
	sum := sha256.Sum256(change)
	return hex.EncodeToString(sum[:])
}

// chainHash is the hash of r: SHA-256 over its predecessor's hash and every other stored field,
// each written as "<byte length>:<value>;" so that no two different records share an encoding
// (moving text from one field into the next changes the lengths).
func chainHash(r *Record) string {
	h := sha256.New()
	for _, f := range []string{
		chainVersion,
		r.PrevHash,
		r.TenantID.String(),
		strconv.FormatInt(r.Seq, 10),
		r.ID.String(),
		r.At.UTC().Format(timeLayout),
		optionalID(r.ActorID),
		optionalID(r.SessionID),
		r.Action,
		r.Resource,
		r.Outcome,
		strconv.Itoa(r.Status),
		r.IP,
		r.UserAgent,
		r.RequestID,
		r.Digest,
	} {
		writeField(h, f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeField(h hash.Hash, v string) {
	_, _ = h.Write([]byte(strconv.Itoa(len(v))))
	_, _ = h.Write([]byte{':'})
	_, _ = h.Write([]byte(v))
	_, _ = h.Write([]byte{';'})
}

// optionalID encodes a NULL id as "", which no UUID's text (36 characters) can be.
func optionalID(id *uuid.UUID) string {
	if id == nil {
		return ""
	}
	return id.String()
}
