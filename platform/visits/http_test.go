package visits

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/web"
	"github.com/repflow/repflow/platform/web/webtest"
)

func newServer(w *world) *web.Server {
	srv := web.New(web.Options{Authenticate: webtest.Authenticate(w.org.Principal)})
	srv.Mount(NewHTTP(w.svc))
	return srv
}

// call sends a request as user key of tenant f.
func call(t *testing.T, srv *web.Server, f *tenantFixture, key, method, path string, body any) (int, []byte) {
	t.Helper()
	return webtest.Call(t, srv, webtest.Caller{Tenant: f.id, User: f.users[key].ID}, method, path, body)
}

// Reference points in GCJ-02, as Amap shows them: Quancheng Square (Jinan), May Fourth Square
// (Qingdao), Tianhe Sports Centre (Guangzhou).
var (
	jinanGCJ     = geo.Point{Lat: 36.6618, Lon: 117.0205}
	qingdaoGCJ   = geo.Point{Lat: 36.0621, Lon: 120.3846}
	guangzhouGCJ = geo.Point{Lat: 23.1386, Lon: 113.3250}
)

func customerBody(name, owner string, region uuid.UUID, at geo.Point, grade string, f *tenantFixture) map[string]any {
	return map[string]any{"name": name, "grade": grade, "owner_id": f.users[owner].ID, "region_id": region,
		"location": map[string]any{"lat": at.Lat, "lon": at.Lon, "datum": "gcj02"},
		"fence":    map[string]any{"kind": "circle", "radius_m": 150}}
}

// square is a closed GeoJSON ring of side 2*d degrees around c, as [lon, lat] positions.
func square(c geo.Point, d float64) [][]float64 {
	return [][]float64{{c.Lon - d, c.Lat - d}, {c.Lon + d, c.Lat - d}, {c.Lon + d, c.Lat + d}, {c.Lon - d, c.Lat + d}, {c.Lon - d, c.Lat - d}}
}

func create(t *testing.T, srv *web.Server, f *tenantFixture, key string, body map[string]any) CustomerDTO {
	t.Helper()
	status, raw := call(t, srv, f, key, http.MethodPost, "/api/v1/customers", body)
	if status != http.StatusCreated {
		t.Fatalf("create as %s: %d %s", key, status, raw)
	}
	return webtest.Decode[CustomerDTO](t, raw)
}

func TestHTTPCreateConvertsGCJ02(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	srv := newServer(w)

	circle := create(t, srv, f, "rep.jinan.1", customerBody("Quancheng Pharmacy", "rep.jinan.1", f.regions["Jinan"].ID, jinanGCJ, "A", f))
	polyBody := customerBody("Qingdao Clinic", "rep.qingdao", f.regions["Qingdao"].ID, qingdaoGCJ, "B", f)
	ring := square(qingdaoGCJ, 0.002)
	polyBody["fence"] = map[string]any{"kind": "polygon", "datum": "gcj02",
		"polygon": map[string]any{"type": "Polygon", "coordinates": [][][]float64{ring}}}
	poly := create(t, srv, f, "mgr.shandong", polyBody)

	// Read back from the database, not from the create's answer.
	for _, c := range []struct {
		dto  CustomerDTO
		want geo.Point
	}{{circle, geo.FromGCJ02(jinanGCJ)}, {poly, geo.FromGCJ02(qingdaoGCJ)}} {
		status, raw := call(t, srv, f, "admin", http.MethodGet, "/api/v1/customers/"+c.dto.ID.String(), nil)
		got := webtest.Decode[CustomerDTO](t, raw)
		if status != http.StatusOK || got.Location.Datum != "wgs84" {
			t.Fatalf("get %s: %d %s", c.dto.Name, status, raw)
		}
		if d := geo.Distance(geo.Point{Lat: got.Location.Lat, Lon: got.Location.Lon}, c.want); d > 1 {
			t.Errorf("%s stored %.1f m from the WGS84 of its GCJ-02 location", got.Name, d)
		}
		// The GCJ-02 offset around these cities is hundreds of metres: storing the input unchanged fails.
		if d := geo.Distance(c.want, geo.ToGCJ02(c.want)); d < 100 {
			t.Fatalf("reference offset only %.1f m", d)
		}
	}
	if circle.Fence.Kind != "circle" || circle.Fence.RadiusM == nil || *circle.Fence.RadiusM != 150 || circle.Fence.Polygon != nil {
		t.Errorf("circle fence = %+v", circle.Fence)
	}
	status, raw := call(t, srv, f, "admin", http.MethodGet, "/api/v1/customers/"+poly.ID.String(), nil)
	stored := webtest.Decode[CustomerDTO](t, raw).Fence
	if status != http.StatusOK || stored.Kind != "polygon" || stored.Datum != "wgs84" || stored.Polygon == nil || len(stored.Polygon.Coordinates) != 1 {
		t.Fatalf("polygon fence: %d %s", status, raw)
	}
	got := stored.Polygon.Coordinates[0]
	if len(got) != len(ring) {
		t.Fatalf("polygon has %d positions, want %d", len(got), len(ring))
	}
	for i, v := range ring {
		want := geo.FromGCJ02(geo.Point{Lat: v[1], Lon: v[0]})
		if d := geo.Distance(geo.Point{Lat: got[i][1], Lon: got[i][0]}, want); d > 1 {
			t.Errorf("vertex %d stored %.1f m from the WGS84 of its GCJ-02 position", i, d)
		}
	}

	// A new GCJ-02 location moves the circle's customer; the answer is WGS84 again.
	moved := geo.Point{Lat: jinanGCJ.Lat + 0.01, Lon: jinanGCJ.Lon}
	status, raw = call(t, srv, f, "rep.jinan.1", http.MethodPatch, "/api/v1/customers/"+circle.ID.String(),
		map[string]any{"location": map[string]any{"lat": moved.Lat, "lon": moved.Lon, "datum": "gcj02"}, "grade": "C"})
	updated := webtest.Decode[CustomerDTO](t, raw)
	if status != http.StatusOK || updated.Grade != "C" || *updated.Fence.RadiusM != 150 ||
		geo.Distance(geo.Point{Lat: updated.Location.Lat, Lon: updated.Location.Lon}, geo.FromGCJ02(moved)) > 1 {
		t.Fatalf("move: %d %s", status, raw)
	}
}

func TestHTTPBadCustomerInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f, other := w.tenant(t, "acme"), w.tenant(t, "beta")
	srv := newServer(w)
	jinan := f.regions["Jinan"].ID
	with := func(change func(b map[string]any)) map[string]any {
		b := customerBody("Pharmacy", "rep.jinan.1", jinan, jinanGCJ, "A", f)
		change(b)
		return b
	}
	polygon := func(ring ...[]float64) map[string]any {
		return map[string]any{"kind": "polygon", "polygon": map[string]any{"type": "Polygon", "coordinates": [][][]float64{ring}}}
	}
	c := geo.FromGCJ02(jinanGCJ)
	cases := []struct {
		name           string
		body           map[string]any
		status         int
		code, location string
	}{
		{"latitude 91", with(func(b map[string]any) { b["location"] = map[string]any{"lat": 91, "lon": 117, "datum": "wgs84"} }), 400, "invalid_input", "body.location.lat"},
		{"longitude -181", with(func(b map[string]any) { b["location"] = map[string]any{"lat": 36, "lon": -181, "datum": "gcj02"} }), 400, "invalid_input", "body.location.lon"},
		{"unknown datum", with(func(b map[string]any) { b["location"] = map[string]any{"lat": 36, "lon": 117, "datum": "bd09"} }), 422, "", "body.location.datum"},
		{"zero radius", with(func(b map[string]any) { b["fence"] = map[string]any{"kind": "circle", "radius_m": 0} }), 400, "invalid_input", "body.fence.radius_m"},
		{"circle without radius", with(func(b map[string]any) { b["fence"] = map[string]any{"kind": "circle"} }), 400, "invalid_input", "body.fence.radius_m"},
		{"polygon without polygon", with(func(b map[string]any) { b["fence"] = map[string]any{"kind": "polygon"} }), 400, "invalid_input", "body.fence.polygon"},
		{"polygon not closed", with(func(b map[string]any) {
			b["fence"] = polygon([]float64{c.Lon, c.Lat}, []float64{c.Lon + 0.01, c.Lat}, []float64{c.Lon + 0.01, c.Lat + 0.01}, []float64{c.Lon, c.Lat + 0.01})
		}), 400, "invalid_input", "body.fence.polygon"},
		{"polygon self-intersects", with(func(b map[string]any) {
			b["fence"] = polygon([]float64{c.Lon, c.Lat}, []float64{c.Lon + 0.01, c.Lat + 0.01}, []float64{c.Lon + 0.01, c.Lat}, []float64{c.Lon, c.Lat + 0.01}, []float64{c.Lon, c.Lat})
		}), 400, "invalid_input", "body.fence.polygon"},
		{"polygon vertex off the globe", with(func(b map[string]any) {
			b["fence"] = polygon([]float64{c.Lon, c.Lat}, []float64{c.Lon, 95}, []float64{c.Lon + 0.01, c.Lat}, []float64{c.Lon, c.Lat})
		}), 400, "invalid_input", "body.fence.polygon"},
		{"bad grade", with(func(b map[string]any) { b["grade"] = "E" }), 422, "", "body.grade"},
		{"blank name", with(func(b map[string]any) { b["name"] = "  " }), 400, "invalid_input", "body.name"},
		{"owner is a manager", with(func(b map[string]any) { b["owner_id"] = f.users["mgr.shandong"].ID }), 400, "invalid_reference", "body.owner_id"},
		{"owner of another tenant", with(func(b map[string]any) { b["owner_id"] = other.users["rep.jinan.1"].ID }), 400, "invalid_reference", "body.owner_id"},
		{"unknown region", with(func(b map[string]any) { b["region_id"] = identity.NewID() }), 400, "invalid_reference", "body.region_id"},
		{"region of another tenant", with(func(b map[string]any) { b["region_id"] = other.regions["Jinan"].ID }), 400, "invalid_reference", "body.region_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, raw := call(t, srv, f, "admin", http.MethodPost, "/api/v1/customers", c.body)
			webtest.WantError(t, status, raw, c.status, c.code, c.location)
		})
	}
	if n := countCustomers(t, w, f); n != 0 {
		t.Errorf("bad requests stored %d customers", n)
	}
	// A rep may not place a customer outside their region.
	status, raw := call(t, srv, f, "rep.jinan.1", http.MethodPost, "/api/v1/customers",
		customerBody("Far away", "rep.guangdong", f.regions["Guangdong"].ID, guangzhouGCJ, "A", f))
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_reference", "body.owner_id")
	status, raw = call(t, srv, f, "rep.jinan.1", http.MethodPost, "/api/v1/customers",
		customerBody("Far away", "rep.jinan.1", f.regions["Guangdong"].ID, guangzhouGCJ, "A", f))
	webtest.WantError(t, status, raw, http.StatusForbidden, "forbidden", "")
}

func TestHTTPCustomerScoping(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f, other := w.tenant(t, "acme"), w.tenant(t, "beta")
	srv := newServer(w)
	ids := map[string]uuid.UUID{}
	for _, c := range []struct {
		name, owner, region, grade string
		at                         geo.Point
	}{
		{"Jinan One", "rep.jinan.1", "Jinan", "A", jinanGCJ},
		{"Jinan Two", "rep.jinan.2", "Jinan", "B", jinanGCJ},
		{"Qingdao Port", "rep.qingdao", "Qingdao", "A", qingdaoGCJ},
		{"Canton Tower Store", "rep.guangdong", "Guangdong", "C", guangzhouGCJ},
	} {
		ids[c.name] = create(t, srv, f, "admin", customerBody(c.name, c.owner, f.regions[c.region].ID, c.at, c.grade, f)).ID
	}
	list := func(key, query string) []string {
		t.Helper()
		status, raw := call(t, srv, f, key, http.MethodGet, "/api/v1/customers"+query, nil)
		if status != http.StatusOK {
			t.Fatalf("%s lists %s: %d %s", key, query, status, raw)
		}
		var names []string
		for _, c := range webtest.Decode[struct {
			Customers []CustomerDTO `json:"customers"`
		}](t, raw).Customers {
			names = append(names, c.Name)
		}
		slices.Sort(names)
		return names
	}
	for _, c := range []struct {
		key, query string
		want       []string
	}{
		{"rep.jinan.1", "", []string{"Jinan One"}},
		{"rep.qingdao", "", []string{"Qingdao Port"}},
		{"mgr.shandong", "", []string{"Jinan One", "Jinan Two", "Qingdao Port"}},
		{"mgr.guangdong", "", []string{"Canton Tower Store"}},
		{"analyst", "", []string{"Canton Tower Store", "Jinan One", "Jinan Two", "Qingdao Port"}},
		{"admin", "?region_id=" + f.regions["Jinan"].ID.String(), []string{"Jinan One", "Jinan Two"}},
		{"admin", "?grade=A", []string{"Jinan One", "Qingdao Port"}},
		{"admin", "?q=PORT", []string{"Qingdao Port"}},
		{"admin", "?owner_id=" + f.users["rep.jinan.2"].ID.String(), []string{"Jinan Two"}},
		{"mgr.shandong", "?region_id=" + f.regions["Guangdong"].ID.String(), nil},
	} {
		if d := cmp.Diff(c.want, list(c.key, c.query)); d != "" {
			t.Errorf("%s lists %q (-want +got):\n%s", c.key, c.query, d)
		}
	}

	// Pages of two follow the cursor through all four, oldest first.
	var seen []string
	cursor := ""
	for range 3 {
		status, raw := call(t, srv, f, "admin", http.MethodGet, "/api/v1/customers?limit=2"+cursor, nil)
		page := webtest.Decode[struct {
			Customers  []CustomerDTO `json:"customers"`
			NextCursor *uuid.UUID    `json:"next_cursor"`
		}](t, raw)
		if status != http.StatusOK {
			t.Fatalf("page: %d %s", status, raw)
		}
		for _, c := range page.Customers {
			seen = append(seen, c.Name)
		}
		if page.NextCursor == nil {
			break
		}
		cursor = "&cursor=" + page.NextCursor.String()
	}
	if d := cmp.Diff([]string{"Jinan One", "Jinan Two", "Qingdao Port", "Canton Tower Store"}, seen); d != "" {
		t.Errorf("paged (-want +got):\n%s", d)
	}

	path := func(name string) string { return "/api/v1/customers/" + ids[name].String() }
	for _, c := range []struct{ who, target string }{{"rep.jinan.1", "Jinan Two"}, {"mgr.guangdong", "Jinan One"}, {"rep.guangdong", "Qingdao Port"}} {
		status, raw := call(t, srv, f, c.who, http.MethodGet, path(c.target), nil)
		webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
		status, raw = call(t, srv, f, c.who, http.MethodPatch, path(c.target), map[string]any{"name": "Taken"})
		webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
	}
	// Another tenant's admin sees none of these ids, whatever the method.
	for _, m := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
		var body any
		if m == http.MethodPatch {
			body = map[string]any{"name": "Taken"}
		}
		status, raw := call(t, srv, other, "admin", m, path("Jinan One"), body)
		webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
	}

	// A rep keeps their own customer but cannot give it away or delete it.
	status, raw := call(t, srv, f, "rep.jinan.1", http.MethodPatch, path("Jinan One"), map[string]any{"phone": "+86 531 1234 5678"})
	if got := webtest.Decode[CustomerDTO](t, raw); status != http.StatusOK || got.Phone != "+86 531 1234 5678" {
		t.Fatalf("rep updates own customer: %d %s", status, raw)
	}
	// A rep cannot see another rep's user record, so naming them is an invalid reference.
	status, raw = call(t, srv, f, "rep.jinan.1", http.MethodPatch, path("Jinan One"), map[string]any{"owner_id": f.users["rep.jinan.2"].ID})
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_reference", "body.owner_id")
	status, raw = call(t, srv, f, "rep.jinan.1", http.MethodDelete, path("Jinan One"), nil)
	webtest.WantError(t, status, raw, http.StatusForbidden, "forbidden", "")
	// Nor move it out of their region: they may place customers only where they may add them.
	status, raw = call(t, srv, f, "rep.jinan.1", http.MethodPatch, path("Jinan One"), map[string]any{"region_id": f.regions["Guangdong"].ID})
	webtest.WantError(t, status, raw, http.StatusForbidden, "forbidden", "")
	// A manager cannot move a customer out of their subtree.
	status, raw = call(t, srv, f, "mgr.shandong", http.MethodPatch, path("Jinan One"), map[string]any{"region_id": f.regions["Guangdong"].ID})
	webtest.WantError(t, status, raw, http.StatusForbidden, "forbidden", "")
	// The manager hands it over within the subtree; the admin deletes it.
	status, raw = call(t, srv, f, "mgr.shandong", http.MethodPatch, path("Jinan One"), map[string]any{"owner_id": f.users["rep.qingdao"].ID, "region_id": f.regions["Qingdao"].ID})
	if status != http.StatusOK {
		t.Fatalf("manager reassigns: %d %s", status, raw)
	}
	if d := cmp.Diff([]string{"Jinan One", "Qingdao Port"}, list("rep.qingdao", "")); d != "" {
		t.Errorf("after the handover rep.qingdao lists (-want +got):\n%s", d)
	}
	if status, raw = call(t, srv, f, "admin", http.MethodDelete, path("Jinan One"), nil); status != http.StatusNoContent {
		t.Fatalf("admin deletes: %d %s", status, raw)
	}
	status, raw = call(t, srv, f, "admin", http.MethodGet, path("Jinan One"), nil)
	webtest.WantError(t, status, raw, http.StatusNotFound, "not_found", "")
	if !strings.Contains(string(raw), "customer") {
		t.Errorf("not-found message %s does not name the customer", raw)
	}
}

// A customers list carries each customer's last visit (by anyone, the rejected ones left out), so
// that a page shows when each is due without asking per row.
func TestHTTPCustomerListCarriesTheLastVisit(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	srv := newServer(w)
	visited := create(t, srv, f, "rep.jinan.1", shopBody(f))
	never := create(t, srv, f, "rep.jinan.1", customerBody("Never Visited", "rep.jinan.1", f.regions["Jinan"].ID, jinanGCJ, "B", f))
	now := time.Now().UTC().Truncate(time.Second)
	first := checkIn(t, srv, f, "rep.jinan.1", checkInBody(visited.ID, shop, 10, now.Add(-2*time.Hour)), http.StatusCreated)
	status, raw := call(t, srv, f, "rep.jinan.1", http.MethodPost, "/api/v1/visits/"+first.ID.String()+"/checkout",
		map[string]any{"location": map[string]any{"lat": shop.Lat, "lon": shop.Lon, "datum": "wgs84"}, "accuracy": 10, "device_time": now.Add(-time.Hour)})
	if status != http.StatusOK {
		t.Fatalf("check-out: %d %s", status, raw)
	}
	// An outside check-in (suspicious) that the manager rejects does not count.
	fake := checkIn(t, srv, f, "rep.jinan.1", checkInBody(visited.ID, offset(shop, 900, 0), 10, now), http.StatusCreated)
	if status, raw := call(t, srv, f, "mgr.shandong", http.MethodPost, "/api/v1/visits/"+fake.ID.String()+"/review",
		map[string]any{"decision": "rejected", "comment": "not at the shop"}); status != http.StatusOK {
		t.Fatalf("reject: %d %s", status, raw)
	}

	status, raw = call(t, srv, f, "rep.jinan.1", http.MethodGet, "/api/v1/customers", nil)
	if status != http.StatusOK {
		t.Fatalf("list: %d %s", status, raw)
	}
	last := map[uuid.UUID]*time.Time{}
	for _, c := range webtest.Decode[CustomerPageDTO](t, raw).Customers {
		last[c.ID] = c.LastVisitAt
	}
	if got := last[visited.ID]; got == nil || !got.Equal(first.StartedAt) {
		t.Errorf("the visited shop's last visit = %v, want the first check-in's start %v", got, first.StartedAt)
	}
	if got, listed := last[never.ID]; !listed || got != nil {
		t.Errorf("the shop never visited: listed %v, last visit %v; want listed with none", listed, got)
	}
}
