package activities

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
	"github.com/repflow/repflow/platform/web/webtest"
)

// The on-time rate drills down to the milestones it judges: planned from the period's first day
// and before the day after its last, of projects the rep owns, their day passed or done.
func TestPunctualityDrillsDownToTheMilestonesJudged(t *testing.T) {
	t.Parallel()
	m := newMonth(t)
	f := m.f
	milestone := func(key string, customer uuid.UUID, planned, done string) {
		project := must[ProjectDTO](t, f, key, http.MethodPost, "/api/v1/projects", map[string]any{"customer_id": customer, "name": "Upkeep"}, http.StatusCreated)
		must[MilestoneDTO](t, f, key, http.MethodPost, "/api/v1/projects/"+project.ID.String()+"/milestones",
			map[string]any{"name": "Check " + key, "planned_on": planned, "done_on": done}, http.StatusCreated)
	}
	milestone("rep.jinan.2", m.jin2, "2025-03-06", "2025-03-06")
	milestone("rep.guangdong", f.customer(t, "Canton Pumps", "rep.guangdong", "Guangdong"), "2025-03-06", "2025-03-07")

	list := func(key, owner, from, to string) map[string]bool {
		q := url.Values{"from": {from}, "to": {to}}
		if owner != "" {
			q.Set("owner_id", f.users[owner].ID.String())
		}
		out := map[string]bool{}
		for _, j := range must[MilestonePunctualityDTO](t, f, key, http.MethodGet, "/api/v1/milestone-punctuality?"+q.Encode(), nil, http.StatusOK).Milestones {
			out[j.Milestone.Name] = j.OnTime
		}
		return out
	}
	// Today is 20 March: M4, planned today and not done, is not judged yet; M7, done, is.
	for _, tc := range []struct {
		from, to string
		want     map[string]bool
	}{
		{"2025-03-05", "2025-03-20", map[string]bool{"M1 survey": true, "M2 design": false, "M3 order": false}},
		{"2025-03-01", "2025-03-21", map[string]bool{"M1 survey": true, "M2 design": false, "M3 order": false, "M7 site check": true}},
	} {
		got := list("mgr.shandong", "rep.jinan.1", tc.from, tc.to)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s to %s (-want +got):\n%s", tc.from, tc.to, diff)
		}
		ms, err := f.w.svc.Metrics(f.as(t, "mgr.shandong"), MetricsQuery{From: tc.from, To: tc.to, RepIDs: []uuid.UUID{f.users["rep.jinan.1"].ID}})
		if err != nil || len(ms) != 1 {
			t.Fatalf("metrics: %+v, %v", ms, err)
		}
		onTime := 0
		for _, on := range got {
			if on {
				onTime++
			}
		}
		if p := ms[0].Milestones; p.Due != len(got) || p.OnTime != onTime {
			t.Errorf("%s to %s: the figure %d of %d, the list %d of %d", tc.from, tc.to, p.OnTime, p.Due, onTime, len(got))
		}
	}
	// Every rep the manager sees: rep.jinan.2's too, not Guangdong's.
	if got := list("mgr.shandong", "", "2025-03-05", "2025-03-20"); len(got) != 4 || !got["Check rep.jinan.2"] {
		t.Errorf("the manager's reps' milestones: %v", got)
	}
	for _, key := range []string{"rep.jinan.2", "mgr.guangdong"} {
		if got := list(key, "rep.jinan.1", "2025-03-05", "2025-03-20"); len(got) != 0 {
			t.Errorf("%s sees rep.jinan.1's milestones: %v", key, got)
		}
	}
	status, raw := f.call(t, "mgr.shandong", http.MethodGet, "/api/v1/milestone-punctuality?from=2025-03-20&to=2025-03-05", nil)
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_input", "query.to")
}

// The key-account figures drill down to the rep's key accounts: marked before the period or in
// it, touched in it or just outside it, ordered or not (as the orders domain would say).
func TestKeyAccountsDrillDown(t *testing.T) {
	t.Parallel()
	m := newMonth(t)
	f := m.f
	from, to := at(1, 0, 0), at(13, 0, 0) // 1 to 12 March in Shanghai
	depot := f.customer(t, "Pump Depot", "rep.jinan.1", "Jinan")
	canton := f.customer(t, "Canton Pumps", "rep.guangdong", "Guangdong")
	for _, c := range []uuid.UUID{m.shop, depot, m.jin2} {
		must[KeyAccountDTO](t, f, "mgr.shandong", http.MethodPut, "/api/v1/accounts/"+c.String()+"/key", nil, http.StatusOK)
	}
	must[KeyAccountDTO](t, f, "mgr.guangdong", http.MethodPut, "/api/v1/accounts/"+canton.String()+"/key", nil, http.StatusOK)
	// Key since February: the plant (touched on 3 March), the depot (touched only just before
	// and at the period's end) and rep.jinan.2's valves; the shop since the first instant.
	for c, marked := range map[uuid.UUID]time.Time{m.plant: at(1, 0, 0).AddDate(0, -1, 0), depot: at(1, 0, 0).AddDate(0, 0, -14),
		m.jin2: at(1, 0, 0).AddDate(0, 0, -1), m.shop: from} {
		if err := f.w.s.Owner(context.Background()).Exec("UPDATE key_accounts SET marked_at = ? WHERE tenant_id = ? AND customer_id = ?",
			marked.UTC(), f.id, c).Error; err != nil {
			t.Fatal(err)
		}
	}
	logActivity(t, f, "rep.jinan.1", callBody(depot, "out", "answered", 60, from.Add(-time.Minute)))
	logActivity(t, f, "rep.jinan.1", callBody(depot, "out", "answered", 60, to))

	var asked []uuid.UUID
	ordering := NewService(f.w.s, f.w.w, visitsCustomers{f.w.visits}, Options{TimeZone: f.w.org.TimeZone, Now: func() time.Time { return now },
		Ordered: func(_ context.Context, customers []uuid.UUID, gotFrom, gotTo time.Time) (map[uuid.UUID]bool, error) {
			if !gotFrom.Equal(from) || !gotTo.Equal(to) {
				t.Errorf("asked for orders over %s to %s", gotFrom, gotTo)
			}
			asked = customers
			return map[uuid.UUID]bool{depot: true}, nil
		}})
	srv := web.New(web.Options{Authenticate: webtest.Authenticate(f.w.org.Principal)})
	srv.Mount(NewHTTP(ordering))
	type row struct {
		Touched, KeyAtStart bool
		Ordered, Retained   *bool
	}
	yes, no := true, false
	list := func(srv *web.Server, key, owner string, markedBefore time.Time) map[uuid.UUID]row {
		q := url.Values{"from": {from.Format(time.RFC3339)}, "to": {to.Format(time.RFC3339)}}
		if owner != "" {
			q.Set("owner_id", f.users[owner].ID.String())
		}
		if !markedBefore.IsZero() {
			q.Set("marked_before", markedBefore.Format(time.RFC3339))
		}
		status, raw := webtest.Call(t, srv, webtest.Caller{Tenant: f.id, User: f.users[key].ID}, http.MethodGet, "/api/v1/key-accounts?"+q.Encode(), nil)
		if status != http.StatusOK {
			t.Fatalf("key accounts as %s: %d %s", key, status, raw)
		}
		out := map[uuid.UUID]row{}
		for _, a := range webtest.Decode[KeyAccountTouchesDTO](t, raw).Accounts {
			out[a.CustomerID] = row{a.Touched, a.KeyAtStart, a.Ordered, a.Retained}
		}
		return out
	}
	// Coverage: 2 of the 3 (the plant and the shop); retention: of the plant and the depot, key
	// at the start, the plant was touched and the depot ordered: 2 of 2.
	want := map[uuid.UUID]row{m.plant: {true, true, &no, &yes}, m.shop: {true, false, &no, &no}, depot: {false, true, &yes, &yes}}
	if diff := cmp.Diff(want, list(srv, "mgr.shandong", "rep.jinan.1", time.Time{})); diff != "" {
		t.Errorf("rep.jinan.1's key accounts (-want +got):\n%s", diff)
	}
	if len(asked) != 3 {
		t.Errorf("orders asked about %v, want the 3 accounts listed", asked)
	}
	delete(want, m.shop)
	if diff := cmp.Diff(want, list(srv, "mgr.shandong", "rep.jinan.1", from)); diff != "" {
		t.Errorf("those key at the start (-want +got):\n%s", diff)
	}
	// The figures are made of the same touches.
	touches, err := f.w.svc.KeyAccountTouches(f.as(t, "mgr.shandong"), from, to)
	if err != nil {
		t.Fatal(err)
	}
	for c, r := range list(srv, "mgr.shandong", "rep.jinan.1", time.Time{}) {
		if k := touches[c]; k.Touched != r.Touched || k.MarkedAt.Before(from) != r.KeyAtStart {
			t.Errorf("account %s: listed %+v, the figures' %+v", c, r, k)
		}
	}
	// Without a way to ask the orders domain, ordered is not known, nor so is the depot's retention.
	if got := list(f.w.srv, "mgr.shandong", "rep.jinan.1", from)[depot]; got.Ordered != nil || got.Retained != nil || got.Touched {
		t.Errorf("the depot without orders: %+v", got)
	}
	// The manager's reps' accounts, not Guangdong's; a colleague sees none of rep.jinan.1's.
	if got := list(srv, "mgr.shandong", "", time.Time{}); len(got) != 4 {
		t.Errorf("the manager's key accounts: %v", got)
	}
	for _, key := range []string{"rep.jinan.2", "mgr.guangdong"} {
		if got := list(srv, key, "rep.jinan.1", time.Time{}); len(got) != 0 {
			t.Errorf("%s sees rep.jinan.1's key accounts: %v", key, got)
		}
	}
}
