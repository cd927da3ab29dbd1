package visits

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/web/webtest"
)

// A rep's day holds the customers due by their grade's cadence, ordered into a route; a visit
// made recently takes its customer off the list until the cadence comes round again.
func TestPlanDay(t *testing.T) {
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
	visitedA := mk("Visited A", "A", shop)
	neverB := mk("Never visited B", "B", offset(shop, 3000, 0))
	neverC := mk("Never visited C", "C", offset(shop, 0, 4000))
	staleD := mk("Stale D", "D", offset(shop, -2500, 1500))
	mk("Next door", "A", offset(shop, 100, 100))

	// Visits in the past, made through a service whose clock is set back.
	today := time.Now().UTC()
	visitAt := func(c CustomerDTO, daysAgo int) {
		at := today.AddDate(0, 0, -daysAgo)
		past := NewService(w.s, w.w, Options{Now: func() time.Time { return at }})
		loc := geo.Point{Lat: c.Location.Lat, Lon: c.Location.Lon}
		_, _, err := past.CheckIn(f.as(t, "rep.jinan.1"), CheckInInput{ClientID: identity.NewID(), CustomerID: c.ID,
			Position: Position{Point: loc, Datum: WGS84}, Accuracy: 10, DeviceTime: at, Provider: "gps"})
		if err != nil {
			t.Fatal(err)
		}
	}
	visitAt(visitedA, 3) // A: every 7 days, not due
	visitAt(staleD, 61)  // D: every 60 days, due for a day
	date := today.Format(time.DateOnly)
	plan := func(key string, body map[string]any) (int, DayPlanDTO, []byte) {
		t.Helper()
		status, raw := call(t, srv, f, key, http.MethodPost, "/api/v1/visit-plans", body)
		if status != http.StatusOK {
			return status, DayPlanDTO{}, raw
		}
		return status, webtest.Decode[DayPlanDTO](t, raw), raw
	}
	body := map[string]any{"rep_id": f.users["rep.jinan.1"].ID, "date": date,
		"start": map[string]any{"lat": shop.Lat, "lon": shop.Lon, "datum": "wgs84"}}

	status, p, raw := plan("rep.jinan.1", body)
	if status != http.StatusOK {
		t.Fatalf("plan: %d %s", status, raw)
	}
	due := map[uuid.UUID]DueDTO{}
	for _, d := range p.Due {
		due[d.CustomerID] = d
	}
	if _, ok := due[visitedA.ID]; ok || len(p.Due) != 4 || due[neverB.ID].LastVisit != nil {
		t.Fatalf("due %+v; want everyone but the A visited 3 days ago", p.Due)
	}
	if d := due[staleD.ID]; d.OverdueDays != 1 || d.LastVisit == nil {
		t.Fatalf("the D visited 61 days ago: %+v, want overdue by 1 day", d)
	}
	if len(p.Visits) != 4 || len(p.Unserved) != 0 || p.DistanceM <= 0 {
		t.Fatalf("route: %d visits, %d unserved, %.0f m; want all 4 due served", len(p.Visits), len(p.Unserved), p.DistanceM)
	}
	for i := 1; i < len(p.Visits); i++ {
		if !p.Visits[i].Arrival.After(p.Visits[i-1].Departure) && !p.Visits[i].Arrival.Equal(p.Visits[i-1].Departure) {
			t.Fatalf("visit %d arrives before the previous one is left", i)
		}
	}

	// A window that closes before the rep can get there sets the customer aside, with the reason.
	body["windows"] = []map[string]any{{"customer_id": neverC.ID, "latest": p.Visits[0].Arrival.Add(-time.Hour)}}
	if _, p, raw = plan("mgr.shandong", body); len(p.Unserved) != 1 || p.Unserved[0].CustomerID != neverC.ID {
		t.Fatalf("plan with a closed window: %s", raw)
	}
	delete(body, "windows")

	// Cadences: the tenant admin shortens A to every 3 days, and the A visited 3 days ago is due.
	status, raw = call(t, srv, f, "rep.jinan.1", http.MethodPut, "/api/v1/visit-cadences", map[string]any{"every_days": map[string]int{"A": 3, "B": 14, "C": 30, "D": 60}})
	if status != http.StatusForbidden {
		t.Fatalf("cadences set by a rep: %d %s, want 403", status, raw)
	}
	status, raw = call(t, srv, f, "admin", http.MethodPut, "/api/v1/visit-cadences", map[string]any{"every_days": map[string]int{"A": 0, "B": 14, "C": 30}})
	if status != http.StatusBadRequest || !strings.Contains(string(raw), "grade A") || !strings.Contains(string(raw), "grade D: missing") {
		t.Fatalf("invalid cadences: %d %s, want 400 naming grades A and D", status, raw)
	}
	status, raw = call(t, srv, f, "admin", http.MethodPut, "/api/v1/visit-cadences", map[string]any{"every_days": map[string]int{"A": 3, "B": 14, "C": 30, "D": 60}})
	if status != http.StatusOK {
		t.Fatalf("set cadences: %d %s", status, raw)
	}
	if _, p, raw = plan("rep.jinan.1", body); len(p.Due) != 5 {
		t.Fatalf("after A became every 3 days: %s, want 5 due", raw)
	}

	// Scope: a rep plans only their own day; another region's manager cannot see the rep.
	body["rep_id"] = f.users["rep.jinan.2"].ID
	status, _, raw = plan("rep.jinan.1", body)
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_reference", "body.rep_id")
	body["rep_id"] = f.users["rep.jinan.1"].ID
	status, _, raw = plan("mgr.guangdong", body)
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_reference", "body.rep_id")
	body["date"] = "2026-02-30"
	status, _, raw = plan("rep.jinan.1", body)
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_input", "body.date")
}

// A customer whose next order is predicted within two days of the plan's day is planned, even
// when its cadence does not ask for a visit, so that the visit before the order takes it.
func TestPlanAddsTheVisitBeforeAReorder(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	srv := newServer(w)
	mk := func(name string, at geo.Point) CustomerDTO {
		b := shopBody(f)
		b["name"], b["grade"] = name, "C"
		b["location"] = map[string]any{"lat": at.Lat, "lon": at.Lon, "datum": "wgs84"}
		return create(t, srv, f, "rep.jinan.1", b)
	}
	soon, later := mk("Reorders tomorrow", shop), mk("Reorders in ten days", offset(shop, 2000, 0))
	other := uuid.New() // a customer not on the rep's list
	today := time.Now().UTC()
	day := func(n int) time.Time {
		y, m, d := today.AddDate(0, 0, n).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	// Both C customers were visited yesterday: every 30 days, neither is due by its cadence.
	past := NewService(w.s, w.w, Options{Now: func() time.Time { return today.AddDate(0, 0, -1) }})
	for _, c := range []CustomerDTO{soon, later} {
		_, _, err := past.CheckIn(f.as(t, "rep.jinan.1"), CheckInInput{ClientID: identity.NewID(), CustomerID: c.ID,
			Position: Position{Point: geo.Point{Lat: c.Location.Lat, Lon: c.Location.Lon}, Datum: WGS84}, Accuracy: 10,
			DeviceTime: today.AddDate(0, 0, -1), Provider: "gps"})
		if err != nil {
			t.Fatal(err)
		}
	}
	var asked int
	svc := NewService(w.s, w.w, Options{Reorders: func(ctx context.Context, within int) (map[uuid.UUID]time.Time, error) {
		asked = within
		return map[uuid.UUID]time.Time{soon.ID: day(1), later.ID: day(10), other: day(1)}, nil
	}})
	plan, err := svc.PlanDay(f.as(t, "rep.jinan.1"), PlanRequest{RepID: f.users["rep.jinan.1"].ID, Date: today.Format(time.DateOnly)})
	if err != nil {
		t.Fatal(err)
	}
	dto := dayPlanDTO(plan)
	if asked != ReorderLeadDays {
		t.Errorf("asked for reorders within %d days of today, want %d", asked, ReorderLeadDays)
	}
	var got []DueDTO
	for _, d := range dto.Due {
		if d.CustomerID == soon.ID || d.CustomerID == later.ID || d.CustomerID == other {
			got = append(got, d)
		}
	}
	if len(got) != 1 || got[0].CustomerID != soon.ID || got[0].ReorderBy == nil || *got[0].ReorderBy != day(1).Format(time.DateOnly) ||
		got[0].LastVisit == nil || got[0].OverdueDays != 0 {
		t.Fatalf("due %+v: want only the customer reordering tomorrow, with its day and last visit", got)
	}
	found := false
	for _, v := range dto.Visits {
		found = found || v.CustomerID == soon.ID
	}
	if !found {
		t.Error("the reordering customer is due but not on the route")
	}
}
