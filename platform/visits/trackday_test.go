package visits

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/web/webtest"
)

// shanghai is the tenant's zone in the track-day tests: days begin at 16:00 UTC.
func shanghai(context.Context) (*time.Location, error) { return time.LoadLocation("Asia/Shanghai") }

func trackDayPath(f *tenantFixture, rep, day string) string {
	return fmt.Sprintf("/api/v1/tracks/day?rep_id=%s&date=%s", f.users[rep].ID, day)
}

// A rep's day is the fixes of that day in the tenant's zone, without mock-location ones, with
// the fence events they caused; who may read it is who may read the rep's track.
func TestTrackDayIsTheRepsDayInTheTenantsZone(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.svc = NewService(w.s, w.w, Options{TimeZone: shanghai})
	f := w.tenant(t, "acme")
	srv := newServer(w)
	c := create(t, srv, f, "rep.jinan.1", shopBody(f))

	loc, _ := shanghai(context.Background())
	day := time.Now().In(loc).AddDate(0, 0, -2)
	date := day.Format(time.DateOnly)
	// 23:50 to 23:56 local: three fixes outside, then inside the shop's fence (enter), one of them
	// mock; and 00:10 local of the next day, which is the same UTC day.
	late := time.Date(day.Year(), day.Month(), day.Day(), 23, 50, 0, 0, loc).UTC()
	fixes := walk(late, offset(shop, 400, 0), offset(shop, 200, 0), shop, shop)
	fixes[1]["mock"] = true
	next := walk(late.Add(20*time.Minute), offset(shop, 400, 0))
	postTrack(t, srv, f, "rep.jinan.1", append(fixes, next...))

	status, raw := call(t, srv, f, "rep.jinan.1", http.MethodGet, trackDayPath(f, "rep.jinan.1", date), nil)
	if status != http.StatusOK {
		t.Fatalf("own track: %d %s", status, raw)
	}
	got := webtest.Decode[TrackDayDTO](t, raw)
	if len(got.Fixes) != 3 || got.Truncated || got.Date != date || got.RepID != f.users["rep.jinan.1"].ID {
		t.Fatalf("track of %s: %+v, want the 3 fixes of that day that are not mock", date, got)
	}
	for i, want := range []int{0, 2, 3} {
		if !got.Fixes[i].Time.Equal(fixes[want]["time"].(time.Time)) || got.Fixes[i].Lat != fixes[want]["lat"].(float64) {
			t.Errorf("fix %d: %+v, want the sent fix %d", i, got.Fixes[i], want)
		}
	}
	if len(got.Events) != 1 || got.Events[0].Kind != string(geo.Enter) || got.Events[0].CustomerID != c.ID {
		t.Errorf("events %+v, want one enter into %s", got.Events, c.ID)
	}
	status, raw = call(t, srv, f, "rep.jinan.1", http.MethodGet, trackDayPath(f, "rep.jinan.1", day.AddDate(0, 0, 1).Format(time.DateOnly)), nil)
	if next := webtest.Decode[TrackDayDTO](t, raw); status != http.StatusOK || len(next.Fixes) != 1 || len(next.Events) != 1 || next.Events[0].Kind != string(geo.Exit) {
		t.Errorf("next day: %d %s, want the one fix after midnight and its exit", status, raw)
	}

	// Tracks are read as the warden allows: the rep's own, the manager's region subtree, HQ and
	// the tenant admin everywhere; anyone else's is not found, like a missing rep.
	for _, tc := range []struct {
		who  string
		want int
	}{
		{"rep.jinan.2", http.StatusNotFound}, {"rep.guangdong", http.StatusNotFound},
		{"mgr.shandong", http.StatusOK}, {"mgr.guangdong", http.StatusNotFound},
		{"analyst", http.StatusOK}, {"admin", http.StatusOK},
	} {
		status, raw := call(t, srv, f, tc.who, http.MethodGet, trackDayPath(f, "rep.jinan.1", date), nil)
		if status != tc.want {
			t.Errorf("%s reads rep.jinan.1's track: %d %s, want %d", tc.who, status, raw, tc.want)
		}
		if status == http.StatusOK && len(webtest.Decode[TrackDayDTO](t, raw).Fixes) != 3 {
			t.Errorf("%s reads rep.jinan.1's track: %s, want its 3 fixes", tc.who, raw)
		}
	}
	// Another tenant's admin, with an id that exists only in acme.
	other := w.tenant(t, "beta")
	path := fmt.Sprintf("/api/v1/tracks/day?rep_id=%s&date=%s", f.users["rep.jinan.1"].ID, date)
	if status, raw := call(t, srv, other, "admin", http.MethodGet, path, nil); status != http.StatusNotFound {
		t.Errorf("another tenant's admin reads the track: %d %s, want 404", status, raw)
	}
	// A manager reads the subtree, and a rep in it with no fixes that day has an empty track.
	status, raw = call(t, srv, f, "mgr.shandong", http.MethodGet, trackDayPath(f, "rep.qingdao", date), nil)
	if empty := webtest.Decode[TrackDayDTO](t, raw); status != http.StatusOK || len(empty.Fixes) != 0 || len(empty.Events) != 0 {
		t.Errorf("rep.qingdao's empty day: %d %s", status, raw)
	}
	if status, raw := call(t, srv, f, "admin", http.MethodGet, trackDayPath(f, "rep.jinan.1", "2026-02-30"), nil); status != http.StatusBadRequest {
		t.Errorf("a day that does not exist: %d %s, want 400", status, raw)
	}
}
