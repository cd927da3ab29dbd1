package visits

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/visits/cadence"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/web/webtest"
)

// at returns a service whose clock stands at t, to replay the past.
func (w *world) at(t time.Time) *Service {
	return NewService(w.s, w.w, Options{Now: func() time.Time { return t }})
}

// visitFor makes a check-in at start from where, and a check-out after stay.
func visitFor(t *testing.T, w *world, f *tenantFixture, rep string, c CustomerDTO, where geo.Point, accuracy float64, start time.Time, stay time.Duration) uuid.UUID {
	t.Helper()
	ctx := f.as(t, rep)
	v, _, err := w.at(start).CheckIn(ctx, CheckInInput{ClientID: identity.NewID(), CustomerID: c.ID,
		Position: Position{Point: where, Datum: WGS84}, Accuracy: accuracy, DeviceTime: start, Provider: "gps"})
	if err != nil {
		t.Fatal(err)
	}
	end := start.Add(stay)
	if _, err := w.at(end).CheckOut(ctx, v.ID, CheckOutInput{Position: Position{Point: where, Datum: WGS84}, Accuracy: 10, DeviceTime: end}); err != nil {
		t.Fatal(err)
	}
	return v.ID
}

// The week of 2 to 8 November 2026 (Monday to Sunday: six working days) for one rep: A never
// visited before and B last visited 14 days before are due; C, seen a week before, is not.
func TestVisitMetrics(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	srv := newServer(w)
	mk := func(name, grade string, at geo.Point) CustomerDTO {
		b := shopBody(f)
		b["name"], b["grade"] = name, grade
		b["location"] = map[string]any{"lat": at.Lat, "lon": at.Lon, "datum": "wgs84"}
		return create(t, srv, f, "rep.jinan.1", b)
	}
	a, b, c := mk("A", "A", shop), mk("B", "B", offset(shop, 2000, 0)), mk("C", "C", offset(shop, 0, 3000))
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	pos := func(c CustomerDTO) geo.Point { return geo.Point{Lat: c.Location.Lat, Lon: c.Location.Lon} }

	visitFor(t, w, f, "rep.jinan.1", b, pos(b), 10, time.Date(2026, 10, 20, 10, 0, 0, 0, time.UTC), 15*time.Minute)
	visitFor(t, w, f, "rep.jinan.1", c, pos(c), 10, time.Date(2026, 10, 30, 10, 0, 0, 0, time.UTC), 15*time.Minute)

	visitFor(t, w, f, "rep.jinan.1", a, pos(a), 10, day(3, 10), 30*time.Minute)
	fake := visitFor(t, w, f, "rep.jinan.1", a, offset(pos(a), 1500, 0), 10, day(5, 10), 10*time.Minute)
	visitFor(t, w, f, "rep.jinan.1", b, pos(b), 10, day(6, 11), 20*time.Minute)
	visitFor(t, w, f, "rep.jinan.1", c, offset(pos(c), 5, 5), 250, day(7, 9), 40*time.Minute) // poor accuracy: a warning only
	if _, err := w.svc.ReviewVisit(f.as(t, "mgr.shandong"), fake, ReviewRejected, "1.5 km away"); err != nil {
		t.Fatal(err)
	}

	get := func(key string) MetricsDTO {
		status, raw := call(t, srv, f, key, http.MethodGet, "/api/v1/visit-metrics?from=2026-11-02&to=2026-11-09", nil)
		if status != http.StatusOK {
			t.Fatalf("metrics as %s: %d %s", key, status, raw)
		}
		return webtest.Decode[MetricsDTO](t, raw)
	}
	byRep := func(m MetricsDTO) map[uuid.UUID]RepMetricsDTO {
		out := map[uuid.UUID]RepMetricsDTO{}
		for _, r := range m.Reps {
			out[r.RepID] = r
		}
		return out
	}
	got := byRep(get("mgr.shandong"))[f.users["rep.jinan.1"].ID]
	want := RepMetricsDTO{RepID: f.users["rep.jinan.1"].ID, WorkingDays: 6, Visits: 3, VisitsPerDay: 0.5, CustomersDue: 2,
		CustomersCovered: 2, Coverage: 1, CheckIns: 4, VerifiedCheckIns: 3, VerifiedRate: 0.75, AvgDurationS: 1800,
		VisitsByGrade: map[string]int{"A": 1, "B": 1, "C": 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("rep.jinan.1's week (-want +got):\n%s", diff)
	}

	// Scope: each caller gets the reps whose visits they may see.
	for key, reps := range map[string][]string{
		"mgr.shandong":  {"rep.jinan.1", "rep.jinan.2", "rep.qingdao"},
		"mgr.guangdong": {"rep.guangdong"},
		"rep.jinan.2":   {"rep.jinan.2"},
		"analyst":       {"rep.jinan.1", "rep.jinan.2", "rep.qingdao", "rep.guangdong"},
	} {
		seen := byRep(get(key))
		if len(seen) != len(reps) {
			t.Errorf("metrics as %s cover %d reps, want %v", key, len(seen), reps)
		}
		for _, r := range reps {
			if _, ok := seen[f.users[r].ID]; !ok {
				t.Errorf("metrics as %s miss %s", key, r)
			}
		}
	}
	status, raw := call(t, srv, f, "mgr.shandong", http.MethodGet, "/api/v1/visit-metrics?from=2026-11-09&to=2026-11-02", nil)
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_input", "query.to")
	checkRollups(t, w, f, time.UTC)
}

// The edges of what counts, for three reps in one call, over the week of 5 to 11 October 2026
// (Monday to Sunday: six working days), with rows written as the visit flow leaves them:
//   - rep.jinan.1: a trusted check-in (verified), a rejected check-in (a check-in, unverified, no
//     visit), a pending automatic visit (a visit, no check-in), a check-in still open (nothing),
//     a visit to a colleague's customer (a visit, no coverage), and a customer of grade B seen
//     only in a rejected visit (no B in the visits by grade). Due: A never visited (visited in
//     the week), A2 never visited (not visited), C last seen 2 September (visited); B was seen
//     30 September (not due), B2 on 1 October too, but that visit was rejected, so its last is
//     1 September (due, not visited).
//   - rep.jinan.2: one visit to its own D customer, which is not due: a visit and nothing due.
//   - rep.qingdao: nothing at all; every ratio is 1.
func TestVisitMetricsEdges(t *testing.T) {
	t.Parallel()
	mw := newMetricsWorld(t, metricsSize{}, 1)
	day := func(m, d, h int) time.Time { return time.Date(2026, time.Month(m), d, h, 0, 0, 0, time.UTC) }
	rep1, rep2, qingdao := mw.f.users["rep.jinan.1"].ID, mw.f.users["rep.jinan.2"].ID, mw.f.users["rep.qingdao"].ID
	var customers []customerRow
	customer := func(owner uuid.UUID, grade Grade) customerRow {
		at := offset(shop, float64(100*len(customers)), 0)
		r, err := toRow(Customer{ID: identity.NewID(), Name: fmt.Sprintf("Shop %d", len(customers)), Grade: grade, OwnerID: owner,
			RegionID: mw.f.regions["Jinan"].ID, Location: at, Fence: geo.Circle{Center: at, Radius: 100}, CreatedAt: day(9, 1, 0), UpdatedAt: day(9, 1, 0)})
		if err != nil {
			t.Fatal(err)
		}
		customers = append(customers, r)
		return r
	}
	a, a2, b, b2, c, d := customer(rep1, GradeA), customer(rep1, GradeA), customer(rep1, GradeB), customer(rep1, GradeB),
		customer(rep1, GradeC), customer(rep2, GradeD)
	var visits []visitRow
	visit := func(rep uuid.UUID, c customerRow, start time.Time, stay time.Duration, source VisitSource, trusted bool, review ReviewStatus) *visitRow {
		end := start.Add(stay)
		visits = append(visits, visitRow{ID: identity.NewID(), RepID: rep, CustomerID: c.ID, RegionID: c.RegionID, Source: string(source),
			Status: string(VisitClosed), StartedAt: start, EndedAt: &end, Trusted: trusted, Verdict: "ok", ReviewStatus: string(review),
			Revision: 1, CreatedAt: start, UpdatedAt: end})
		return &visits[len(visits)-1]
	}
	visit(rep1, b, day(9, 30, 10), 10*time.Minute, SourceCheckIn, true, ReviewNone)
	visit(rep1, b2, day(9, 1, 10), 10*time.Minute, SourceCheckIn, true, ReviewNone)
	visit(rep1, b2, day(10, 1, 10), 10*time.Minute, SourceCheckIn, false, ReviewRejected)
	visit(rep1, c, day(9, 2, 10), 10*time.Minute, SourceCheckIn, true, ReviewNone)
	visit(rep2, d, day(9, 20, 10), 10*time.Minute, SourceCheckIn, true, ReviewNone)

	visit(rep1, a, day(10, 5, 9), 30*time.Minute, SourceCheckIn, true, ReviewNone)
	visit(rep1, a, day(10, 6, 9), 5*time.Minute, SourceCheckIn, false, ReviewRejected)
	visit(rep1, c, day(10, 7, 9), 20*time.Minute, SourceAuto, false, ReviewPending)
	leaveOpen(visit(rep1, a2, day(10, 8, 9), 0, SourceCheckIn, true, ReviewNone))
	visit(rep1, d, day(10, 9, 9), 10*time.Minute+30*time.Second, SourceCheckIn, false, ReviewAccepted)
	visit(rep1, b, day(10, 10, 9), 15*time.Minute, SourceAuto, true, ReviewRejected)
	visit(rep2, d, day(10, 6, 15), 45*time.Minute, SourceAuto, true, ReviewNone)
	mw.insert(t, "customers", customers)
	mw.insert(t, "visits", visits)

	ctx := mw.f.as(t, "mgr.shandong")
	got, err := mw.svc.Metrics(ctx, MetricsQuery{From: "2026-10-05", To: "2026-10-12", RepIDs: []uuid.UUID{qingdao, rep2, rep1}})
	if err != nil {
		t.Fatal(err)
	}
	nothing := RepMetrics{WorkingDays: 6, Coverage: 1, VerifiedRate: 1, ByGrade: map[Grade]int{}}
	want := map[uuid.UUID]RepMetrics{
		rep1: {RepID: rep1, WorkingDays: 6, Visits: 3, VisitsPerDay: 0.5, CustomersDue: 4, CustomersCovered: 2, Coverage: 0.5,
			CheckIns: 3, VerifiedCheckIns: 2, VerifiedRate: 2.0 / 3, AvgDuration: 20*time.Minute + 10*time.Second,
			ByGrade: map[Grade]int{GradeA: 1, GradeC: 1, GradeD: 1}},
		rep2: {RepID: rep2, WorkingDays: 6, Visits: 1, VisitsPerDay: 1.0 / 6, Coverage: 1, VerifiedRate: 1, AvgDuration: 45 * time.Minute,
			ByGrade: map[Grade]int{GradeD: 1}},
		qingdao: func() RepMetrics { m := nothing; m.RepID = qingdao; return m }(),
	}
	if len(got) != len(want) {
		t.Fatalf("figures of %d reps, want %d: %+v", len(got), len(want), got)
	}
	for _, m := range got {
		if diff := cmp.Diff(want[m.RepID], m); diff != "" {
			t.Errorf("rep %s (-want +got):\n%s", m.RepID, diff)
		}
	}

	// A period still running counts working days up to today: Monday 16 to Friday 20 November.
	got, err = mw.svc.Metrics(ctx, MetricsQuery{From: "2026-11-16", To: "2026-11-30", RepIDs: []uuid.UUID{qingdao}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].WorkingDays != 5 {
		t.Errorf("a running period: %+v, want 5 working days", got)
	}
}

// Only the grades a last visit can keep from being due are looked up: those whose cadence is
// longer than the period, counting in the tenant's days.
func TestGradesToLook(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	day := func(m, d int) time.Time { return time.Date(2026, time.Month(m), d, 0, 0, 0, 0, shanghai) }
	for _, tc := range []struct {
		name     string
		cad      cadence.Cadences
		from, to time.Time
		want     []string
	}{
		{"a month", cadence.Default(), day(10, 1), day(11, 1), []string{"D"}},
		{"a week", cadence.Default(), day(10, 5), day(10, 12), []string{"B", "C", "D"}},
		{"six days", cadence.Default(), day(10, 5), day(10, 11), []string{"A", "B", "C", "D"}},
		{"a year", cadence.Default(), day(1, 1), day(12, 31), nil},
		{"daily and yearly", cadence.Cadences{"A": 1, "B": 1, "C": 366, "D": 366}, day(10, 1), day(11, 1), []string{"C", "D"}},
	} {
		if got := gradesToLook(tc.cad, tc.from, tc.to.Add(-time.Nanosecond), shanghai); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
