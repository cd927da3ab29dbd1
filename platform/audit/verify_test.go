package audit

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

func TestVerifyFindsTampering(t *testing.T) {
	t.Parallel()
	const n = 10
	cases := []struct {
		name    string
		tamper  func(w *world)
		want    Report
		problem string
	}{{
		name: "a field of a middle record changed",
		tamper: func(w *world) {
			w.exec("UPDATE audit_records SET action = ? WHERE tenant_id = ? AND seq = 5", "test.other", w.tenant)
		},
		want:    Report{Checked: 4, FirstBadSeq: 5},
		problem: "record 5 was changed after it was written",
	}, {
		name: "the time of a record moved",
		tamper: func(w *world) {
			w.exec("UPDATE audit_records SET at = ? WHERE tenant_id = ? AND seq = 3", time.Now().UTC().Add(-time.Hour), w.tenant)
		},
		want:    Report{Checked: 2, FirstBadSeq: 3},
		problem: "record 3 was changed",
	}, {
		name: "the actor of a record erased",
		tamper: func(w *world) {
			w.exec("UPDATE audit_records SET actor_id = NULL WHERE tenant_id = ? AND seq = 7", w.tenant)
		},
		want:    Report{Checked: 6, FirstBadSeq: 7},
		problem: "record 7 was changed",
	}, {
		name: "a record changed and re-hashed",
		tamper: func(w *world) {
			r := w.records(w.tenant)[4]
			r.Status = 204
			w.exec("UPDATE audit_records SET status = ?, hash = ? WHERE tenant_id = ? AND seq = 5", r.Status, chainHash(&r), w.tenant)
		},
		want:    Report{Checked: 5, FirstBadSeq: 6},
		problem: "record 6 does not link to record 5",
	}, {
		name:    "a middle record deleted",
		tamper:  func(w *world) { w.exec("DELETE FROM audit_records WHERE tenant_id = ? AND seq = 5", w.tenant) },
		want:    Report{Checked: 4, FirstBadSeq: 5},
		problem: "record 5 is missing: the chain jumps from record 4 to record 6, so record 5 was deleted",
	}, {
		name:    "the first record deleted",
		tamper:  func(w *world) { w.exec("DELETE FROM audit_records WHERE tenant_id = ? AND seq = 1", w.tenant) },
		want:    Report{FirstBadSeq: 1},
		problem: "record 1 is missing: the chain starts at record 2, so record 1 was deleted",
	}, {
		name:    "the last record deleted",
		tamper:  func(w *world) { w.exec("DELETE FROM audit_records WHERE tenant_id = ? AND seq = ?", w.tenant, n) },
		want:    Report{Checked: n - 1, FirstBadSeq: n},
		problem: "so record 10 was deleted",
	}, {
		name:    "the last two records deleted",
		tamper:  func(w *world) { w.exec("DELETE FROM audit_records WHERE tenant_id = ? AND seq > 8", w.tenant) },
		want:    Report{Checked: 8, FirstBadSeq: 9},
		problem: "the head says the chain reaches record 10 but it ends at record 8, so records 9 to 10 were deleted",
	}, {
		name: "a well-formed record added behind the log's back",
		tamper: func(w *world) {
			last := w.records(w.tenant)[n-1]
			forged := last
			forged.Seq, forged.ID, forged.PrevHash, forged.Action = n+1, identity.NewID(), last.Hash, "test.forged"
			forged.Hash = chainHash(&forged)
			if err := w.owner().Create(&forged).Error; err != nil {
				w.t.Fatal(err)
			}
		},
		want:    Report{Checked: n + 1, FirstBadSeq: n + 1},
		problem: "record 11 was added outside the audit log",
	}, {
		name:    "the head's hash changed",
		tamper:  func(w *world) { w.exec("UPDATE audit_heads SET hash = ? WHERE tenant_id = ?", Digest(nil), w.tenant) },
		want:    Report{Checked: n, FirstBadSeq: n},
		problem: "record 10 does not match the chain head's hash",
	}, {
		name:    "the head deleted",
		tamper:  func(w *world) { w.exec("DELETE FROM audit_heads WHERE tenant_id = ?", w.tenant) },
		want:    Report{Checked: n, FirstBadSeq: 1},
		problem: "the chain head is missing",
	}}
	shared := newWorld(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := shared.another(t)
			other := identity.NewID()
			w.appendN(person(w.tenant, identity.RoleManager), n)
			w.appendN(person(other, identity.RoleManager), n)
			if rep := w.verify(w.tenant); !rep.OK {
				t.Fatalf("before tampering: %+v", rep)
			}
			tc.tamper(w)
			got := w.verify(w.tenant)
			if d := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(Report{}, "Problem")); d != "" {
				t.Errorf("report (-want +got):\n%s", d)
			}
			if !strings.Contains(got.Problem, tc.problem) {
				t.Errorf("problem %q does not say %q", got.Problem, tc.problem)
			}
			// The other tenant's chain is untouched and still whole.
			if d := cmp.Diff(Report{OK: true, Checked: n}, w.verify(other)); d != "" {
				t.Errorf("other tenant's report (-want +got):\n%s", d)
			}
		})
	}
}

func TestConcurrentAppendsKeepOneChain(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const writers, each = 8, 15
	start := make(chan struct{})
	errs := make(chan error, writers*each)
	var wg sync.WaitGroup
	for i := 0; i < writers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := as(person(w.tenant, identity.RoleRep), "req-concurrent")
			<-start
			for j := 0; j < each; j++ {
				errs <- w.log.Record(ctx, Entry{Action: "test.concurrent", Resource: "thing"})
			}
		}()
	}
	// All writers race for the very first append too, when the head row does not exist yet.
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("append: %v", err)
		}
	}
	got := w.records(w.tenant)
	if len(got) != writers*each {
		t.Fatalf("%d records, want %d", len(got), writers*each)
	}
	for i, r := range got {
		if r.Seq != int64(i+1) {
			t.Fatalf("record %d has seq %d: the chain has a gap or a duplicate", i+1, r.Seq)
		}
	}
	if d := cmp.Diff(Report{OK: true, Checked: writers * each}, w.verify(w.tenant)); d != "" {
		t.Errorf("report (-want +got):\n%s", d)
	}
}

func TestTenantChainsAreIndependent(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b := person(w.tenant, identity.RoleRep), person(identity.NewID(), identity.RoleRep)
	for i := 0; i < 3; i++ {
		w.appendN(a, 2)
		w.appendN(b, 1)
	}
	for _, tc := range []struct {
		p    identity.Principal
		want int
	}{{a, 6}, {b, 3}} {
		got := w.records(tc.p.TenantID)
		if len(got) != tc.want {
			t.Fatalf("tenant %s has %d records, want %d", tc.p.TenantID, len(got), tc.want)
		}
		for i, r := range got {
			if r.Seq != int64(i+1) || r.TenantID != tc.p.TenantID || *r.ActorID != tc.p.UserID {
				t.Errorf("tenant %s record %d: seq %d, tenant %s, actor %s", tc.p.TenantID, i+1, r.Seq, r.TenantID, *r.ActorID)
			}
		}
		if got[0].PrevHash != "" {
			t.Errorf("tenant %s: first record links to %q, want the empty genesis hash", tc.p.TenantID, got[0].PrevHash)
		}
		if d := cmp.Diff(Report{OK: true, Checked: int64(tc.want)}, w.verify(tc.p.TenantID)); d != "" {
			t.Errorf("tenant %s report (-want +got):\n%s", tc.p.TenantID, d)
		}
	}
}

// On PostgreSQL the app role may read and insert records, never change or remove them.
func TestAppRoleCannotChangeRecords(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if w.s.Dialect() != store.Postgres {
		t.Skip("table privileges exist on PostgreSQL only; SQLite has no roles")
	}
	w.appendN(person(w.tenant, identity.RoleTenantAdmin), 3)
	ctx := identity.System(context.Background(), w.tenant)
	for _, sql := range []string{
		"UPDATE audit_records SET action = 'test.rewritten' WHERE seq = 2",
		"DELETE FROM audit_records WHERE seq = 3",
		"TRUNCATE audit_records",
	} {
		err := w.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error { return db.Exec(sql).Error })
		if err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("%s as the app role: err = %v, want permission denied", sql, err)
		}
	}
	if d := cmp.Diff(Report{OK: true, Checked: 3}, w.verify(w.tenant)); d != "" {
		t.Errorf("report (-want +got):\n%s", d)
	}
}
