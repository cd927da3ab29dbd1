package visits

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/rollup"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/platform/web"
	"github.com/repflow/repflow/platform/web/webtest"
)

// drillWorld is a tenant in Shanghai (UTC+8) whose rows the tests write directly, with a
// service on the tenant's zone and its API.
type drillWorld struct {
	*metricsWorld
	srv       *web.Server
	customers []customerRow
	visits    []visitRow
}

func newDrillWorld(t *testing.T) *drillWorld {
	mw := newMetricsWorld(t, metricsSize{}, 1)
	mw.svc = NewService(mw.w.s, mw.w.w, Options{TimeZone: mw.w.org.TimeZone, Now: func() time.Time { return metricsNow }})
	srv := web.New(web.Options{Authenticate: webtest.Authenticate(mw.w.org.Principal)})
	srv.Mount(NewHTTP(mw.svc))
	return &drillWorld{metricsWorld: mw, srv: srv}
}

// customer adds a customer of owner's in region, created at created.
func (dw *drillWorld) customer(t *testing.T, owner string, region string, grade Grade, created time.Time) customerRow {
	t.Helper()
	at := offset(shop, float64(100*len(dw.customers)), 0)
	r, err := toRow(Customer{ID: identity.NewID(), Name: fmt.Sprintf("Shop %d", len(dw.customers)), Grade: grade,
		OwnerID: dw.f.users[owner].ID, RegionID: dw.f.regions[region].ID, Location: at, Fence: geo.Circle{Center: at, Radius: 100},
		CreatedAt: created, UpdatedAt: created})
	if err != nil {
		t.Fatal(err)
	}
	dw.customers = append(dw.customers, r)
	return r
}

// visit adds a closed visit of rep's to c, begun at start.
func (dw *drillWorld) visit(rep string, c customerRow, start time.Time, review ReviewStatus) {
	end := start.Add(10 * time.Minute)
	dw.visits = append(dw.visits, visitRow{ID: identity.NewID(), RepID: dw.f.users[rep].ID, CustomerID: c.ID, RegionID: c.RegionID,
		Source: string(SourceCheckIn), Status: string(VisitClosed), StartedAt: start, EndedAt: &end, Trusted: true, Verdict: "ok",
		ReviewStatus: string(review), Revision: 1, CreatedAt: start, UpdatedAt: end})
}

// save writes the rows and rebuilds the rollups from them, as after a bulk load.
func (dw *drillWorld) save(t *testing.T) {
	t.Helper()
	dw.insert(t, "customers", dw.customers)
	if len(dw.visits) > 0 {
		dw.insert(t, "visits", dw.visits)
	}
	sys := identity.System(context.Background(), dw.f.id)
	if err := rollup.Request(sys, dw.w.s, rollup.Visits); err != nil {
		t.Fatal(err)
	}
	if err := dw.svc.RebuildRollups(sys); err != nil {
		t.Fatal(err)
	}
}

// get answers a GET as user key, which must succeed.
func get[T any](t *testing.T, dw *drillWorld, key, path string) T {
	t.Helper()
	status, raw := webtest.Call(t, dw.srv, webtest.Caller{Tenant: dw.f.id, User: dw.f.users[key].ID}, http.MethodGet, path, nil)
	if status != http.StatusOK {
		t.Fatalf("GET %s as %s: %d %s", path, key, status, raw)
	}
	return webtest.Decode[T](t, raw)
}

// coverage lists, page by page of two, the customers due of rep's coverage over the days, as key.
func (dw *drillWorld) coverage(t *testing.T, key, rep, from, to string) map[uuid.UUID]bool {
	t.Helper()
	out := map[uuid.UUID]bool{}
	q := url.Values{"rep_id": {dw.f.users[rep].ID.String()}, "from": {from}, "to": {to}, "limit": {"2"}}
	for {
		page := get[VisitCoveragePageDTO](t, dw, key, "/api/v1/visit-coverage?"+q.Encode())
		for _, c := range page.Customers {
			if _, twice := out[c.CustomerID]; twice {
				t.Fatalf("customer %s listed twice", c.CustomerID)
			}
			out[c.CustomerID] = c.Covered
		}
		if page.NextCursor == nil {
			return out
		}
		q.Set("cursor", page.NextCursor.String())
	}
}

// The coverage of rep.jinan.1 drills down to exactly the customers it counts, over a week (A
// always due, B to D judged by their last visit) and over a month from the rollups (D judged),
// with the period's edges at midnight in Shanghai.
func TestCoverageListsTheCustomersDue(t *testing.T) {
	t.Parallel()
	dw := newDrillWorld(t)
	sh := func(m, d, h, min, s int) time.Time {
		return time.Date(2026, time.Month(m), d, h, min, s, 0, time.FixedZone("CST", 8*3600)).UTC()
	}
	created := sh(9, 1, 9, 0, 0)
	c := func(grade Grade) customerRow { return dw.customer(t, "rep.jinan.1", "Jinan", grade, created) }
	// The week of 5 to 11 October (Shanghai): [2026-10-04T16:00Z, 2026-10-11T16:00Z).
	atStart, beforeStart := c(GradeA), c(GradeA)
	lastInstant, atEnd := c(GradeA), c(GradeA)
	byColleague, rejected := c(GradeA), c(GradeA)
	dw.visit("rep.jinan.1", atStart, sh(10, 5, 0, 0, 0), ReviewNone)        // in: covered
	dw.visit("rep.jinan.1", beforeStart, sh(10, 4, 23, 59, 59), ReviewNone) // before the week: due, not covered
	dw.visit("rep.jinan.1", lastInstant, sh(10, 11, 23, 59, 59), ReviewNone)
	dw.visit("rep.jinan.1", atEnd, sh(10, 12, 0, 0, 0), ReviewNone) // after the week
	dw.visit("rep.jinan.2", byColleague, sh(10, 6, 10, 0, 0), ReviewNone)
	dw.visit("rep.jinan.1", rejected, sh(10, 6, 11, 0, 0), ReviewRejected)
	// B every 14 days, C every 30: due on the week's last day (11 October) when last visited
	// 27 September, or 11 September; not a day later.
	bDue, bNotDue, bNever := c(GradeB), c(GradeB), c(GradeB)
	dw.visit("rep.jinan.1", bDue, sh(9, 27, 23, 30, 0), ReviewNone)
	dw.visit("rep.jinan.1", bDue, sh(10, 7, 9, 0, 0), ReviewNone) // covered
	dw.visit("rep.jinan.1", bNotDue, sh(9, 28, 0, 0, 0), ReviewNone)
	cDue, cNotDue := c(GradeC), c(GradeC)
	dw.visit("rep.jinan.1", cDue, sh(9, 11, 9, 0, 0), ReviewNone)
	dw.visit("rep.jinan.1", cNotDue, sh(9, 12, 0, 0, 0), ReviewNone)
	// D every 60 days: due in the month of October unless seen since 2 September.
	dDue, dNotDue := c(GradeD), c(GradeD)
	dw.visit("rep.jinan.1", dDue, sh(8, 31, 9, 0, 0), ReviewNone)
	dw.visit("rep.jinan.1", dNotDue, sh(9, 2, 9, 0, 0), ReviewNone)
	dw.visit("rep.jinan.1", dNotDue, sh(10, 31, 23, 59, 0), ReviewNone)
	// Other reps' customers, one out of mgr.shandong's sight.
	colleagues := dw.customer(t, "rep.jinan.2", "Jinan", GradeA, created)
	dw.visit("rep.jinan.1", colleagues, sh(10, 6, 9, 0, 0), ReviewNone)
	guangdong := dw.customer(t, "rep.guangdong", "Guangdong", GradeA, created)
	dw.save(t)

	week := map[uuid.UUID]bool{atStart.ID: true, beforeStart.ID: false, lastInstant.ID: true, atEnd.ID: false, byColleague.ID: false,
		rejected.ID: false, bDue.ID: true, bNever.ID: false, cDue.ID: false}
	// Over October every A, B and C is due; the D seen on 31 August too, and the last instant's
	// and the one at the week's end are covered in the month.
	month := map[uuid.UUID]bool{atStart.ID: true, beforeStart.ID: true, lastInstant.ID: true, atEnd.ID: true, byColleague.ID: false,
		rejected.ID: false, bDue.ID: true, bNotDue.ID: false, bNever.ID: false, cDue.ID: false, cNotDue.ID: false, dDue.ID: false}
	for _, tc := range []struct {
		from, to string
		want     map[uuid.UUID]bool
	}{{"2026-10-05", "2026-10-12", week}, {"2026-10-01", "2026-11-01", month}} {
		got := dw.coverage(t, "mgr.shandong", "rep.jinan.1", tc.from, tc.to)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s to %s: customers due (-want +got):\n%s", tc.from, tc.to, diff)
		}
		ms, err := dw.svc.Metrics(dw.f.as(t, "mgr.shandong"), MetricsQuery{From: tc.from, To: tc.to, RepIDs: []uuid.UUID{dw.f.users["rep.jinan.1"].ID}})
		if err != nil || len(ms) != 1 {
			t.Fatalf("metrics: %v %+v", err, ms)
		}
		covered := 0
		for _, c := range got {
			if c {
				covered++
			}
		}
		if ms[0].CustomersDue != len(got) || ms[0].CustomersCovered != covered {
			t.Errorf("%s to %s: the figure counts %d of %d, the list holds %d of %d", tc.from, tc.to,
				ms[0].CustomersCovered, ms[0].CustomersDue, covered, len(got))
		}
	}
	// The rep sees their own; a colleague, and a manager of another region, see none of them.
	if got := dw.coverage(t, "rep.jinan.1", "rep.jinan.1", "2026-10-05", "2026-10-12"); len(got) != len(week) {
		t.Errorf("the rep's own coverage lists %d customers, want %d", len(got), len(week))
	}
	for _, key := range []string{"rep.jinan.2", "mgr.guangdong"} {
		if got := dw.coverage(t, key, "rep.jinan.1", "2026-10-05", "2026-10-12"); len(got) != 0 {
			t.Errorf("%s sees rep.jinan.1's coverage: %v", key, got)
		}
	}
	if got := dw.coverage(t, "mgr.shandong", "rep.guangdong", "2026-10-05", "2026-10-12"); len(got) != 0 {
		t.Errorf("mgr.shandong sees rep.guangdong's coverage: %v", got)
	}
	if got := dw.coverage(t, "mgr.guangdong", "rep.guangdong", "2026-10-05", "2026-10-12"); !cmp.Equal(got, map[uuid.UUID]bool{guangdong.ID: false}) {
		t.Errorf("mgr.guangdong's view of rep.guangdong's coverage: %v", got)
	}
	status, raw := webtest.Call(t, dw.srv, webtest.Caller{Tenant: dw.f.id, User: dw.f.users["mgr.shandong"].ID}, http.MethodGet,
		"/api/v1/visit-coverage?rep_id="+dw.f.users["rep.jinan.1"].ID.String()+"&from=2026-10-12&to=2026-10-05", nil)
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_input", "query.to")
}

// New customers drill down to the rep's customers created in the period, midnight to midnight in
// Shanghai.
func TestNewCustomersDrillDown(t *testing.T) {
	t.Parallel()
	dw := newDrillWorld(t)
	from, to := time.Date(2026, 10, 4, 16, 0, 0, 0, time.UTC), time.Date(2026, 10, 11, 16, 0, 0, 0, time.UTC)
	c := func(owner, region string, at time.Time) uuid.UUID {
		return dw.customer(t, owner, region, GradeB, at).ID
	}
	c("rep.jinan.1", "Jinan", from.Add(-time.Second))
	first, last := c("rep.jinan.1", "Jinan", from), c("rep.jinan.1", "Jinan", to.Add(-time.Microsecond))
	c("rep.jinan.1", "Jinan", to)
	c("rep.jinan.2", "Jinan", from.Add(time.Hour))
	c("rep.guangdong", "Guangdong", from.Add(time.Hour))
	dw.save(t)

	list := func(key, owner string) []uuid.UUID {
		q := url.Values{"owner_id": {dw.f.users[owner].ID.String()}, "created_from": {from.Format(time.RFC3339)}, "created_to": {to.Format(time.RFC3339)}}
		page := get[CustomerPageDTO](t, dw, key, "/api/v1/customers?"+q.Encode())
		var ids []uuid.UUID
		for _, cu := range page.Customers {
			ids = append(ids, cu.ID)
		}
		return ids
	}
	got := list("mgr.shandong", "rep.jinan.1")
	if want := []uuid.UUID{first, last}; !slices.Equal(got, want) {
		t.Errorf("new customers listed %v, want %v", got, want)
	}
	ms, err := dw.svc.Metrics(dw.f.as(t, "mgr.shandong"), MetricsQuery{From: "2026-10-05", To: "2026-10-12", RepIDs: []uuid.UUID{dw.f.users["rep.jinan.1"].ID}})
	if err != nil || len(ms) != 1 || ms[0].NewCustomers != len(got) {
		t.Errorf("the figure %+v (%v), the list %d", ms, err, len(got))
	}
	if got := list("rep.jinan.2", "rep.jinan.1"); len(got) != 0 {
		t.Errorf("a colleague lists rep.jinan.1's new customers: %v", got)
	}
	if got := list("mgr.shandong", "rep.guangdong"); len(got) != 0 {
		t.Errorf("mgr.shandong lists rep.guangdong's new customers: %v", got)
	}
}
