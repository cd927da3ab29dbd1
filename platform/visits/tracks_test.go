package visits

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/web"
	"github.com/repflow/repflow/platform/web/webtest"
)

// shop is the centre of the tracks tests' customer, in Jinan (WGS84); its fence is 100 m round.
var shop = geo.Point{Lat: 36.6512, Lon: 117.1201}

// offset moves p by north and east metres.
func offset(p geo.Point, north, east float64) geo.Point {
	return geo.Point{Lat: p.Lat + north/111_320, Lon: p.Lon + east/(111_320*math.Cos(p.Lat*math.Pi/180))}
}

// walk is a rep's fixes: one every 30 s from start, at the points given, accuracy 10 m.
func walk(start time.Time, points ...geo.Point) []map[string]any {
	fixes := make([]map[string]any, len(points))
	for i, p := range points {
		fixes[i] = map[string]any{"id": identity.NewID(), "time": start.Add(time.Duration(i) * 30 * time.Second),
			"lat": p.Lat, "lon": p.Lon, "accuracy": 10, "provider": "gps"}
	}
	return fixes
}

func repeat(p geo.Point, n int) []geo.Point {
	out := make([]geo.Point, n)
	for i := range out {
		out[i] = p
	}
	return out
}

func concat(parts ...[]geo.Point) []geo.Point {
	var out []geo.Point
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func shopBody(f *tenantFixture) map[string]any {
	return map[string]any{"name": "Lixia Pharmacy", "grade": "A", "owner_id": f.users["rep.jinan.1"].ID, "region_id": f.regions["Jinan"].ID,
		"location": map[string]any{"lat": shop.Lat, "lon": shop.Lon, "datum": "wgs84"},
		"fence":    map[string]any{"kind": "circle", "radius_m": 100}}
}

func postTrack(t *testing.T, srv *web.Server, f *tenantFixture, key string, fixes []map[string]any) TrackResultDTO {
	t.Helper()
	status, raw := call(t, srv, f, key, http.MethodPost, "/api/v1/tracks", map[string]any{"datum": "wgs84", "fixes": fixes})
	if status != http.StatusOK {
		t.Fatalf("post track as %s: %d %s", key, status, raw)
	}
	return webtest.Decode[TrackResultDTO](t, raw)
}

func kinds(events []FenceEventDTO) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Kind
	}
	return out
}

func visitRows(t *testing.T, w *world, f *tenantFixture) []visitRow {
	t.Helper()
	var rows []visitRow
	err := w.s.Tx(identity.System(context.Background(), f.id), func(ctx context.Context, db *gorm.DB) error {
		return db.Order("started_at").Find(&rows).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// A rep walks in, lingers while GPS jitters around the fence's edge, stays, and walks out: one
// enter, one dwell, one exit, and one automatic visit measured from entering to leaving.
func TestTrackEnterDwellExitWithJitter(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	srv := newServer(w)
	c := create(t, srv, f, "rep.jinan.1", shopBody(f))

	start := time.Now().UTC().Add(-2 * time.Hour).Truncate(time.Second)
	edge := func(d float64) geo.Point { return offset(shop, 100+d, 0) } // d metres outside the edge
	points := concat(
		[]geo.Point{edge(400), edge(200)},
		// Jitter straddling the edge by 8 m with 10 m accuracy: within the 15 m margin, no change.
		[]geo.Point{edge(8), edge(-8), edge(8), edge(-8)},
		repeat(offset(shop, 20, 0), 12), // 6 minutes well inside: enter, then dwell after 5
		[]geo.Point{edge(-8), edge(8), edge(-8)},
		[]geo.Point{edge(60), edge(300)},
	)
	fixes := walk(start, points...)
	res := postTrack(t, srv, f, "rep.jinan.1", fixes)
	if got := fmt.Sprint(kinds(res.Events)); got != "[enter dwell exit]" {
		t.Fatalf("events %s, want [enter dwell exit]", got)
	}
	if res.Stored != len(fixes) || res.Duplicates != 0 || len(res.OpenedVisits) != 1 || len(res.ClosedVisits) != 1 {
		t.Fatalf("result %+v, want all stored and one visit opened and closed", res)
	}
	for _, e := range res.Events {
		if e.CustomerID != c.ID {
			t.Errorf("event %s for customer %s, want %s", e.Kind, e.CustomerID, c.ID)
		}
	}
	enteredAt := start.Add(6 * 30 * time.Second) // fix 6 is the first well inside
	leftAt := start.Add(21 * 30 * time.Second)   // fix 21 is 60 m out
	rows := visitRows(t, w, f)
	if len(rows) != 1 {
		t.Fatalf("%d visits stored, want 1", len(rows))
	}
	v := rows[0]
	if v.Source != "auto" || v.Status != "closed" || !v.StartedAt.Equal(enteredAt) || v.EndedAt == nil || !v.EndedAt.Equal(leftAt) {
		t.Fatalf("visit %s %s %s-%v, want a closed automatic visit from %s to %s", v.Source, v.Status, v.StartedAt, v.EndedAt, enteredAt, leftAt)
	}

	// The same batch again, as a phone retries after a timeout: nothing new.
	again := postTrack(t, srv, f, "rep.jinan.1", fixes)
	if again.Stored != 0 || again.Duplicates != len(fixes) || len(again.Events) != 0 || len(visitRows(t, w, f)) != 1 {
		t.Fatalf("retried batch: %+v and %d visits; want only duplicates", again, len(visitRows(t, w, f)))
	}
	if n := countFixes(t, w, f); n != int64(len(fixes)) {
		t.Fatalf("%d fixes stored after the retry, want %d", n, len(fixes))
	}
	checkRollups(t, w, f, time.UTC)
}

// The fence state carries over from one batch to the next.
func TestTrackStateSpansBatches(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	srv := newServer(w)
	create(t, srv, f, "rep.jinan.1", shopBody(f))
	start := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	first := postTrack(t, srv, f, "rep.jinan.1", walk(start, offset(shop, 500, 0), shop, shop))
	second := postTrack(t, srv, f, "rep.jinan.1", walk(start.Add(90*time.Second), repeat(shop, 10)...))
	third := postTrack(t, srv, f, "rep.jinan.1", walk(start.Add(6*time.Minute), offset(shop, 400, 0)))
	if fmt.Sprint(kinds(first.Events), kinds(second.Events), kinds(third.Events)) != "[enter] [dwell] [exit]" {
		t.Fatalf("events per batch %v %v %v, want [enter] [dwell] [exit]", kinds(first.Events), kinds(second.Events), kinds(third.Events))
	}
	if len(second.OpenedVisits) != 1 || len(third.ClosedVisits) != 1 || second.OpenedVisits[0] != third.ClosedVisits[0] {
		t.Fatalf("visit opened %v and closed %v, want the same one", second.OpenedVisits, third.ClosedVisits)
	}
	// Fixes from a mock-location app are kept as evidence but move nothing.
	mocked := walk(start.Add(10*time.Minute), repeat(shop, 12)...)
	for _, m := range mocked {
		m["mock"] = true
	}
	if res := postTrack(t, srv, f, "rep.jinan.1", mocked); res.Stored != 12 || len(res.Events) != 0 {
		t.Fatalf("mock fixes: %+v, want stored without events", res)
	}
}

func countFixes(t *testing.T, w *world, f *tenantFixture) int64 {
	t.Helper()
	var n int64
	err := w.s.Tx(identity.System(context.Background(), f.id), func(ctx context.Context, db *gorm.DB) error {
		return db.Model(&trackFixRow{}).Count(&n).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Each kind of bad fix is refused with its place named, and nothing of the batch is stored.
func TestTrackBadInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	srv := newServer(w)
	now := time.Now().UTC()
	dup := identity.NewID()
	// The service checks each fix and answers 400 naming it; a body that is not JSON of the
	// right shape is the API layer's 422.
	for _, tc := range []struct {
		name     string
		bad      map[string]any
		status   int
		location string
	}{
		{"latitude over 90", map[string]any{"lat": 90.5}, 400, "body.fixes[2].lat"},
		{"longitude under -180", map[string]any{"lon": -180.01}, 400, "body.fixes[2].lon"},
		{"far in the future", map[string]any{"time": now.Add(2 * time.Hour)}, 400, "body.fixes[2].time"},
		{"older than a month", map[string]any{"time": now.Add(-40 * 24 * time.Hour)}, 400, "body.fixes[2].time"},
		{"negative accuracy", map[string]any{"accuracy": -1}, 400, "body.fixes[2].accuracy"},
		{"heading of 360", map[string]any{"heading": 360}, 400, "body.fixes[2].heading"},
		{"negative speed", map[string]any{"speed": -3}, 400, "body.fixes[2].speed"},
		{"duplicate id", map[string]any{"id": dup}, 400, "body.fixes[2].id"},
		{"not a uuid", map[string]any{"id": "fix-3"}, 400, "body.fixes[2].id"},
		{"no time", map[string]any{"time": nil}, 400, "body.fixes[2].time"},
		{"latitude as text", map[string]any{"lat": "36.6"}, 422, ""},
	} {
		fixes := walk(now.Add(-time.Minute), shop, shop, shop, shop)
		fixes[0]["id"] = dup
		for k, v := range tc.bad {
			fixes[2][k] = v
		}
		status, raw := call(t, srv, f, "rep.jinan.1", http.MethodPost, "/api/v1/tracks", map[string]any{"datum": "wgs84", "fixes": fixes})
		if status != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, status, tc.status)
		}
		webtest.WantError(t, status, raw, status, "", tc.location)
	}
	tooMany := walk(now.Add(-time.Hour), repeat(shop, MaxBatchFixes+1)...)
	status, raw := call(t, srv, f, "rep.jinan.1", http.MethodPost, "/api/v1/tracks", map[string]any{"datum": "wgs84", "fixes": tooMany})
	if status < 400 || status >= 500 {
		t.Fatalf("batch of %d fixes: %d %.300s, want a 4xx", len(tooMany), status, raw)
	}
	status, raw = call(t, srv, f, "rep.jinan.1", http.MethodPost, "/api/v1/tracks", map[string]any{"datum": "bd09", "fixes": walk(now, shop)})
	webtest.WantError(t, status, raw, http.StatusBadRequest, "", "body.datum")
	// JSON has no NaN or infinity; a client that writes them sends a body that does not parse.
	status, raw = call(t, srv, f, "rep.jinan.1", http.MethodPost, "/api/v1/tracks",
		`{"datum":"wgs84","fixes":[{"id":"`+identity.NewID().String()+`","time":"`+now.Format(time.RFC3339)+`","lat":NaN,"lon":1,"accuracy":1}]}`)
	if status < 400 || status >= 500 {
		t.Errorf("NaN latitude: %d %s, want a 4xx", status, raw)
	}
	if n := countFixes(t, w, f); n != 0 {
		t.Fatalf("%d fixes stored from refused batches, want 0", n)
	}
}

// GCJ-02 fixes are converted before they meet the fence: a rep standing at the shop, whose
// phone reports the shop's GCJ-02 coordinates (some 500 m off in WGS84), is inside.
func TestTrackConvertsGCJ02(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	srv := newServer(w)
	create(t, srv, f, "rep.jinan.1", shopBody(f))
	g := geo.ToGCJ02(shop)
	fixes := walk(time.Now().UTC().Add(-time.Minute), g)
	status, raw := call(t, srv, f, "rep.jinan.1", http.MethodPost, "/api/v1/tracks", map[string]any{"datum": "gcj02", "fixes": fixes})
	if res := webtest.Decode[TrackResultDTO](t, raw); status != http.StatusOK || fmt.Sprint(kinds(res.Events)) != "[enter]" {
		t.Fatalf("GCJ-02 fix at the shop: %d %s, want an enter", status, raw)
	}
	if d := geo.Distance(g, shop); d < 300 {
		t.Fatalf("the GCJ-02 offset here is %.0f m; the test needs one larger than the fence", d)
	}
}

// A second server (another replica, with its own fence index) sees a customer created, moved and
// deleted through the first at its very next batch.
func TestFenceIndexFollowsChangesAcrossReplicas(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	first := newServer(w)
	other := &world{s: w.s, w: w.w, org: w.org, svc: NewService(w.s, w.w, Options{})}
	second := newServer(other)
	start := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	at := func(i int) time.Time { return start.Add(time.Duration(i) * time.Minute) }

	// The second replica builds its index before the customer exists.
	if res := postTrack(t, second, f, "rep.jinan.1", walk(at(0), shop)); len(res.Events) != 0 {
		t.Fatalf("events before any customer: %v", kinds(res.Events))
	}
	c := create(t, first, f, "rep.jinan.1", shopBody(f))
	if res := postTrack(t, second, f, "rep.jinan.1", walk(at(1), shop)); fmt.Sprint(kinds(res.Events)) != "[enter]" {
		t.Fatalf("after the create on the other replica: %v, want [enter]", kinds(res.Events))
	}
	moved := offset(shop, 0, 2000)
	status, raw := call(t, first, f, "rep.jinan.1", http.MethodPatch, "/api/v1/customers/"+c.ID.String(),
		map[string]any{"location": map[string]any{"lat": moved.Lat, "lon": moved.Lon, "datum": "wgs84"}})
	if status != http.StatusOK {
		t.Fatalf("move: %d %s", status, raw)
	}
	if res := postTrack(t, second, f, "rep.jinan.1", walk(at(2), shop)); fmt.Sprint(kinds(res.Events)) != "[exit]" {
		t.Fatalf("after the move on the other replica: %v, want [exit]", kinds(res.Events))
	}
	if res := postTrack(t, second, f, "rep.jinan.1", walk(at(3), moved)); fmt.Sprint(kinds(res.Events)) != "[enter]" {
		t.Fatalf("at the new place: %v, want [enter]", kinds(res.Events))
	}
	if status, raw := call(t, first, f, "admin", http.MethodDelete, "/api/v1/customers/"+c.ID.String(), nil); status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", status, raw)
	}
	// A deleted customer's fence is gone: no event (the rep did not leave; the customer went).
	if res := postTrack(t, second, f, "rep.jinan.1", walk(at(4), moved)); len(res.Events) != 0 {
		t.Fatalf("after the delete on the other replica: %v, want no events", kinds(res.Events))
	}
	if n := other.svc.fences.tenants[f.id].index.Len(); n != 0 {
		t.Fatalf("the other replica's index holds %d fences after the delete, want 0", n)
	}
}

// Positions and the live stream show a manager the reps of their region subtree, and nobody
// else's; a rep sees only themself.
func TestLivePositionsAreScoped(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	other := w.tenant(t, "rival")
	srv := newServer(w)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	streams := map[string]<-chan LiveUpdate{}
	for _, key := range []string{"mgr.shandong", "mgr.guangdong", "rep.jinan.2", "analyst"} {
		ch, err := w.svc.Live(withCancel(ctx, f.as(t, key)))
		if err != nil {
			t.Fatalf("live as %s: %v", key, err)
		}
		streams[key] = ch
	}
	rival, err := w.svc.Live(withCancel(ctx, other.as(t, "admin")))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // the PostgreSQL listener connects
	postTrack(t, srv, f, "rep.jinan.1", walk(time.Now().UTC().Add(-time.Minute), shop))

	for key, want := range map[string]bool{"mgr.shandong": true, "analyst": true, "mgr.guangdong": false, "rep.jinan.2": false} {
		got := receives(streams[key], f.users["rep.jinan.1"].ID, want)
		if got != want {
			t.Errorf("%s received rep.jinan.1's position: %v, want %v", key, got, want)
		}
	}
	if receives(rival, f.users["rep.jinan.1"].ID, false) {
		t.Error("another tenant's admin received the position")
	}
	// A phone's backlog from hours ago is stored but is no news for the live map.
	postTrack(t, srv, f, "rep.qingdao", walk(time.Now().UTC().Add(-3*time.Hour), shop))
	if receives(streams["mgr.shandong"], f.users["rep.qingdao"].ID, false) {
		t.Error("a three-hour-old fix was published live")
	}
	for key, want := range map[string]int{"mgr.shandong": 2, "mgr.guangdong": 0, "rep.jinan.1": 1, "rep.jinan.2": 0} {
		status, raw := call(t, srv, f, key, http.MethodGet, "/api/v1/tracks/positions", nil)
		got := webtest.Decode[PositionsDTO](t, raw)
		if status != http.StatusOK || len(got.Positions) != want {
			t.Errorf("positions as %s: %d %s, want %d", key, status, raw, want)
		}
	}
}

func withCancel(parent, principal context.Context) context.Context {
	p, _ := identity.From(principal)
	return identity.With(parent, p)
}

// receives waits for rep's update on ch: up to 5 s when one is expected, 1 s when not.
func receives(ch <-chan LiveUpdate, rep uuid.UUID, expected bool) bool {
	wait := time.Second
	if expected {
		wait = 5 * time.Second
	}
	deadline := time.After(wait)
	for {
		select {
		case u := <-ch:
			if u.RepID == rep && u.Position != nil {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

// A replica forgets the fences of a tenant idle for half an hour, and picks the tenant up again
// where its reps left off: the fence state lives in the database, not in the cache.
func TestIdleTenantsFencesAreEvicted(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	clock := time.Now().UTC().Truncate(time.Second)
	w.svc = NewService(w.s, w.w, Options{Now: func() time.Time { return clock }})
	a, b := w.tenant(t, "acme"), w.tenant(t, "rival")
	srv := newServer(w)
	create(t, srv, a, "rep.jinan.1", shopBody(a))
	create(t, srv, b, "rep.jinan.1", shopBody(b))

	if res := postTrack(t, srv, a, "rep.jinan.1", walk(clock.Add(-time.Minute), shop)); fmt.Sprint(kinds(res.Events)) != "[enter]" {
		t.Fatalf("acme's first fix: %v, want [enter]", kinds(res.Events))
	}
	clock = clock.Add(fenceIdle + time.Minute)
	postTrack(t, srv, b, "rep.jinan.1", walk(clock.Add(-time.Minute), shop))
	if _, kept := w.svc.fences.tenants[a.id]; kept || len(w.svc.fences.tenants) != 1 {
		t.Fatalf("after %s idle, the cache holds %d tenants (acme kept: %v), want rival's only", fenceIdle, len(w.svc.fences.tenants), kept)
	}
	if res := postTrack(t, srv, a, "rep.jinan.1", walk(clock.Add(-time.Minute), offset(shop, 500, 0))); fmt.Sprint(kinds(res.Events)) != "[exit]" {
		t.Fatalf("acme after the eviction: %v, want [exit] (the stay carried over)", kinds(res.Events))
	}
}
