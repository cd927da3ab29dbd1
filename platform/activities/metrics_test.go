package activities

import (
	"math"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
)

// month is rep.jinan.1's March 2025 at two accounts, Sinopump Plant (key) and Jinan Pumps.
type month struct {
	f                 *tenantFixture
	plant, shop       uuid.UUID
	li, zhou, wu      uuid.UUID // Jinan Pumps' contacts
	wang, zhao        uuid.UUID // the plant's
	opportunity       uuid.UUID
	project           uuid.UUID
	replyTarget, jin2 uuid.UUID
}

func newMonth(t *testing.T) *month {
	w := newWorld(t)
	m := &month{f: w.tenant(t, "acme"), opportunity: identity.NewID()}
	f := m.f
	m.plant = f.customer(t, "Sinopump Plant", "rep.jinan.1", "Jinan")
	m.shop = f.customer(t, "Jinan Pumps", "rep.jinan.1", "Jinan")
	must[KeyAccountDTO](t, f, "mgr.shandong", http.MethodPut, "/api/v1/accounts/"+m.plant.String()+"/key", nil, http.StatusOK)
	contact := func(customer uuid.UUID, name string) uuid.UUID {
		return must[ContactDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/contacts",
			map[string]any{"customer_id": customer, "name": name, "role": "user"}, http.StatusCreated).ID
	}
	m.li, m.zhou, m.wu = contact(m.shop, "Li"), contact(m.shop, "Zhou"), contact(m.shop, "Wu")
	m.wang, m.zhao = contact(m.plant, "Wang"), contact(m.plant, "Zhao")
	with := func(b map[string]any, kv ...any) map[string]any {
		for i := 0; i < len(kv); i += 2 {
			b[kv[i].(string)] = kv[i+1]
		}
		return b
	}
	log := func(b map[string]any) ActivityDTO { return logActivity(t, f, "rep.jinan.1", b) }
	// Calls.
	log(with(callBody(m.plant, "out", "answered", 120, at(3, 10, 0)), "opportunity_id", m.opportunity)) // 1
	log(with(callBody(m.shop, "out", "answered", 300, at(4, 10, 0)), "contact_id", m.li))               // 2
	log(with(callBody(m.shop, "out", "no_answer", 0, at(5, 10, 0)), "contact_id", m.zhou))              // 3
	log(with(callBody(m.shop, "out", "voicemail", 20, at(6, 10, 0)), "contact_id", m.zhou))             // 4
	log(callBody(m.plant, "in", "answered", 60, at(7, 10, 0)))                                          // 5
	log(callBody(m.plant, "out", "answered", 600, time.Date(2025, 2, 28, 10, 0, 0, 0, shanghai)))       // 6, February
	// Messages.
	log(with(messageBody(m.shop, "out", "wechat", at(11, 9, 0)), "contact_id", m.zhou, "replied_at", at(11, 10, 0))) // 7
	sms := log(with(messageBody(m.shop, "out", "sms", at(12, 9, 0)), "contact_id", m.wu))                            // 8
	log(with(messageBody(m.shop, "in", "sms", at(12, 12, 0)), "reply_to", sms.ID))                                   // 9
	log(messageBody(m.plant, "out", "email", at(13, 9, 0)))                                                          // 10
	// A meeting at the plant for the opportunity.
	log(map[string]any{"id": identity.NewID(), "kind": "meeting", "customer_id": m.plant, "occurred_at": at(10, 14, 0), // 11
		"ended_at": at(10, 15, 0), "attendees": []uuid.UUID{m.wang, m.zhao}, "opportunity_id": m.opportunity})
	// Another rep's only call.
	m.jin2 = f.customer(t, "Valves Inc", "rep.jinan.2", "Jinan")
	logActivity(t, f, "rep.jinan.2", callBody(m.jin2, "out", "busy", 0, at(14, 9, 0)))

	// The plant's project; today is 2025-03-20.
	m.project = must[ProjectDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/projects",
		map[string]any{"customer_id": m.plant, "name": "Pump line retrofit"}, http.StatusCreated).ID
	for _, ms := range [][3]string{
		{"M1 survey", "2025-03-05", "2025-03-04"},     // due, on time
		{"M2 design", "2025-03-10", "2025-03-12"},     // due, late
		{"M3 order", "2025-03-15", ""},                // due (its day has passed), late
		{"M4 delivery", "2025-03-20", ""},             // planned today, not done: not judged yet
		{"M5 install", "2025-03-25", "2025-03-18"},    // planned after the period: not due in it
		{"M6 kickoff", "2025-02-27", "2025-02-27"},    // planned before the period
		{"M7 site check", "2025-03-20", "2025-03-19"}, // planned today and done: due, on time
	} {
		b := map[string]any{"name": ms[0], "planned_on": ms[1]}
		if ms[2] != "" {
			b["done_on"] = ms[2]
		}
		must[MilestoneDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/projects/"+m.project.String()+"/milestones", b, http.StatusCreated)
	}
	return m
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestMetricsHandComputed(t *testing.T) {
	t.Parallel()
	m := newMonth(t)
	f := m.f
	got := must[ActivityMetricsDTO](t, f, "mgr.shandong", http.MethodGet, "/api/v1/activity-metrics?from=2025-03-01&to=2025-03-21", nil, http.StatusOK)
	byRep := map[uuid.UUID]RepActivityMetricsDTO{}
	for _, r := range got.Reps {
		byRep[r.RepID] = r
	}
	// The manager sees the reps of Shandong: both in Jinan and the one in Qingdao, not Guangdong's.
	var seen []uuid.UUID
	for id := range byRep {
		seen = append(seen, id)
	}
	wantReps := []uuid.UUID{f.users["rep.jinan.1"].ID, f.users["rep.jinan.2"].ID, f.users["rep.qingdao"].ID}
	less := func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) }
	slices.SortFunc(seen, less)
	slices.SortFunc(wantReps, less)
	if d := cmp.Diff(wantReps, seen); d != "" {
		t.Errorf("reps (-want +got):\n%s", d)
	}

	// Calls 1-5 fall in March (6 is February): 5 calls, of which 1-4 outbound and 1, 2 answered:
	// call response rate 2/4 = 0.5. Answered calls 1, 2, 5 last 120 + 300 + 60 = 480 s: 160 s each.
	// Messages 7-10: 4, of which 7, 8, 10 outbound; 7 has a reply time, 8 a linked reply: 2/3.
	// Together (2 + 2) / (4 + 3) = 4/7. One meeting. Key-account touches: 1, 5, 10, 11 at the plant.
	// Milestones due: M1, M2, M3, M7; on time M1 and M7: 2/4 = 0.5.
	want := RepActivityMetricsDTO{RepID: f.users["rep.jinan.1"].ID, Calls: 5, OutboundCalls: 4, AnsweredOutboundCalls: 2,
		AnsweredCalls: 3, AvgCallDurationS: 160, CallResponseRate: 0.5, Messages: 4, OutboundMessages: 3, RepliedOutboundMessages: 2,
		MessageResponseRate: 2.0 / 3, ResponseRate: 4.0 / 7, Meetings: 1, MilestonesDue: 4, MilestonesOnTime: 2, MilestoneOnTimeRate: 0.5,
		KeyAccountTouches: 4, KeyAccountsTouched: 1}
	if d := cmp.Diff(want, byRep[want.RepID], cmp.Comparer(near)); d != "" {
		t.Errorf("rep.jinan.1 (-want +got):\n%s", d)
	}
	// rep.jinan.2: one outbound call, busy: 0/1; no message, so nothing unanswered: 1.
	other := byRep[f.users["rep.jinan.2"].ID]
	if other.Calls != 1 || other.CallResponseRate != 0 || other.MessageResponseRate != 1 || other.ResponseRate != 0 || other.AvgCallDurationS != 0 {
		t.Errorf("rep.jinan.2: %+v", other)
	}

	// A rep sees only their own figures.
	own := must[ActivityMetricsDTO](t, f, "rep.jinan.2", http.MethodGet, "/api/v1/activity-metrics?from=2025-03-01&to=2025-03-21", nil, http.StatusOK)
	if len(own.Reps) != 1 || own.Reps[0].RepID != f.users["rep.jinan.2"].ID {
		t.Errorf("rep.jinan.2 sees %+v", own.Reps)
	}
}

func TestFollowUpHandComputed(t *testing.T) {
	t.Parallel()
	m := newMonth(t)
	ctx := m.f.as(t, "mgr.shandong")
	// Jinan Pumps over 1-15 March (14 days, 2 weeks): activities 2, 3, 4, 7, 8, 9 = 6 touches, 3 a
	// week; calls and messages: 2 kinds. Reached: Li (answered call 2), Zhou (message 7 replied;
	// calls 3 and 4 missed him), Wu (message 8, replied by 9): 3 contacts.
	got, err := m.f.w.svc.FollowUp(ctx, FollowUpQuery{CustomerID: &m.shop, From: at(1, 0, 0), To: at(15, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(FollowUp{Touches: 6, Weeks: 2, TouchesPerWeek: 3, Kinds: 2, ContactsReached: 3}, got); d != "" {
		t.Errorf("Jinan Pumps (-want +got):\n%s", d)
	}
	// The opportunity over 1-29 March (4 weeks): call 1 and meeting 11 = 2 touches, 0.5 a week;
	// 2 kinds; the call named nobody, the meeting reached Wang and Zhao: 2 contacts.
	got, err = m.f.w.svc.FollowUp(ctx, FollowUpQuery{OpportunityID: &m.opportunity, From: at(1, 0, 0), To: at(29, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(FollowUp{Touches: 2, Weeks: 4, TouchesPerWeek: 0.5, Kinds: 2, ContactsReached: 2}, got); d != "" {
		t.Errorf("opportunity (-want +got):\n%s", d)
	}
	// Over HTTP, and a rep who cannot see the customer is told it is not found.
	dto := must[FollowUpDTO](t, m.f, "rep.jinan.1", http.MethodGet, "/api/v1/follow-up?customer_id="+m.shop.String()+
		"&from=2025-03-01T00:00:00%2B08:00&to=2025-03-15T00:00:00%2B08:00", nil, http.StatusOK)
	if dto.Touches != 6 || dto.TouchesPerWeek != 3 || dto.ContactsReached != 3 {
		t.Errorf("HTTP follow-up %+v", dto)
	}
	status, _ := m.f.call(t, "rep.jinan.2", http.MethodGet, "/api/v1/follow-up?customer_id="+m.shop.String()+
		"&from=2025-03-01T00:00:00%2B08:00&to=2025-03-15T00:00:00%2B08:00", nil)
	if status != http.StatusNotFound {
		t.Errorf("another rep's follow-up of the customer: %d, want 404", status)
	}
}

// The on-time rule by itself, today being 2025-03-20, over [2025-03-01, 2025-03-21).
func TestPunctuality(t *testing.T) {
	ms := func(pairs ...string) []Milestone {
		var out []Milestone
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, Milestone{PlannedOn: pairs[i], DoneOn: pairs[i+1]})
		}
		return out
	}
	for _, c := range []struct {
		name string
		in   []Milestone
		want Punctuality
	}{
		{"nothing due", nil, Punctuality{Rate: 1}},
		{"done on the day counts as on time", ms("2025-03-10", "2025-03-10"), Punctuality{Due: 1, OnTime: 1, Rate: 1}},
		{"a day late", ms("2025-03-10", "2025-03-11"), Punctuality{Due: 1, Rate: 0}},
		{"passed, not done: late", ms("2025-03-19", ""), Punctuality{Due: 1, Rate: 0}},
		{"today, not done: not judged yet", ms("2025-03-20", ""), Punctuality{Rate: 1}},
		{"done early, planned after the period: not due", ms("2025-03-21", "2025-03-02"), Punctuality{Rate: 1}},
		// 3 due (the 1st, 5th, 9th; the 20th undone is not judged), 2 on time: 2/3.
		{"mixed", ms("2025-03-01", "2025-02-28", "2025-03-05", "2025-03-05", "2025-03-09", "", "2025-03-20", ""),
			Punctuality{Due: 3, OnTime: 2, Rate: 2.0 / 3}},
	} {
		if d := cmp.Diff(c.want, punctuality(c.in, "2025-03-01", "2025-03-21", "2025-03-20"), cmp.Comparer(near)); d != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, d)
		}
	}
}

// Each counted figure through the database, over [1 March, 15 March 2025) in Shanghai: the cases
// the grouped query must tell apart, and the edges of the period.
func TestMetricsCounts(t *testing.T) {
	t.Parallel()
	f := newWorld(t).tenant(t, "acme")
	north, south := f.customer(t, "North Works", "rep.jinan.1", "Jinan"), f.customer(t, "South Works", "rep.jinan.1", "Jinan")
	shop := f.customer(t, "Corner Shop", "rep.jinan.1", "Jinan")
	east := f.customer(t, "East Works", "rep.jinan.2", "Jinan")
	for _, key := range []uuid.UUID{north, south, east} {
		must[KeyAccountDTO](t, f, "mgr.shandong", http.MethodPut, "/api/v1/accounts/"+key.String()+"/key", nil, http.StatusOK)
	}
	reply := func(b map[string]any, to uuid.UUID) map[string]any { b["reply_to"] = to; return b }
	repliedAt := func(b map[string]any, when time.Time) map[string]any { b["replied_at"] = when; return b }
	jin1 := func(b map[string]any) uuid.UUID { return logActivity(t, f, "rep.jinan.1", b).ID }
	jin2 := func(b map[string]any) uuid.UUID { return logActivity(t, f, "rep.jinan.2", b).ID }

	// rep.jinan.1's calls.
	jin1(callBody(north, "out", "answered", 120, at(1, 0, 0))) // the first moment of the period
	jin1(callBody(north, "out", "answered", 240, at(4, 10, 0)))
	jin1(callBody(shop, "out", "no_answer", 0, at(5, 10, 0)))                                     // outbound, unanswered
	jin1(callBody(shop, "out", "voicemail", 30, at(5, 11, 0)))                                    // unanswered: its 30 s are no conversation
	jin1(callBody(south, "in", "answered", 60, at(6, 10, 0)))                                     // inbound: a call, not a response
	jin1(callBody(shop, "in", "no_answer", 0, at(6, 11, 0)))                                      // inbound and missed
	jin1(callBody(north, "out", "answered", 999, time.Date(2025, 2, 28, 23, 59, 0, 0, shanghai))) // before the period
	jin1(callBody(shop, "out", "answered", 777, at(15, 0, 0)))                                    // the end of the period, excluded
	// rep.jinan.1's messages.
	jin1(repliedAt(messageBody(shop, "out", "wechat", at(7, 9, 0)), at(7, 10, 0))) // replied: reply time
	sms := jin1(messageBody(shop, "out", "sms", at(8, 9, 0)))
	jin1(reply(messageBody(shop, "in", "sms", at(8, 12, 0)), sms)) // replied: linked reply
	late := jin1(messageBody(south, "out", "email", at(14, 23, 0)))
	jin1(reply(messageBody(south, "in", "email", at(16, 9, 0)), late))                         // replied after the period: still replied
	jin1(messageBody(shop, "out", "email", at(9, 9, 0)))                                       // never replied
	asked := jin1(messageBody(shop, "in", "sms", at(10, 9, 0)))                                // inbound, answering nothing
	jin1(reply(messageBody(shop, "out", "sms", at(10, 10, 0)), asked))                         // the rep's answer: sent, not replied
	old := jin1(messageBody(shop, "out", "sms", time.Date(2025, 2, 27, 9, 0, 0, 0, shanghai))) // before the period
	jin1(reply(messageBody(shop, "in", "sms", at(2, 9, 0)), old))                              // an inbound message of the period
	// A meeting at a key account.
	jin1(map[string]any{"id": identity.NewID(), "kind": "meeting", "customer_id": south, "occurred_at": at(11, 14, 0), "ended_at": at(11, 15, 0)})
	// rep.jinan.2's: three in the period, one after it.
	jin2(callBody(east, "out", "answered", 90, at(5, 9, 0)))
	jin2(callBody(east, "out", "busy", 0, at(6, 9, 0)))
	jin2(repliedAt(messageBody(east, "out", "wechat", at(12, 9, 0)), at(12, 9, 30)))
	jin2(callBody(east, "out", "answered", 500, at(16, 9, 0))) // after the period

	none := Punctuality{Rate: 1}
	want := map[string]RepMetrics{
		// Calls: 6, of which 4 outbound, 2 of those answered (0.5); answered both ways: 120 + 240 +
		// 60 = 420 s over 3, 140 s each. Messages in the period: sent on the 7th, 8th, 9th, 10th
		// and 14th, received on the 2nd, 8th and 10th (the 16th is after): 8, of which 5 outbound
		// and 3 replied (0.6); the inbound one the rep answered is no replied outbound message.
		// Together (2 + 3) / (4 + 5). Key accounts: North by two calls, South by the inbound call,
		// the late email and the meeting: 5 touches of 2 accounts.
		"rep.jinan.1": {Tally: Tally{Calls: 6, OutboundCalls: 4, AnsweredOutboundCalls: 2, AnsweredCalls: 3, CallTime: 420 * time.Second,
			Messages: 8, OutboundMessages: 5, RepliedOutboundMessages: 3, Meetings: 1, KeyAccountTouches: 5, KeyAccountsTouched: 2},
			AvgCallDuration: 140 * time.Second, CallResponseRate: 0.5, MessageResponseRate: 0.6, ResponseRate: 5.0 / 9, Milestones: none},
		// Two outbound calls, one answered (90 s); one message, replied: (1 + 1) / (2 + 1).
		"rep.jinan.2": {Tally: Tally{Calls: 2, OutboundCalls: 2, AnsweredOutboundCalls: 1, AnsweredCalls: 1, CallTime: 90 * time.Second,
			Messages: 1, OutboundMessages: 1, RepliedOutboundMessages: 1, KeyAccountTouches: 3, KeyAccountsTouched: 1},
			AvgCallDuration: 90 * time.Second, CallResponseRate: 0.5, MessageResponseRate: 1, ResponseRate: 2.0 / 3, Milestones: none},
		// Nothing to judge: every ratio 1.
		"rep.qingdao": {CallResponseRate: 1, MessageResponseRate: 1, ResponseRate: 1, Milestones: none},
	}
	check := func(caller string, q MetricsQuery, reps ...string) {
		t.Helper()
		if q.From == "" {
			q.From, q.To = "2025-03-01", "2025-03-15"
		}
		got, err := f.w.svc.Metrics(f.as(t, caller), q)
		if err != nil {
			t.Fatal(err)
		}
		byRep := map[uuid.UUID]RepMetrics{}
		for _, m := range got {
			byRep[m.RepID] = m
		}
		if len(got) != len(reps) {
			t.Errorf("%s sees %d reps, want %d", caller, len(got), len(reps))
		}
		for _, rep := range reps {
			w := want[rep]
			w.RepID = f.users[rep].ID
			if d := cmp.Diff(w, byRep[w.RepID], cmp.Comparer(near)); d != "" {
				t.Errorf("%s as seen by %s (-want +got):\n%s", rep, caller, d)
			}
		}
	}
	check("mgr.shandong", MetricsQuery{}, "rep.jinan.1", "rep.jinan.2", "rep.qingdao")
	check("mgr.shandong", MetricsQuery{RepIDs: []uuid.UUID{f.users["rep.jinan.2"].ID}}, "rep.jinan.2")
	check("rep.jinan.1", MetricsQuery{}, "rep.jinan.1") // the owner scope on the grouped query

	// The whole of March, read from the monthly rollups, adds what falls from the 15th on.
	// rep.jinan.1: the answered call at midnight on the 15th (777 s), so 7 calls, 5 outbound, 3 of
	// them answered (0.6), 4 answered in all, (420 + 777) / 4 = 299.25 s each (299 s); the reply of
	// the 16th at South, so 9 messages, still 5 outbound and 3 replied (0.6), and 6 key-account
	// touches of 2 accounts; together (3 + 3) / (5 + 5).
	want["rep.jinan.1"] = RepMetrics{Tally: Tally{Calls: 7, OutboundCalls: 5, AnsweredOutboundCalls: 3, AnsweredCalls: 4, CallTime: 1197 * time.Second,
		Messages: 9, OutboundMessages: 5, RepliedOutboundMessages: 3, Meetings: 1, KeyAccountTouches: 6, KeyAccountsTouched: 2},
		AvgCallDuration: 299 * time.Second, CallResponseRate: 0.6, MessageResponseRate: 0.6, ResponseRate: 0.6, Milestones: none}
	// rep.jinan.2: the answered call of the 16th at East (500 s): 3 calls, all outbound, 2
	// answered (2/3), (90 + 500) / 2 = 295 s each; 4 touches of East; (2 + 1) / (3 + 1).
	want["rep.jinan.2"] = RepMetrics{Tally: Tally{Calls: 3, OutboundCalls: 3, AnsweredOutboundCalls: 2, AnsweredCalls: 2, CallTime: 590 * time.Second,
		Messages: 1, OutboundMessages: 1, RepliedOutboundMessages: 1, KeyAccountTouches: 4, KeyAccountsTouched: 1},
		AvgCallDuration: 295 * time.Second, CallResponseRate: 2.0 / 3, MessageResponseRate: 1, ResponseRate: 0.75, Milestones: none}
	march := MetricsQuery{From: "2025-03-01", To: "2025-04-01"}
	check("mgr.shandong", march, "rep.jinan.1", "rep.jinan.2", "rep.qingdao")
	check("rep.jinan.1", march, "rep.jinan.1") // the owner scope on the rollups
	checkRollups(t, f)
}
