package access

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/ory/ladon"
	"github.com/ory/ladon/manager/memory"

	"github.com/repflow/repflow/platform/identity"
)

// Data size of the access benchmarks: 10,000 tenants with 20 policies each (the 8 built-in role
// policies plus 12 custom ones), 200,000 policies in all.
const (
	benchTenants           = 10_000
	benchPoliciesPerTenant = 20
)

type benchRequest struct {
	ctx context.Context // carries p, as a request's context does
	p   identity.Principal
	a   Action
	r   Resource
}

type benchWorld struct {
	tenants  []uuid.UUID
	policies map[uuid.UUID][]Policy
	requests []benchRequest
}

func newBenchWorld(tb testing.TB) *benchWorld {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	w := &benchWorld{policies: map[uuid.UUID][]Policy{}}
	kinds := []Kind{KindUser, KindRegion, KindTeam, KindPolicy, KindAudit}
	scopes := []Scope{ScopeTenant, ScopeRegion, ScopeOwn}
	for range benchTenants {
		t := identity.NewID()
		w.tenants = append(w.tenants, t)
		var ps []Policy
		for _, b := range defaults() {
			b.ID = uuid.NewSHA1(t, []byte(b.key))
			ps = append(ps, b.Policy)
		}
		for len(ps) < benchPoliciesPerTenant {
			effect := Allow
			if rng.IntN(4) == 0 {
				effect = Deny
			}
			ps = append(ps, Policy{ID: identity.NewID(), Subjects: []string{"role:" + identity.Roles[rng.IntN(len(identity.Roles))]},
				Actions: []Action{Actions[rng.IntN(len(Actions))]}, Kinds: []Kind{kinds[rng.IntN(len(kinds))]},
				Scope: scopes[rng.IntN(len(scopes))], Effect: effect})
		}
		w.policies[t] = ps
	}
	for range 4096 {
		t := w.tenants[rng.IntN(len(w.tenants))]
		region := fmt.Sprintf("/%s/r%d/", t, rng.IntN(4))
		p := identity.Principal{TenantID: t, UserID: identity.NewID(), Roles: []string{identity.Roles[rng.IntN(len(identity.Roles))]}, RegionPath: region}
		r := Resource{Kind: kinds[rng.IntN(len(kinds))], ID: identity.NewID(), RegionPath: fmt.Sprintf("/%s/r%d/a/", t, rng.IntN(4))}
		if rng.IntN(2) == 0 {
			r.OwnerID = p.UserID
		} else {
			r.OwnerID = identity.NewID()
		}
		w.requests = append(w.requests, benchRequest{identity.With(context.Background(), p), p, Actions[rng.IntN(len(Actions))], r})
	}
	return w
}

// latencies returns room for n samples, already written once: a first write to a fresh page
// faults, and that must not land inside a timed decision.
func latencies(n int) []time.Duration {
	lat := make([]time.Duration, n)
	for i := range lat {
		lat[i] = 1
	}
	return lat[:0]
}

// reportLatency adds p50 and p99 per decision to the benchmark's output.
func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkDecision compares a decision by the per-tenant, per-subject index (ours) with ladon's
// MemoryManager holding the same 200,000 policies (the baseline), on the same requests.
func BenchmarkDecision(b *testing.B) {
	w := newBenchWorld(b)
	ctx := context.Background()

	b.Run("index", func(b *testing.B) {
		warden := &Warden{now: time.Now, tenants: map[uuid.UUID]*Index{}}
		for _, t := range w.tenants {
			ix, err := NewIndex(t, w.policies[t])
			if err != nil {
				b.Fatal(err)
			}
			ix.loaded = time.Now().Add(time.Hour)
			warden.tenants[t] = ix
		}
		lat := latencies(b.N)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			rq := w.requests[i%len(w.requests)]
			start := time.Now()
			_ = warden.Check(rq.ctx, rq.a, rq.r)
			lat = append(lat, time.Since(start))
		}
		b.StopTimer()
		reportLatency(b, lat)
	})

	b.Run("ladon-memory-manager", func(b *testing.B) {
		m := memory.NewMemoryManager()
		for _, t := range w.tenants {
			for _, p := range w.policies[t] {
				if err := m.Create(ctx, p.Ladon(t)); err != nil {
					b.Fatal(err)
				}
			}
		}
		l := &ladon.Ladon{Manager: m, AuditLogger: &ladon.AuditLoggerNoOp{}}
		lat := latencies(b.N)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			rq := w.requests[i%len(w.requests)]
			start := time.Now()
			req := &ladon.Request{Subject: "role:" + rq.p.Roles[0], Action: string(rq.a), Resource: ResourceName(rq.p.TenantID, rq.r),
				Context: ladon.Context{ctxRowOwner: ownerString(rq.r.OwnerID), ctxRowRegion: rq.r.RegionPath,
					ctxPrincipalUser: rq.p.UserID.String(), ctxPrincipalRegion: rq.p.RegionPath}}
			_ = l.IsAllowed(ctx, req)
			lat = append(lat, time.Since(start))
		}
		b.StopTimer()
		reportLatency(b, lat)
	})
}

// TestIndexAgreesWithLadon checks the index against ladon's own evaluation of the same policies:
// the speed-up must not change a single decision.
func TestIndexAgreesWithLadon(t *testing.T) {
	w := newBenchWorld(t)
	ctx := context.Background()
	l := &ladon.Ladon{AuditLogger: &ladon.AuditLoggerNoOp{}}
	outcomes := map[bool]int{}
	var cases []benchRequest
	for _, rq := range w.requests[:1000] {
		// Each request as it is, and with ':' in the region path, which takes the regex path.
		odd := rq
		odd.r.RegionPath += "x:y/"
		cases = append(cases, rq, odd)
	}
	for i, rq := range cases {
		ix, err := NewIndex(rq.p.TenantID, w.policies[rq.p.TenantID])
		if err != nil {
			t.Fatal(err)
		}
		var lps []ladon.Policy
		for _, p := range w.policies[rq.p.TenantID] {
			lps = append(lps, p.Ladon(rq.p.TenantID))
		}
		req := &ladon.Request{Subject: "role:" + rq.p.Roles[0], Action: string(rq.a), Resource: ResourceName(rq.p.TenantID, rq.r),
			Context: ladon.Context{ctxRowOwner: ownerString(rq.r.OwnerID), ctxRowRegion: rq.r.RegionPath,
				ctxPrincipalUser: rq.p.UserID.String(), ctxPrincipalRegion: rq.p.RegionPath}}
		want := l.DoPoliciesAllow(ctx, req, lps) == nil
		// The bench world grants to roles only, so the principal's extra "user:<id>" subject
		// matches no policy and both evaluate the same subjects.
		if got := ix.Allows(ctx, rq.p, rq.a, rq.r); got != want {
			t.Fatalf("request %d (%+v): index says %v, ladon says %v", i, rq, got, want)
		}
		outcomes[want]++
	}
	if outcomes[true] < 50 || outcomes[false] < 50 {
		t.Fatalf("the sample must hold both outcomes; got %v", outcomes)
	}
}
