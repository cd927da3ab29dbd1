// Package audit is the append-only, hash-chained audit trail of each tenant.
//
// Every mutating API request and every export leaves a record: who (actor, session), what (action,
// resource, a digest of the change), how it ended (outcome, status) and from where (IP, user agent,
// request id). Records of one tenant form a chain: each carries a per-tenant sequence number and
// the hash of its predecessor, and its own hash covers every stored field. The chain head (last seq
// and hash) lives in a separate row that moves in the same transaction as each append, so Verify
// detects a changed record, a deleted one, and a cut or lengthened tail.
//
// The application role may only read and insert records (PostgreSQL grants); the chain is what
// exposes changes made with more privileges than that.
package audit

import (
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/store"
)

// Outcomes of an audited action.
const (
	OutcomeOK       = "ok"
	OutcomeRejected = "rejected"
)

// Entry is what a caller says about an action; the log adds who, when and from where.
type Entry struct {
	// Action is a route pattern ("POST /api/v1/users/{id}") or a domain verb ("auth.login",
	// "export.customers").
	Action string
	// Resource is the concrete path or resource name the action touched.
	Resource string
	// Outcome is OutcomeOK or OutcomeRejected; empty means OutcomeOK.
	Outcome string
	// Status is the HTTP status, or 0 for actions outside a request.
	Status int
	// Digest is the hex SHA-256 of the change (see Digest).
	Digest string
}

// Record is one stored link of a tenant's chain.
type Record struct {
	TenantID  uuid.UUID  `gorm:"primaryKey;autoIncrement:false"`
	Seq       int64      `gorm:"primaryKey;autoIncrement:false"`
	ID        uuid.UUID  `gorm:"column:id"`
	At        time.Time  `gorm:"column:at"`
	ActorID   *uuid.UUID `gorm:"column:actor_id"`
	SessionID *uuid.UUID `gorm:"column:session_id"`
	Action    string
	Resource  string
	Outcome   string
	Status    int
	IP        string `gorm:"column:ip"`
	UserAgent string `gorm:"column:user_agent"`
	RequestID string `gorm:"column:request_id"`
	Digest    string
	PrevHash  string `gorm:"column:prev_hash"`
	Hash      string
}

// TableName names the records table.
func (Record) TableName() string { return "audit_records" }

// head is the tenant's chain head: the seq and hash of the newest record (0 and "" when empty).
type head struct {
	TenantID uuid.UUID `gorm:"primaryKey"`
	Seq      int64
	Hash     string
}

func (head) TableName() string { return "audit_heads" }

// Report is the result of walking a tenant's chain.
type Report struct {
	OK bool `json:"ok" doc:"Whether the whole chain is intact"`
	// Checked counts the records whose hash was recomputed and matched before any problem.
	Checked     int64  `json:"checked" doc:"Records checked and found intact"`
	FirstBadSeq int64  `json:"first_bad_seq,omitempty" doc:"Sequence number of the first record that is wrong or missing"`
	Problem     string `json:"problem,omitempty" doc:"What is wrong, for a person"`
}

// Filter selects records for List.
type Filter struct {
	ActorID        *uuid.UUID
	Action         string
	ResourcePrefix string
	Outcome        string
	From           time.Time // inclusive; zero means unbounded
	To             time.Time // exclusive; zero means unbounded
	// Limit is the page size; Before is the seq cursor (records with a smaller seq), 0 for the newest.
	Limit  int
	Before int64
}

// Page is one page of records, newest first. Next is the cursor of the following page ("" at the end).
type Page struct {
	Items []Record
	Next  string
}

// Log appends to and reads the audit trail.
type Log struct {
	s *store.Store
	w *access.Warden
}

// New returns the audit log over s; w decides who may read it.
func New(s *store.Store, w *access.Warden) *Log { return &Log{s: s, w: w} }
