package tenants

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/activities"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/orders"
	"github.com/repflow/repflow/platform/visits"
)

// The tests' data ends on a fixed day: the last Saturday of February 2026, or the Sunday after.
var (
	endOfFebruary = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	firstOfMarch  = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
)

func TestLoadWritesWhatItCountsAndOnlyOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	size := LoadSize{Reps: 4, Days: 7, Until: endOfFebruary}
	first, err := Load(ctx, h.prov, size)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created || first.Slug != "load-4x7" || first.AdminEmail != "admin@load-4x7.repflow.test" {
		t.Errorf("summary %+v", first)
	}
	if got := first.From.Format(time.DateOnly) + " " + first.To.Format(time.DateOnly); got != "2026-02-22 2026-03-01" {
		t.Errorf("period %s, want the week of 22 to 28 February 2026", got)
	}
	if first.Month != "2026-02" || !cmp.Equal(first.Months, []string{"2026-02"}) {
		t.Errorf("months %v, month %s", first.Months, first.Month)
	}
	stored, err := h.prov.loadCounts(ctx, first.TenantID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(stored, first.Counts); d != "" {
		t.Errorf("the summary's counts differ from the tables' (-stored +summary):\n%s", d)
	}
	checkLoadDensities(t, first, 6.1)
	checkLoadMetrics(t, h, first)
	if pw := h.pw.set[loginOf(t, h, first.AdminEmail)]; pw != first.Password || len(h.pw.set) != 1 {
		t.Errorf("admin password %q; %d users have one, want only the admin", pw, len(h.pw.set))
	}

	second, err := Load(ctx, h.prov, size)
	if err != nil {
		t.Fatal(err)
	}
	if second.Created || second.TenantID != first.TenantID || second.Reps != nil {
		t.Errorf("second run: created %v, tenant %s, %d reps' figures", second.Created, second.TenantID, len(second.Reps))
	}
	if d := cmp.Diff(first.Counts, second.Counts); d != "" {
		t.Errorf("the second run changed the counts (-first +second):\n%s", d)
	}
	var out bytes.Buffer
	if err := second.Print(&out); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"exists already", first.AdminEmail, first.Password, "make the report for 2026-02"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("printed summary lacks %q:\n%s", s, out.String())
		}
	}
	// Targets are written last: a load tenant without them did not finish, and is not taken for one.
	if err := h.s.Owner(ctx).Exec("DELETE FROM appraisal_targets WHERE tenant_id = ?", first.TenantID).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ctx, h.prov, size); err == nil || !strings.Contains(err.Error(), "did not finish") {
		t.Errorf("err = %v, want the unfinished load reported", err)
	}
}

func TestLoadRefusesAForeignSlug(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	in := goodSignup()
	in.Slug = "load-2x1"
	if _, err := h.prov.Provision(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	_, err := Load(context.Background(), h.prov, LoadSize{Reps: 2, Days: 1, Until: endOfFebruary})
	if err == nil || !strings.Contains(err.Error(), "not a load tenant") {
		t.Errorf("err = %v, want a refusal", err)
	}
}

// Densities are per rep and working day, whatever the size: twice the reps or days, twice the work.
func TestLoadScalesWithItsSize(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sum, err := Load(context.Background(), h.prov, LoadSize{Reps: 12, Days: 3, Until: firstOfMarch})
	if err != nil {
		t.Fatal(err)
	}
	// 27 February to 1 March 2026: Friday, Saturday, Sunday; two months.
	if !cmp.Equal(sum.Months, []string{"2026-02", "2026-03"}) || sum.Month != "2026-03" {
		t.Errorf("months %v, month %s", sum.Months, sum.Month)
	}
	if sum.Counts.Reps != 12 || sum.Counts.Teams != 2 || sum.Counts.Managers != 2 || sum.Counts.Regions != 25 {
		t.Errorf("organisation %+v, want 12 reps in 2 teams and 25 regions", sum.Counts)
	}
	if sum.Counts.Targets != 12*3*2 {
		t.Errorf("%d targets, want 3 a rep for each of 2 months", sum.Counts.Targets)
	}
	checkLoadDensities(t, sum, 2.1)
}

// checkLoadDensities checks the counts against the rates per rep and working day (Sundays count
// a tenth), within the spread of reps' paces over a small sample.
func checkLoadDensities(t *testing.T, s LoadSummary, workingDays float64) {
	t.Helper()
	n, reps := s.Counts, float64(s.Counts.Reps)
	if n.Customers != s.Counts.Reps*loadShopsPerRep || n.Products != int64(len(demoCatalogue)*len(loadPacks)) {
		t.Errorf("%d customers and %d products", n.Customers, n.Products)
	}
	for _, c := range []struct {
		what  string
		got   int64
		daily float64
	}{
		{"visits", n.Visits, loadVisitsPerDay}, {"calls", n.Calls, loadCallsPerDay}, {"messages", n.Messages, loadMessagesPerDay},
		{"orders", n.Orders, loadOrdersPerDay}, {"order lines", n.OrderLines, loadOrdersPerDay * 5.5},
		{"shelf checks", n.ShelfChecks, loadChecksPerDay},
	} {
		want := c.daily * reps * workingDays
		if float64(c.got) < 0.7*want || float64(c.got) > 1.3*want {
			t.Errorf("%d %s, want about %.0f", c.got, c.what, want)
		}
	}
	if n.Suspicious == 0 && n.Visits > 5000 {
		t.Errorf("no suspicious visit in %d", n.Visits)
	}
	// An order is delivered two or three working days after it is taken.
	if week := s.To.Sub(s.From) >= 7*24*time.Hour; week && (n.Payments == 0 || n.Deliveries == 0 || n.Payments > n.Deliveries) {
		t.Errorf("%d deliveries, %d payments", n.Deliveries, n.Payments)
	}
}

// checkLoadMetrics has the services measure every rep as the tenant admin sees them: they must
// read what the generator says it wrote.
func checkLoadMetrics(t *testing.T, h *harness, s LoadSummary) {
	t.Helper()
	ctx := context.Background()
	p, err := h.org.Principal(identity.System(ctx, s.TenantID), loginOf(t, h, s.AdminEmail))
	if err != nil {
		t.Fatal(err)
	}
	admin := identity.With(ctx, p)
	vs := visits.NewService(h.s, h.prov.warden, visits.Options{TimeZone: h.org.TimeZone})
	from, to := s.From.Format(time.DateOnly), s.To.Format(time.DateOnly)
	vm, err := vs.Metrics(admin, visits.MetricsQuery{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	om, err := h.orders.Metrics(admin, orders.MetricsQuery{From: s.From, To: s.To})
	if err != nil {
		t.Fatal(err)
	}
	am, err := h.activities.Metrics(admin, activities.MetricsQuery{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	if len(vm) != len(s.Reps) || len(om) != len(s.Reps) || len(am) != len(s.Reps) {
		t.Fatalf("metrics of %d, %d and %d reps, want %d", len(vm), len(om), len(am), len(s.Reps))
	}
	type figures struct {
		Visits, CheckIns, Verified, Calls, Orders int
		Revenue                                   string
	}
	got, want := map[string]figures{}, map[string]figures{}
	for _, r := range s.Reps {
		want[r.ID.String()] = figures{r.Visits, r.CheckIns, r.VerifiedCheckIns, r.Calls, r.Orders, r.Revenue.StringFixed(2)}
		if r.Visits == 0 || r.Calls == 0 || r.Orders == 0 || !r.Revenue.IsPositive() {
			t.Errorf("rep %s has nothing: %+v", r.Email, r)
		}
	}
	for i := range vm {
		f := got[vm[i].RepID.String()]
		f.Visits, f.CheckIns, f.Verified = vm[i].Visits, vm[i].CheckIns, vm[i].VerifiedCheckIns
		got[vm[i].RepID.String()] = f
	}
	for _, m := range om {
		f := got[m.RepID.String()]
		f.Orders, f.Revenue = m.Orders, m.Revenue["CNY"].Add(decimal.Zero).StringFixed(2)
		got[m.RepID.String()] = f
	}
	for _, m := range am {
		f := got[m.RepID.String()]
		f.Calls = m.Calls
		got[m.RepID.String()] = f
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("the services' metrics differ from what was written (-written +measured):\n%s", d)
	}
}

// loginOf is the user an e-mail signs in as.
func loginOf(t *testing.T, h *harness, email string) uuid.UUID {
	t.Helper()
	var login loginRow
	if err := h.s.Owner(context.Background()).Where("email = ?", email).Take(&login).Error; err != nil {
		t.Fatal(err)
	}
	return login.UserID
}
