package audit

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
)

func sampleRecord() Record {
	actor, session := identity.NewID(), identity.NewID()
	return Record{
		TenantID: identity.NewID(), Seq: 7, ID: identity.NewID(),
		At:      time.Date(2025, 3, 4, 5, 6, 7, 891011000, time.UTC),
		ActorID: &actor, SessionID: &session,
		Action: "POST /api/v1/users", Resource: "/api/v1/users", Outcome: OutcomeOK, Status: 201,
		IP: "203.0.113.7", UserAgent: "ua", RequestID: "req-1", Digest: Digest([]byte("{}")), PrevHash: "abc",
	}
}

// Every stored field is covered by the hash, and the encoding keeps field boundaries, so moving
// text from one field to the next, or a NULL id to the zero id, changes the hash.
func TestChainHashCoversEveryFieldUnambiguously(t *testing.T) {
	t.Parallel()
	base := sampleRecord()
	changes := map[string]func(r *Record){
		"tenant":          func(r *Record) { r.TenantID = identity.NewID() },
		"seq":             func(r *Record) { r.Seq++ },
		"id":              func(r *Record) { r.ID = identity.NewID() },
		"at, a microsec":  func(r *Record) { r.At = r.At.Add(time.Microsecond) },
		"actor":           func(r *Record) { id := identity.NewID(); r.ActorID = &id },
		"actor NULL":      func(r *Record) { r.ActorID = nil },
		"actor nil uuid":  func(r *Record) { r.ActorID = &uuid.UUID{} },
		"session NULL":    func(r *Record) { r.SessionID = nil },
		"action":          func(r *Record) { r.Action = "DELETE /api/v1/users" },
		"action/resource": func(r *Record) { r.Action, r.Resource = "POST /api/v1/user", "s/api/v1/users" },
		"resource":        func(r *Record) { r.Resource = "/api/v1/users/x" },
		"outcome":         func(r *Record) { r.Outcome = OutcomeRejected },
		"status":          func(r *Record) { r.Status = 200 },
		"ip":              func(r *Record) { r.IP = "198.51.100.1" },
		"user agent":      func(r *Record) { r.UserAgent = "other" },
		"request id":      func(r *Record) { r.RequestID = "req-2" },
		"digest":          func(r *Record) { r.Digest = Digest([]byte("[]")) },
		"prev hash":       func(r *Record) { r.PrevHash = "abd" },
	}
	want := chainHash(&base)
	for name, change := range changes {
		r := base
		change(&r)
		if chainHash(&r) == want {
			t.Errorf("changing %s keeps the hash", name)
		}
	}
	// The same instant in another zone is the same record.
	r := base
	r.At = r.At.In(time.FixedZone("CET", 3600))
	if chainHash(&r) != want {
		t.Error("the hash depends on the time zone of At")
	}
}

func TestRecordTakesWhoAndWhereFromTheContext(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := person(w.tenant, identity.RoleRep)
	ctx := as(p, "req-0000-0001")
	if err := w.log.Record(ctx, Entry{Action: "export.customers", Resource: "customers", Digest: Digest([]byte("csv"))}); err != nil {
		t.Fatal(err)
	}
	if err := w.log.Record(identity.System(context.Background(), w.tenant), Entry{Action: "jobs.cleanup", Resource: "sessions", Outcome: OutcomeRejected}); err != nil {
		t.Fatal(err)
	}
	got := w.records(w.tenant)
	if len(got) != 2 {
		t.Fatalf("%d records, want 2", len(got))
	}
	want := []Record{{
		TenantID: w.tenant, Seq: 1, ActorID: &p.UserID, SessionID: &p.SessionID,
		Action: "export.customers", Resource: "customers", Outcome: OutcomeOK,
		IP: "203.0.113.7", UserAgent: "audit-test/1.0", RequestID: "req-0000-0001", Digest: Digest([]byte("csv")),
	}, {
		TenantID: w.tenant, Seq: 2, Action: "jobs.cleanup", Resource: "sessions", Outcome: OutcomeRejected,
		PrevHash: got[0].Hash,
	}}
	if d := cmp.Diff(want, got, cmpopts.IgnoreFields(Record{}, "ID", "At", "Hash")); d != "" {
		t.Errorf("records (-want +got):\n%s", d)
	}
	for _, r := range got {
		if r.ID == uuid.Nil || time.Since(r.At) > time.Minute || r.Hash != chainHash(&r) {
			t.Errorf("record %d: id %s, at %s, hash %s (recomputed %s)", r.Seq, r.ID, r.At, r.Hash, chainHash(&r))
		}
	}
}

func TestRecordRefusesBadEntries(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := as(person(w.tenant), "req-bad-entries")
	for _, e := range []Entry{{Resource: "x"}, {Action: "a", Outcome: "maybe"}} {
		if err := w.log.Record(ctx, e); err == nil {
			t.Errorf("Record(%+v) succeeded", e)
		}
	}
	if err := w.log.Record(context.Background(), Entry{Action: "a"}); err == nil {
		t.Error("Record without a tenant succeeded")
	}
	if n := len(w.records(w.tenant)); n != 0 {
		t.Errorf("%d records written by refused entries", n)
	}
}

// More records than one verify batch, so the walk crosses batch boundaries.
func TestLongChainVerifies(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	n := 2*verifyBatch + 17
	w.appendN(person(w.tenant, identity.RoleRep), n)
	if d := cmp.Diff(Report{OK: true, Checked: int64(n)}, w.verify(w.tenant)); d != "" {
		t.Errorf("report (-want +got):\n%s", d)
	}
}

func TestEmptyChainVerifies(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if d := cmp.Diff(Report{OK: true}, w.verify(w.tenant)); d != "" {
		t.Errorf("report (-want +got):\n%s", d)
	}
}
