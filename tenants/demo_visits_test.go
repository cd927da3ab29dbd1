package tenants

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/platform/visits/trust"
)

// demoVisitTables are the tables the demo's field work fills.
var demoVisitTables = []string{"visits", "visit_revisions", "visit_reviews", "track_fixes", "fence_events"}

func TestDemoHasNinetyDaysOfFieldWork(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	began := time.Now()
	sum, err := Demo(ctx, h.prov)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("demo built in %s: %d visits, %d suspicious, %d pending, %d fixes", time.Since(began).Round(time.Millisecond),
		sum.Visits, sum.Suspicious, sum.Pending, sum.Fixes)
	admin := demoActor(t, h, sum.TenantID, DemoAdminEmail)
	all := demoVisits(t, h, admin)

	checkDemoSpan(t, all)
	reps, err := h.org.ListUsers(admin, org.UserFilter{Role: identity.RoleRep, Limit: org.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reps.Users {
		if !slices.ContainsFunc(all, func(v visits.Visit) bool { return v.RepID == r.ID }) {
			t.Errorf("rep %s has no visits", r.Email)
		}
	}
	checkDemoSuspicious(t, h, admin, all)

	auto := 0
	for _, v := range all {
		switch {
		case v.Status != visits.VisitClosed:
			t.Errorf("visit %s of %s is still open", v.ID, v.StartedAt)
		case v.Source == visits.SourceAuto && v.Duration() >= 5*time.Minute:
			auto++
		case v.Source == visits.SourceCheckIn && v.Notes == "":
			t.Errorf("visit %s of %s has no notes", v.ID, v.StartedAt)
		}
	}
	if auto < 3 {
		t.Errorf("%d automatic visits closed after 5 minutes or more, want a few", auto)
	}

	want := sum
	want.Visits, want.Suspicious, want.Pending, want.Fixes = len(all), 0, 0, demoRows(t, h, sum.TenantID)["track_fixes"]
	for _, v := range all {
		if !v.Verdict.Trusted {
			want.Suspicious++
		}
		if v.ReviewStatus == visits.ReviewPending {
			want.Pending++
		}
	}
	if d := cmp.Diff(want, sum); d != "" || sum.Fixes < int64(10*sum.Visits) {
		t.Errorf("summary (-counted +reported), %d fixes for %d visits:\n%s", sum.Fixes, sum.Visits, d)
	}

	var out bytes.Buffer
	if err := sum.Print(&out); err != nil {
		t.Fatal(err)
	}
	if line := fmt.Sprintf("made %d visits and sent %d GPS fixes", sum.Visits, sum.Fixes); !strings.Contains(out.String(), line) {
		t.Errorf("printed summary lacks %q:\n%s", line, out.String())
	}

	before := demoRows(t, h, sum.TenantID)
	again, err := Demo(ctx, h.prov)
	if err != nil {
		t.Fatal(err)
	}
	sum.Created = false
	if d := cmp.Diff(sum, again); d != "" {
		t.Errorf("second summary (-first +second):\n%s", d)
	}
	if d := cmp.Diff(before, demoRows(t, h, sum.TenantID)); d != "" {
		t.Errorf("the second run changed the field work (-before +after):\n%s", d)
	}
}

// checkDemoSpan checks that the visits cover the 13 weeks up to yesterday, on working days.
func checkDemoSpan(t *testing.T, all []visits.Visit) {
	t.Helper()
	if len(all) == 0 {
		t.Fatal("the demo has no visits")
	}
	first, last := all[0].StartedAt, all[0].StartedAt
	for _, v := range all {
		if v.StartedAt.Before(first) {
			first = v.StartedAt
		}
		if v.StartedAt.After(last) {
			last = v.StartedAt
		}
		if v.StartedAt.In(demoZone).Weekday() == time.Sunday {
			t.Errorf("visit %s on a Sunday, %s", v.ID, v.StartedAt)
		}
	}
	now := time.Now()
	if last.Sub(first) < 88*24*time.Hour || now.Sub(first) > 92*24*time.Hour || now.Sub(last) > 3*24*time.Hour || last.After(now) {
		t.Errorf("visits from %s to %s, want 13 weeks up to yesterday", first, last)
	}
}

// checkDemoSuspicious checks that the fakes were caught for the reasons they were made, that
// the managers reviewed the older ones and left the last week's waiting.
func checkDemoSuspicious(t *testing.T, h *harness, admin context.Context, all []visits.Visit) {
	t.Helper()
	fakes := []trust.Code{trust.OutsideFence, trust.MockLocation, trust.ReplayedFix, trust.Teleport}
	caught := map[trust.Code]int{}
	decided := map[visits.ReviewStatus]int{}
	untrusted := 0
	for _, v := range all {
		if v.Verdict.Trusted {
			if v.ReviewStatus != visits.ReviewNone {
				t.Errorf("trusted visit %s has review status %s", v.ID, v.ReviewStatus)
			}
			continue
		}
		untrusted++
		decided[v.ReviewStatus]++
		var codes []trust.Code
		for _, r := range v.Verdict.Reasons {
			if r.Severity == trust.Block {
				codes = append(codes, r.Code)
			}
		}
		if len(codes) != 1 || !slices.Contains(fakes, codes[0]) {
			t.Errorf("visit %s blocked for %v, want one of %v", v.ID, codes, fakes)
			continue
		}
		caught[codes[0]]++
		lastWeek := time.Since(v.StartedAt) < 8*24*time.Hour
		if pending := v.ReviewStatus == visits.ReviewPending; pending != lastWeek {
			t.Errorf("visit %s of %s caught for %s has review status %s", v.ID, v.StartedAt, codes[0], v.ReviewStatus)
		}
		if v.ReviewStatus == visits.ReviewRejected {
			reviews, err := h.visits.Reviews(admin, v.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(reviews) != 1 || reviews[0].Comment == "" || reviews[0].ReviewerID == v.RepID || reviews[0].CreatedAt.Before(v.StartedAt) {
				t.Errorf("rejected visit %s has reviews %+v", v.ID, reviews)
			}
		}
	}
	for _, c := range fakes {
		if caught[c] == 0 {
			t.Errorf("no visit caught for %s: %v", c, caught)
		}
	}
	if untrusted < 5 || decided[visits.ReviewAccepted] < 2 || decided[visits.ReviewRejected] < 3 || decided[visits.ReviewPending] < 1 {
		t.Errorf("%d suspicious visits, reviewed %v; want at least 5, some accepted, some rejected, some pending", untrusted, decided)
	}
}

// demoActor is a context acting as the demo user with the given e-mail.
func demoActor(t *testing.T, h *harness, tenant uuid.UUID, email string) context.Context {
	t.Helper()
	ctx := context.Background()
	var login loginRow
	if err := h.s.Owner(ctx).Where("email = ?", email).Take(&login).Error; err != nil {
		t.Fatal(err)
	}
	p, err := h.org.Principal(identity.System(ctx, tenant), login.UserID)
	if err != nil {
		t.Fatal(err)
	}
	return identity.With(ctx, p)
}

// demoVisits lists every visit the caller may see.
func demoVisits(t *testing.T, h *harness, ctx context.Context) []visits.Visit {
	t.Helper()
	var out []visits.Visit
	for f := (visits.VisitFilter{Limit: visits.MaxPageSize}); ; {
		page, err := h.visits.ListVisits(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Visits...)
		if page.Next == nil {
			return out
		}
		f.After = page.Next
	}
}

// demoRows counts, through the owner handle, the tenant's rows of each field-work table.
func demoRows(t *testing.T, h *harness, tenant uuid.UUID) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range demoVisitTables {
		var n int64
		if err := h.s.Owner(context.Background()).Table(table).Where("tenant_id = ?", tenant).Count(&n).Error; err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}
