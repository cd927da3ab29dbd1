package visits

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
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
}
