package visits

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/blob"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/web"
	"github.com/repflow/repflow/platform/web/webtest"
)

func checkInBody(customer uuid.UUID, at geo.Point, accuracy float64, deviceTime time.Time) map[string]any {
	return map[string]any{"id": identity.NewID(), "customer_id": customer,
		"location": map[string]any{"lat": at.Lat, "lon": at.Lon, "datum": "wgs84"}, "accuracy": accuracy,
		"device_time": deviceTime, "provider": "gps", "notes": "talked about the summer promotion"}
}

func checkIn(t *testing.T, srv *web.Server, f *tenantFixture, key string, body map[string]any, want int) VisitDTO {
	t.Helper()
	status, raw := call(t, srv, f, key, http.MethodPost, "/api/v1/visits/checkin", body)
	if status != want {
		t.Fatalf("check-in as %s: %d %s, want %d", key, status, raw, want)
	}
	return webtest.Decode[VisitDTO](t, raw)
}

func codes(v VisitDTO) []string {
	out := make([]string, len(v.Reasons))
	for i, r := range v.Reasons {
		out[i] = r.Code + ":" + r.Severity
	}
	return out
}

// Each fraud reason, each from a fresh tenant (so one case's history cannot explain another's
// verdict): the verdict names it, and a blocking reason sends the visit to the review queue.
func TestCheckInVerdicts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	srv := newServer(w)
	now := time.Now().UTC()
	track := func(f *tenantFixture, at time.Time, p geo.Point) { postTrack(t, srv, f, "rep.jinan.1", walk(at, p)) }
	for i, tc := range []struct {
		name    string
		before  func(f *tenantFixture, c CustomerDTO) // the rep's earlier history, when the reason needs one
		body    func(c CustomerDTO) map[string]any
		want    string
		trusted bool
	}{
		{name: "clean", want: "", trusted: true,
			before: func(f *tenantFixture, _ CustomerDTO) { track(f, now.Add(-10*time.Minute), offset(shop, 0, 2000)) },
			body:   func(c CustomerDTO) map[string]any { return checkInBody(c.ID, offset(shop, 30, 0), 12, now) }},
		{name: "outside the fence", want: "outside_fence:block",
			body: func(c CustomerDTO) map[string]any { return checkInBody(c.ID, offset(shop, 900, 0), 10, now) }},
		{name: "mock location", want: "mock_location:block", body: func(c CustomerDTO) map[string]any {
			b := checkInBody(c.ID, shop, 10, now)
			b["mock"] = true
			return b
		}},
		{name: "teleport", want: "teleport:block",
			before: func(f *tenantFixture, _ CustomerDTO) { track(f, now.Add(-time.Minute), offset(shop, 0, 50_000)) },
			body:   func(c CustomerDTO) map[string]any { return checkInBody(c.ID, shop, 10, now) }},
		{name: "impossible speed", want: "impossible_speed:block",
			before: func(f *tenantFixture, _ CustomerDTO) { track(f, now.Add(-30*time.Minute), offset(shop, 0, 180_000)) },
			body:   func(c CustomerDTO) map[string]any { return checkInBody(c.ID, shop, 10, now) }},
		{name: "replayed fix", want: "replayed_fix:block",
			before: func(f *tenantFixture, c CustomerDTO) {
				checkIn(t, srv, f, "rep.jinan.1", checkInBody(c.ID, offset(shop, 30, 0), 12, now.Add(-3*time.Hour)), http.StatusCreated)
			},
			// The same point and accuracy as three hours ago, to the centimetre.
			body: func(c CustomerDTO) map[string]any { return checkInBody(c.ID, offset(shop, 30, 0), 12, now) }},
		{name: "clock two hours ahead", want: "clock_skew:block",
			body: func(c CustomerDTO) map[string]any { return checkInBody(c.ID, shop, 10, now.Add(2*time.Hour)) }},
		{name: "poor accuracy", want: "poor_accuracy:warn", trusted: true,
			body: func(c CustomerDTO) map[string]any { return checkInBody(c.ID, offset(shop, 3, 3), 250, now) }},
		{name: "stale fix", want: "stale_fix:warn", trusted: true,
			body: func(c CustomerDTO) map[string]any {
				return checkInBody(c.ID, offset(shop, -4, 2), 10, now.Add(-25*time.Minute))
			}},
	} {
		f := w.tenant(t, fmt.Sprintf("case%d", i))
		c := create(t, srv, f, "rep.jinan.1", shopBody(f))
		if tc.before != nil {
			tc.before(f, c)
		}
		v := checkIn(t, srv, f, "rep.jinan.1", tc.body(c), http.StatusCreated)
		got := codes(v)
		if (tc.want == "" && len(got) != 0) || (tc.want != "" && !slices.Contains(got, tc.want)) || v.Trusted != tc.trusted {
			t.Errorf("%s: trusted %v, reasons %v; want %q and trusted %v", tc.name, v.Trusted, got, tc.want, tc.trusted)
		}
		wantReview := "pending"
		if tc.trusted {
			wantReview = "none"
		}
		if v.ReviewStatus != wantReview {
			t.Errorf("%s: review status %s, want %s", tc.name, v.ReviewStatus, wantReview)
		}
		if tc.want == "" && (v.DistanceM == nil || *v.DistanceM > -60) {
			t.Errorf("%s: distance %v, want inside by about 70 m", tc.name, v.DistanceM)
		}
		// The verdict is stored, not recomputed: read it back.
		status, raw := call(t, srv, f, "rep.jinan.1", http.MethodGet, "/api/v1/visits/"+v.ID.String(), nil)
		if stored := webtest.Decode[VisitDTO](t, raw); status != http.StatusOK || !slices.Equal(codes(stored), got) {
			t.Errorf("%s: stored verdict %v, answered %v", tc.name, codes(stored), got)
		}
	}
}

// A retried check-in returns the first visit; the review queue, check-out, revisions and photos
// follow the rules; and visits are scoped like their reps.
func TestVisitLifecycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.svc.opts.Photos = mustDisk(t)
	f := w.tenant(t, "acme")
	srv := newServer(w)
	c := create(t, srv, f, "rep.jinan.1", shopBody(f))
	now := time.Now().UTC()

	body := checkInBody(c.ID, offset(shop, 800, 0), 10, now) // outside: suspicious
	v := checkIn(t, srv, f, "rep.jinan.1", body, http.StatusCreated)
	if again := checkIn(t, srv, f, "rep.jinan.1", body, http.StatusOK); again.ID != v.ID {
		t.Fatalf("retried check-in made visit %s, want %s", again.ID, v.ID)
	}
	if n := len(visitRows(t, w, f)); n != 1 {
		t.Fatalf("%d visits after a retried check-in, want 1", n)
	}
	path := "/api/v1/visits/" + v.ID.String()

	// Scope: the rep's colleague and the other region's manager do not see it.
	for key, want := range map[string]int{"rep.jinan.1": 200, "mgr.shandong": 200, "analyst": 200, "rep.jinan.2": 404, "mgr.guangdong": 404} {
		if status, raw := call(t, srv, f, key, http.MethodGet, path, nil); status != want {
			t.Errorf("get visit as %s: %d %s, want %d", key, status, raw, want)
		}
	}
	for key, want := range map[string]int{"mgr.shandong": 1, "mgr.guangdong": 0, "analyst": 1} {
		status, raw := call(t, srv, f, key, http.MethodGet, "/api/v1/reviews", nil)
		if got := webtest.Decode[VisitPageDTO](t, raw); status != http.StatusOK || len(got.Visits) != want {
			t.Errorf("review queue as %s: %d %s, want %d visits", key, status, raw, want)
		}
	}
	if status, _ := call(t, srv, f, "rep.jinan.1", http.MethodGet, "/api/v1/reviews", nil); status != http.StatusForbidden {
		t.Errorf("review queue as a rep: %d, want 403", status)
	}

	// Photos while open: stored once however often sent.
	jpeg := append([]byte{0xff, 0xd8, 0xff, 0xe0}, bytes.Repeat([]byte("shelf"), 100)...)
	photo := postPhoto(t, srv, f, "rep.jinan.1", v.ID, "image/jpeg", jpeg, http.StatusCreated)
	if again := postPhoto(t, srv, f, "rep.jinan.1", v.ID, "image/jpeg", jpeg, http.StatusCreated); again.SHA256 != photo.SHA256 {
		t.Fatalf("the same photo twice got hashes %s and %s", photo.SHA256, again.SHA256)
	}
	postPhoto(t, srv, f, "rep.jinan.1", v.ID, "image/png", jpeg, http.StatusBadRequest)
	status, raw := call(t, srv, f, "mgr.shandong", http.MethodGet, path+"/photos/"+photo.SHA256, nil)
	if status != http.StatusOK || !bytes.Equal(raw, jpeg) {
		t.Fatalf("photo as the manager: %d, %d bytes; want the %d bytes sent", status, len(raw), len(jpeg))
	}
	if status, _ := call(t, srv, f, "rep.jinan.2", http.MethodGet, path+"/photos/"+photo.SHA256, nil); status != http.StatusNotFound {
		t.Fatalf("photo as a colleague: %d, want 404", status)
	}

	// Check-out: once; a retry answers the same; the notes become revision 2.
	out := map[string]any{"location": map[string]any{"lat": shop.Lat, "lon": shop.Lon, "datum": "wgs84"}, "accuracy": 8,
		"device_time": now.Add(20 * time.Minute).Add(-time.Hour), "notes": "ordered 20 cases"}
	status, raw = call(t, srv, f, "rep.jinan.1", http.MethodPost, path+"/checkout", out)
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_input", "body.device_time") // before the check-in
	out["device_time"] = now.Add(time.Second)
	if status, raw := call(t, srv, f, "mgr.shandong", http.MethodPost, path+"/checkout", out); status != http.StatusForbidden {
		t.Fatalf("check-out by the manager: %d %s, want 403", status, raw)
	}
	status, raw = call(t, srv, f, "rep.jinan.1", http.MethodPost, path+"/checkout", out)
	closed := webtest.Decode[VisitDTO](t, raw)
	if status != http.StatusOK || closed.Status != "closed" || closed.Revision != 2 || closed.Notes != "ordered 20 cases" || closed.DurationS == nil {
		t.Fatalf("check-out: %d %s", status, raw)
	}
	if status, raw := call(t, srv, f, "rep.jinan.1", http.MethodPost, path+"/checkout", out); status != http.StatusOK {
		t.Fatalf("retried check-out: %d %s, want 200", status, raw)
	}
	out["device_time"] = now.Add(2 * time.Second)
	status, raw = call(t, srv, f, "rep.jinan.1", http.MethodPost, path+"/checkout", out)
	webtest.WantError(t, status, raw, http.StatusConflict, "visit_closed", "")
	postPhoto(t, srv, f, "rep.jinan.1", v.ID, "image/jpeg", append(jpeg, 1), http.StatusConflict)

	// Corrections are revisions; the earlier versions stay.
	status, raw = call(t, srv, f, "rep.jinan.1", http.MethodPost, path+"/revisions", map[string]any{"notes": "ordered 24 cases", "reason": "miscounted"})
	if status != http.StatusCreated || webtest.Decode[VisitDTO](t, raw).Revision != 3 {
		t.Fatalf("correction: %d %s", status, raw)
	}
	status, raw = call(t, srv, f, "mgr.shandong", http.MethodGet, path+"/revisions", nil)
	revs := webtest.Decode[RevisionsDTO](t, raw).Revisions
	if status != http.StatusOK || len(revs) != 3 || revs[0].Notes != "talked about the summer promotion" || revs[2].Reason != "miscounted" {
		t.Fatalf("revisions: %d %s", status, raw)
	}

	// Review: a reason is needed to reject; a rep reviews nothing; one decision per visit.
	status, raw = call(t, srv, f, "mgr.shandong", http.MethodPost, path+"/review", map[string]any{"decision": "rejected"})
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_input", "body.comment")
	if status, _ := call(t, srv, f, "rep.jinan.1", http.MethodPost, path+"/review", map[string]any{"decision": "accepted"}); status != http.StatusForbidden {
		t.Fatalf("review by the rep: %d, want 403", status)
	}
	if status, _ := call(t, srv, f, "mgr.guangdong", http.MethodPost, path+"/review", map[string]any{"decision": "accepted"}); status != http.StatusNotFound {
		t.Fatalf("review by another region's manager: %d, want 404", status)
	}
	status, raw = call(t, srv, f, "mgr.shandong", http.MethodPost, path+"/review", map[string]any{"decision": "rejected", "comment": "800 m from the shop"})
	if status != http.StatusOK || webtest.Decode[VisitDTO](t, raw).ReviewStatus != "rejected" {
		t.Fatalf("rejection: %d %s", status, raw)
	}
	status, raw = call(t, srv, f, "mgr.shandong", http.MethodPost, path+"/review", map[string]any{"decision": "accepted"})
	webtest.WantError(t, status, raw, http.StatusConflict, "not_pending", "")
	status, raw = call(t, srv, f, "rep.jinan.1", http.MethodGet, path+"/reviews", nil)
	if got := webtest.Decode[ReviewsDTO](t, raw).Reviews; status != http.StatusOK || len(got) != 1 || got[0].Comment != "800 m from the shop" {
		t.Fatalf("reviews as the rep: %d %s", status, raw)
	}

	// A visited customer stays: its visits are the record of work done.
	status, raw = call(t, srv, f, "admin", http.MethodDelete, "/api/v1/customers/"+c.ID.String(), nil)
	webtest.WantError(t, status, raw, http.StatusConflict, "customer_has_visits", "")

	// Lists are scoped like single reads.
	for key, want := range map[string]int{"rep.jinan.1": 1, "rep.jinan.2": 0, "mgr.shandong": 1, "mgr.guangdong": 0} {
		status, raw := call(t, srv, f, key, http.MethodGet, "/api/v1/visits", nil)
		if got := webtest.Decode[VisitPageDTO](t, raw); status != http.StatusOK || len(got.Visits) != want {
			t.Errorf("visits as %s: %d, %d visits; want %d", key, status, len(got.Visits), want)
		}
	}
	checkRollups(t, w, f, time.UTC)
}

// A check-in where the track already opened an automatic visit confirms that visit.
func TestCheckInConfirmsAutomaticVisit(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	srv := newServer(w)
	c := create(t, srv, f, "rep.jinan.1", shopBody(f))
	start := time.Now().UTC().Add(-10 * time.Minute).Truncate(time.Second)
	res := postTrack(t, srv, f, "rep.jinan.1", walk(start, repeat(offset(shop, 10, 10), 12)...))
	if len(res.OpenedVisits) != 1 {
		t.Fatalf("track opened %v, want one automatic visit", res.OpenedVisits)
	}
	v := checkIn(t, srv, f, "rep.jinan.1", checkInBody(c.ID, offset(shop, -5, 0), 10, time.Now().UTC()), http.StatusCreated)
	if v.ID != res.OpenedVisits[0] || v.Source != "checkin" || !v.StartedAt.Equal(start) || v.Revision != 1 {
		t.Fatalf("check-in made %s (%s from %s, revision %d); want the automatic visit %s from %s confirmed",
			v.ID, v.Source, v.StartedAt, v.Revision, res.OpenedVisits[0], start)
	}
	if n := len(visitRows(t, w, f)); n != 1 {
		t.Fatalf("%d visits, want 1", n)
	}
}

func mustDisk(t *testing.T) *blob.Disk {
	d, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func postPhoto(t *testing.T, srv *web.Server, f *tenantFixture, key string, visit uuid.UUID, contentType string, content []byte, want int) PhotoDTO {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/visits/"+visit.String()+"/photos", bytes.NewReader(content))
	req.Header.Set("Content-Type", contentType)
	webtest.Caller{Tenant: f.id, User: f.users[key].ID}.Sign(req)
	resp, err := srv.App.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw := new(bytes.Buffer)
	_, _ = raw.ReadFrom(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("photo as %s: %d %s, want %d", key, resp.StatusCode, raw, want)
	}
	if want != http.StatusCreated {
		return PhotoDTO{}
	}
	return webtest.Decode[PhotoDTO](t, raw.Bytes())
}

// A rep who checked in and out within the first minutes of a stay, and lingers, gets no second,
// automatic visit for the same stay.
func TestNoAutomaticVisitAfterCheckOutInTheSameStay(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	srv := newServer(w)
	c := create(t, srv, f, "rep.jinan.1", shopBody(f))
	now := time.Now().UTC().Truncate(time.Second)
	start := now.Add(-4 * time.Minute)
	postTrack(t, srv, f, "rep.jinan.1", walk(start, offset(shop, 600, 0), shop))
	v := checkIn(t, srv, f, "rep.jinan.1", checkInBody(c.ID, shop, 10, now), http.StatusCreated)
	status, raw := call(t, srv, f, "rep.jinan.1", http.MethodPost, "/api/v1/visits/"+v.ID.String()+"/checkout",
		map[string]any{"location": map[string]any{"lat": shop.Lat, "lon": shop.Lon, "datum": "wgs84"}, "accuracy": 10, "device_time": now})
	if status != http.StatusOK {
		t.Fatalf("check-out: %d %s", status, raw)
	}
	res := postTrack(t, srv, f, "rep.jinan.1", walk(start.Add(90*time.Second), repeat(shop, 14)...))
	if len(res.OpenedVisits) != 0 || len(visitRows(t, w, f)) != 1 {
		t.Fatalf("lingering after check-out opened %v (%d visits), want nothing new", res.OpenedVisits, len(visitRows(t, w, f)))
	}
}

// A phone standing still at the shop repeats its fix to the digit; checking in with that same
// fix a few minutes later is honest, not a replay.
func TestCheckInWithTheStillPhonesRepeatedFixIsTrusted(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	srv := newServer(w)
	c := create(t, srv, f, "rep.jinan.1", shopBody(f))
	now := time.Now().UTC()
	still := offset(shop, 12, -7)
	postTrack(t, srv, f, "rep.jinan.1", walk(now.Add(-5*time.Minute), repeat(still, 6)...))
	if v := checkIn(t, srv, f, "rep.jinan.1", checkInBody(c.ID, still, 10, now), http.StatusCreated); !v.Trusted {
		t.Fatalf("check-in with the phone's repeated fix: reasons %v, want trusted", codes(v))
	}
}
