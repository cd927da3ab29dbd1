package activities

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web/webtest"
)

func countActivities(t *testing.T, f *tenantFixture) int64 {
	t.Helper()
	var n int64
	err := f.w.s.Tx(identity.System(context.Background(), f.id), func(ctx context.Context, db *gorm.DB) error {
		return db.Model(&activityRow{}).Count(&n).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A rep logs a call offline and the phone retries: the retry answers 200 with the stored call,
// also after the call was updated; the same id with another body is a 409; one row either way.
func TestIdempotentRetry(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	shop := f.customer(t, "Jinan Pumps", "rep.jinan.1", "Jinan")
	body := callBody(shop, "out", "answered", 125, at(19, 9, 30))
	body["notes"] = "  asked about the spring price list "

	first := logActivity(t, f, "rep.jinan.1", body)
	if first.Notes != "asked about the spring price list" || first.OwnerID != f.users["rep.jinan.1"].ID || *first.DurationS != 125 {
		t.Fatalf("stored %+v", first)
	}
	again := must[ActivityDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/activities", body, http.StatusOK)
	if d := cmp.Diff(first, again); d != "" {
		t.Errorf("retry answered another activity (-first +retry):\n%s", d)
	}
	must[ActivityDTO](t, f, "rep.jinan.1", http.MethodPatch, "/api/v1/activities/"+first.ID.String(), map[string]any{"notes": "sent the list"}, http.StatusOK)
	retried := must[ActivityDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/activities", body, http.StatusOK)
	if retried.Notes != "sent the list" {
		t.Errorf("a retry after an update answered notes %q, want the stored ones", retried.Notes)
	}

	changed := callBody(shop, "out", "answered", 126, at(19, 9, 30))
	changed["id"], changed["notes"] = body["id"], body["notes"]
	status, raw := f.call(t, "rep.jinan.1", http.MethodPost, "/api/v1/activities", changed)
	webtest.WantError(t, status, raw, http.StatusConflict, "id_reused", "")
	// Another rep reusing the id learns nothing about the first activity.
	other := f.customer(t, "Jinan Valves", "rep.jinan.2", "Jinan")
	reuse := callBody(other, "out", "answered", 125, at(19, 9, 30))
	reuse["id"] = body["id"]
	status, raw = f.call(t, "rep.jinan.2", http.MethodPost, "/api/v1/activities", reuse)
	webtest.WantError(t, status, raw, http.StatusConflict, "id_reused", "")
	if n := countActivities(t, f); n != 1 {
		t.Errorf("%d activities stored, want 1", n)
	}
}

func TestBadActivities(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	shop := f.customer(t, "Jinan Pumps", "rep.jinan.1", "Jinan")
	theirs := f.customer(t, "Jinan Valves", "rep.jinan.2", "Jinan")
	stranger := must[ContactDTO](t, f, "admin", http.MethodPost, "/api/v1/contacts",
		map[string]any{"customer_id": theirs, "name": "Zhang Wei", "role": "user"}, http.StatusCreated)
	with := func(b map[string]any, change func(b map[string]any)) map[string]any { change(b); return b }
	call := func() map[string]any { return callBody(shop, "out", "answered", 60, at(19, 9, 0)) }
	meeting := func() map[string]any {
		return map[string]any{"id": identity.NewID(), "kind": "meeting", "customer_id": shop, "occurred_at": at(19, 14, 0), "ended_at": at(19, 15, 0)}
	}
	for _, c := range []struct {
		name     string
		body     map[string]any
		status   int
		code     string
		location string
	}{
		{"negative duration", with(call(), func(b map[string]any) { b["duration_s"] = -5 }), 422, "", "body.duration_s"},
		{"unknown outcome", with(call(), func(b map[string]any) { b["outcome"] = "maybe" }), 422, "", "body.outcome"},
		{"call without direction", with(call(), func(b map[string]any) { delete(b, "direction") }), 400, "invalid_input", "body.direction"},
		{"call with a channel", with(call(), func(b map[string]any) { b["channel"] = "sms" }), 400, "invalid_input", "body.channel"},
		{"in the future", with(call(), func(b map[string]any) { b["occurred_at"] = now.AddDate(0, 0, 1) }), 400, "invalid_input", "body.occurred_at"},
		{"meeting ending before it starts", with(meeting(), func(b map[string]any) { b["ended_at"] = at(19, 13, 0) }), 400, "invalid_input", "body.ended_at"},
		{"meeting with a duration", with(meeting(), func(b map[string]any) { b["duration_s"] = 60 }), 400, "invalid_input", "body.duration_s"},
		{"attendee of another account", with(meeting(), func(b map[string]any) { b["attendees"] = []uuid.UUID{stranger.ID} }), 400, "invalid_reference", "body.attendees"},
		{"contact of another account", with(call(), func(b map[string]any) { b["contact_id"] = stranger.ID }), 400, "invalid_reference", "body.contact_id"},
		{"a customer the rep cannot see", with(call(), func(b map[string]any) { b["customer_id"] = theirs }), 400, "invalid_reference", "body.customer_id"},
		{"no such customer", with(call(), func(b map[string]any) { b["customer_id"] = identity.NewID() }), 400, "invalid_reference", "body.customer_id"},
		{"message replied before it was sent", with(messageBody(shop, "out", "wechat", at(19, 9, 0)), func(b map[string]any) { b["replied_at"] = at(19, 8, 0) }), 400, "invalid_input", "body.replied_at"},
		{"reply to nothing", with(messageBody(shop, "in", "wechat", at(19, 9, 0)), func(b map[string]any) { b["reply_to"] = identity.NewID() }), 400, "invalid_reference", "body.reply_to"},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, raw := f.call(t, "rep.jinan.1", http.MethodPost, "/api/v1/activities", c.body)
			webtest.WantError(t, status, raw, c.status, c.code, c.location)
		})
	}
	if n := countActivities(t, f); n != 0 {
		t.Errorf("refused requests stored %d activities", n)
	}
}

// A reply links to the message it answers, which then counts as replied; lists filter and page
// newest first.
func TestRepliesAndListing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	shop := f.customer(t, "Jinan Pumps", "rep.jinan.1", "Jinan")
	boss := must[ContactDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/contacts",
		map[string]any{"customer_id": shop, "name": "Li Na", "role": "decision_maker", "email": "li.na@pumps.example"}, http.StatusCreated)
	sent := logActivity(t, f, "rep.jinan.1", messageBody(shop, "out", "wechat", at(18, 9, 0)))
	if sent.Replied == nil || *sent.Replied {
		t.Fatalf("a new message reads replied=%v", sent.Replied)
	}
	reply := messageBody(shop, "in", "wechat", at(18, 11, 0))
	reply["reply_to"], reply["contact_id"] = sent.ID, boss.ID
	r := logActivity(t, f, "rep.jinan.1", reply)
	got := must[ActivityDTO](t, f, "rep.jinan.1", http.MethodGet, "/api/v1/activities/"+sent.ID.String(), nil, http.StatusOK)
	if !*got.Replied || len(got.Replies) != 1 || got.Replies[0] != r.ID {
		t.Fatalf("after the reply: %+v", got)
	}
	meeting := logActivity(t, f, "rep.jinan.1", map[string]any{"id": identity.NewID(), "kind": "meeting", "customer_id": shop,
		"occurred_at": at(19, 14, 0), "ended_at": at(19, 15, 30), "attendees": []uuid.UUID{boss.ID, boss.ID}})
	if len(meeting.Attendees) != 1 {
		t.Errorf("attendees %v, want Li Na once", meeting.Attendees)
	}
	logActivity(t, f, "rep.jinan.1", callBody(shop, "out", "no_answer", 0, at(17, 10, 0)))

	var kinds []string
	cursor := ""
	for range 5 {
		page := must[ActivityPageDTO](t, f, "rep.jinan.1", http.MethodGet, "/api/v1/activities?limit=1&customer_id="+shop.String()+cursor, nil, http.StatusOK)
		for _, a := range page.Activities {
			kinds = append(kinds, a.Kind+"@"+a.OccurredAt.In(shanghai).Format("02 15:04"))
		}
		if page.NextCursor == nil {
			break
		}
		cursor = "&cursor=" + *page.NextCursor
	}
	want := []string{"meeting@19 14:00", "message@18 11:00", "message@18 09:00", "call@17 10:00"}
	if d := cmp.Diff(want, kinds); d != "" {
		t.Errorf("paged newest first (-want +got):\n%s", d)
	}
	byContact := must[ActivityPageDTO](t, f, "rep.jinan.1", http.MethodGet, "/api/v1/activities?contact_id="+boss.ID.String(), nil, http.StatusOK)
	if len(byContact.Activities) != 2 {
		t.Errorf("Li Na's activities: %d, want the reply and the meeting she attended", len(byContact.Activities))
	}
	status, raw := f.call(t, "rep.jinan.1", http.MethodGet, "/api/v1/activities?cursor=bm9wZQ", nil)
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_input", "query.cursor")
}

// A phone retrying while its first attempt is still in flight: every attempt answers the one
// activity, exactly one of them with 201.
func TestConcurrentRetries(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	shop := f.customer(t, "Jinan Pumps", "rep.jinan.1", "Jinan")
	body := callBody(shop, "out", "answered", 42, at(19, 9, 30))
	const attempts = 8
	statuses := make(chan int, attempts)
	var wg sync.WaitGroup
	for range attempts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _ := f.call(t, "rep.jinan.1", http.MethodPost, "/api/v1/activities", body)
			statuses <- status
		}()
	}
	wg.Wait()
	close(statuses)
	created := 0
	for s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusOK:
		default:
			t.Errorf("an attempt answered %d", s)
		}
	}
	if n := countActivities(t, f); created != 1 || n != 1 {
		t.Errorf("%d attempts created, %d rows stored; want 1 and 1", created, n)
	}
}
