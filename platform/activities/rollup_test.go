package activities

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/rollup"
)

// checkRollups fails t unless the tenant's activity rollups, as its writes have moved them, hold
// what its activities add up to when counted by SQL month by month (perKindSelect and tallySums,
// the figures' own rules), and unless a rebuild from the rows gives the same.
func checkRollups(t *testing.T, f *tenantFixture) {
	t.Helper()
	sys := identity.System(context.Background(), f.id)
	loc, err := f.w.org.TimeZone(sys)
	if err != nil {
		t.Fatal(err)
	}
	want := countedRows(t, f, loc)
	compareRollups(t, "rollups moved by the writes", want, keptRollups(t, f))
	if err := rollup.Request(sys, f.w.s, rollup.Activities); err != nil {
		t.Fatal(err)
	}
	if err := f.w.svc.RebuildRollups(sys); err != nil {
		t.Fatal(err)
	}
	compareRollups(t, "rollups rebuilt", want, keptRollups(t, f))
}

type rollupKey struct {
	month         string
	owner, region uuid.UUID
}

func keptRollups(t *testing.T, f *tenantFixture) map[rollupKey]activityRollupRow {
	t.Helper()
	var rows []activityRollupRow
	inTenant(t, f, func(db *gorm.DB) error { return db.Find(&rows).Error })
	out := map[rollupKey]activityRollupRow{}
	for _, r := range rows {
		r.TenantID = uuid.Nil
		out[rollupKey{r.Month, r.OwnerID, r.RegionID}] = r
	}
	return out
}

// countedRows counts the tenant's activities with SQL, month by month over the months they
// occurred in.
func countedRows(t *testing.T, f *tenantFixture, loc *time.Location) map[rollupKey]activityRollupRow {
	t.Helper()
	out := map[rollupKey]activityRollupRow{}
	inTenant(t, f, func(db *gorm.DB) error {
		var rows []activityRow
		if err := db.Select("occurred_at").Find(&rows).Error; err != nil {
			return err
		}
		months := map[string]bool{}
		for _, r := range rows {
			months[rollup.Month(r.OccurredAt, loc)] = true
		}
		if len(months) == 0 {
			t.Error("no activity: the check checks nothing")
		}
		for m := range months {
			from, _ := time.ParseInLocation("2006-01", m, loc)
			perKind := db.Model(&activityRow{}).Select("activities.region_id, "+perKindSelect).
				Where("activities.occurred_at >= ? AND activities.occurred_at < ?", from.UTC(), from.AddDate(0, 1, 0).UTC()).
				Group("activities.owner_id, activities.region_id, activities.kind, activities.direction")
			var sums []activityRollupRow
			if err := db.Raw("SELECT owner_id, region_id, "+tallySums+" FROM (?) per_kind GROUP BY owner_id, region_id", perKind).Scan(&sums).Error; err != nil {
				return err
			}
			for _, r := range sums {
				r.Month = m
				out[rollupKey{m, r.OwnerID, r.RegionID}] = r
			}
		}
		return nil
	})
	return out
}

func compareRollups(t *testing.T, what string, want, got map[rollupKey]activityRollupRow) {
	t.Helper()
	zero := func(r activityRollupRow) bool {
		return r == activityRollupRow{Month: r.Month, OwnerID: r.OwnerID, RegionID: r.RegionID}
	}
	for k, g := range got {
		if w := want[k]; !(zero(w) && zero(g)) && w != g {
			t.Errorf("%s: %v: got %+v, the activities add up to %+v", what, k, g, w)
		}
	}
	for k, w := range want {
		if _, ok := got[k]; !ok && !zero(w) {
			t.Errorf("%s: %v missing: the activities add up to %+v", what, k, w)
		}
	}
}

func inTenant(t *testing.T, f *tenantFixture, fn func(db *gorm.DB) error) {
	t.Helper()
	err := f.w.s.Tx(identity.System(context.Background(), f.id), func(_ context.Context, db *gorm.DB) error { return fn(db) })
	if err != nil {
		t.Fatal(err)
	}
}

// What is learned later moves the month's rollups: a call's outcome corrected to answered (and
// back), a reply time given to a message, a reply logged to one; and the first day of a month in
// Shanghai is still the month before in UTC.
func TestRollupsFollowLaterChanges(t *testing.T) {
	t.Parallel()
	f := newWorld(t).tenant(t, "acme")
	shop := f.customer(t, "Corner Shop", "rep.jinan.1", "Jinan")
	patch := func(id uuid.UUID, body map[string]any) {
		must[ActivityDTO](t, f, "rep.jinan.1", http.MethodPatch, "/api/v1/activities/"+id.String(), body, http.StatusOK)
	}
	call := logActivity(t, f, "rep.jinan.1", callBody(shop, "out", "no_answer", 45, at(1, 0, 30))) // 28 February, 16:30 UTC
	patch(call.ID, map[string]any{"outcome": "answered"})
	wrong := logActivity(t, f, "rep.jinan.1", callBody(shop, "out", "answered", 30, at(2, 9, 0)))
	patch(wrong.ID, map[string]any{"outcome": "wrong_number"})
	later := logActivity(t, f, "rep.jinan.1", messageBody(shop, "out", "wechat", at(3, 9, 0)))
	patch(later.ID, map[string]any{"replied_at": at(3, 11, 0)})
	linked := logActivity(t, f, "rep.jinan.1", messageBody(shop, "out", "sms", at(4, 9, 0)))
	for range 2 { // a second reply changes nothing more
		logActivity(t, f, "rep.jinan.1", map[string]any{"id": identity.NewID(), "kind": "message", "customer_id": shop,
			"occurred_at": at(4, 10, 0), "direction": "in", "channel": "sms", "reply_to": linked.ID})
	}
	logActivity(t, f, "rep.jinan.1", messageBody(shop, "out", "email", at(5, 9, 0))) // never replied

	got, err := f.w.svc.Metrics(f.as(t, "rep.jinan.1"), MetricsQuery{From: "2025-03-01", To: "2025-04-01"})
	if err != nil {
		t.Fatal(err)
	}
	// Calls: 2 outbound, 1 answered (45 s). Messages: 3 outbound and 2 inbound, 2 of the 3 replied.
	want := Tally{Calls: 2, OutboundCalls: 2, AnsweredOutboundCalls: 1, AnsweredCalls: 1, CallTime: 45 * time.Second,
		Messages: 5, OutboundMessages: 3, RepliedOutboundMessages: 2}
	if len(got) != 1 || got[0].Tally != want {
		t.Fatalf("March: got %+v, want %+v", got, want)
	}
	checkRollups(t, f)
}
