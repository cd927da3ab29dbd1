package pipeline

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/fault"
)

func byTitle(ts []TaskDTO, title string) (TaskDTO, bool) {
	for _, t := range ts {
		if t.Title == title {
			return t, true
		}
	}
	return TaskDTO{}, false
}

func countKind(rs []ReminderDTO, kind string, task *uuid.UUID, opp *uuid.UUID) int {
	n := 0
	for _, r := range rs {
		if r.Kind == kind && (task == nil || (r.TaskID != nil && *r.TaskID == *task)) &&
			(opp == nil || (r.OpportunityID != nil && *r.OpportunityID == *opp)) {
			n++
		}
	}
	return n
}

func TestStageEntryHandsOutTheChecklist(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0)
	f := w.tenant(t, "acme")
	before := time.Now()
	_, o := w.opened(t, f)
	if o.Stage.Key != "qualify" || o.Status != "open" || o.Amount != "12500.50" || o.OwnerID != f.users["rep"].ID {
		t.Fatalf("opened as %+v", o)
	}
	mine := w.tasks(t, f, "rep", o.ID)
	call, ok := byTitle(mine, "Call the buyer")
	if len(mine) != 1 || !ok || !call.Required || call.OwnerID != f.users["rep"].ID || call.Stage != "qualify" {
		t.Fatalf("the rep's tasks: %+v", mine)
	}
	if due := call.DueAt.Sub(before); due < 47*time.Hour || due > 49*time.Hour {
		t.Errorf("due %v after opening, want 2 days", due)
	}
	team := w.tasks(t, f, "mgr", o.ID)
	approve, ok := byTitle(team, "Approve the discount")
	if len(team) != 2 || !ok || approve.OwnerID != f.users["mgr"].ID || approve.Required {
		t.Errorf("the manager's view: %+v", team)
	}
	// Another rep, and the other region's manager, see none of it.
	refused(t, w, f, "rep2", http.MethodGet, "/api/v1/opportunities/"+o.ID.String(), nil, http.StatusNotFound, "not_found", "")
	refused(t, w, f, "mgrSouth", http.MethodGet, "/api/v1/opportunities/"+o.ID.String(), nil, http.StatusNotFound, "not_found", "")
	if ts := w.tasks(t, f, "rep2", o.ID); len(ts) != 0 {
		t.Errorf("another rep sees tasks %+v", ts)
	}
}

func TestRequiredTasksKeepTheOpportunityInItsStage(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0)
	f := w.tenant(t, "acme")
	_, o := w.opened(t, f)
	path := "/api/v1/opportunities/" + o.ID.String()
	refused(t, w, f, "rep", http.MethodPost, path+"/moves", map[string]any{"stage": "proposal"},
		http.StatusConflict, "required_tasks_open", "")
	got := call[OpportunityDTO](t, w, f, "rep", http.MethodGet, path, nil, http.StatusOK)
	if got.Stage.Key != "qualify" || len(got.History) != 1 {
		t.Fatalf("a refused move changed the opportunity: %+v", got)
	}
	callTask, _ := byTitle(w.tasks(t, f, "rep", o.ID), "Call the buyer")
	call[TaskDTO](t, w, f, "rep", http.MethodPost, "/api/v1/tasks/"+callTask.ID.String()+"/complete", nil, http.StatusOK)
	moved := call[OpportunityDTO](t, w, f, "rep", http.MethodPost, path+"/moves", map[string]any{"stage": "proposal"}, http.StatusOK)
	if moved.Stage.Key != "proposal" || moved.Stage.Probability != 40 {
		t.Fatalf("moved to %+v", moved.Stage)
	}
	got = call[OpportunityDTO](t, w, f, "mgr", http.MethodGet, path, nil, http.StatusOK)
	rep := f.users["rep"].ID
	if len(got.History) != 2 || got.History[0].FromStage != nil || got.History[0].ToStage != "qualify" ||
		*got.History[1].FromStage != "qualify" || got.History[1].ToStage != "proposal" ||
		got.History[1].MovedBy == nil || *got.History[1].MovedBy != rep || got.History[0].MovedBy == nil || *got.History[0].MovedBy != rep {
		t.Errorf("history %+v", got.History)
	}
	approve, _ := byTitle(w.tasks(t, f, "mgr", o.ID), "Approve the discount")
	if approve.Status != TaskCancelled {
		t.Errorf("the optional task left behind is %s, want cancelled", approve.Status)
	}
	if _, ok := byTitle(w.tasks(t, f, "rep", o.ID), "Send the proposal"); !ok {
		t.Error("entering proposal handed out no proposal task")
	}
}

func TestTasksCompletedRuleRemindsAndMovesOn(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0)
	f := w.tenant(t, "acme")
	_, o := w.opened(t, f)
	path := "/api/v1/opportunities/" + o.ID.String()
	callTask, _ := byTitle(w.tasks(t, f, "rep", o.ID), "Call the buyer")
	call[TaskDTO](t, w, f, "rep", http.MethodPost, "/api/v1/tasks/"+callTask.ID.String()+"/complete", nil, http.StatusOK)
	call[OpportunityDTO](t, w, f, "rep", http.MethodPost, path+"/moves", map[string]any{"stage": "proposal"}, http.StatusOK)
	send, _ := byTitle(w.tasks(t, f, "rep", o.ID), "Send the proposal")
	call[TaskDTO](t, w, f, "rep", http.MethodPost, "/api/v1/tasks/"+send.ID.String()+"/complete", nil, http.StatusOK)
	got := call[OpportunityDTO](t, w, f, "rep", http.MethodGet, path, nil, http.StatusOK)
	last := got.History[len(got.History)-1]
	if got.Stage.Key != "negotiate" || last.MovedBy != nil || last.Reason != "workflow rule: proposal sent" {
		t.Fatalf("after the last proposal task: stage %s, last move %+v", got.Stage.Key, last)
	}
	if n := countKind(w.reminders(t, f, "mgr"), "tasks_completed", nil, &o.ID); n != 1 {
		t.Errorf("the manager got %d tasks_completed reminders, want 1", n)
	}
	if n := countKind(w.reminders(t, f, "mgr"), "stage_entered", nil, &o.ID); n != 1 {
		t.Errorf("the manager got %d reminders of the negotiation's start, want 1", n)
	}
	// Done twice is refused, and changes nothing.
	refused(t, w, f, "rep", http.MethodPost, "/api/v1/tasks/"+send.ID.String()+"/complete", nil, http.StatusConflict, "task_not_open", "")

	// The manager's figures for the hour around it: one new opportunity, through qualify and
	// proposal (each entered once and left forward) into negotiate; 12,500.50 open, 70 % of it
	// weighted. Another rep's figures show none of it.
	period := "?from=" + url.QueryEscape(time.Now().Add(-time.Hour).Format(time.RFC3339)) + "&to=" + url.QueryEscape(time.Now().Add(time.Hour).Format(time.RFC3339))
	m := call[PipelineMetricsDTO](t, w, f, "mgr", http.MethodGet, "/api/v1/pipeline-metrics"+period, nil, http.StatusOK)
	want := []StageConversionDTO{{"qualify", 1, 1, 1}, {"proposal", 1, 1, 1}, {"negotiate", 1, 0, 0}}
	if len(m.Reps) != 1 || m.Reps[0].NewOpportunities != 1 || m.Reps[0].OpenValue != "12500.50" || m.Reps[0].WeightedValue != "8750.35" ||
		!slices.Equal(m.Reps[0].Conversion, want) {
		t.Errorf("metrics %+v", m.Reps)
	}
	if m := call[PipelineMetricsDTO](t, w, f, "rep2", http.MethodGet, "/api/v1/pipeline-metrics"+period, nil, http.StatusOK); len(m.Reps) != 0 {
		t.Errorf("another rep's metrics show %+v", m.Reps)
	}
}

// An opportunity opened in the express stage is moved on by the workflow at once: its history
// shows both steps, the second by the rule.
func TestStageEntryMovesOn(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0)
	f := w.tenant(t, "acme")
	p, _ := w.opened(t, f)
	o := call[OpportunityDTO](t, w, f, "rep", http.MethodPost, "/api/v1/opportunities", map[string]any{
		"pipeline_id": p.ID, "customer_id": f.shop, "name": "Repeat listing", "amount": "300", "currency": "CNY",
		"expected_close": "2027-01-31", "stage": "express"}, http.StatusCreated)
	got := call[OpportunityDTO](t, w, f, "rep", http.MethodGet, "/api/v1/opportunities/"+o.ID.String(), nil, http.StatusOK)
	if got.Stage.Key != "negotiate" || len(got.History) != 2 || got.History[0].ToStage != "express" ||
		got.History[1].ToStage != "negotiate" || got.History[1].MovedBy != nil || got.History[1].Reason != "workflow rule: express lane" {
		t.Errorf("opened in express: stage %s, history %+v", got.Stage.Key, got.History)
	}
	if n := countKind(w.reminders(t, f, "mgr"), "stage_entered", nil, &o.ID); n != 1 {
		t.Errorf("the manager got %d reminders of the negotiation's start, want 1", n)
	}
}

func TestClosingNeedsAReasonAndEndsTheOpportunity(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0)
	f := w.tenant(t, "acme")
	_, o := w.opened(t, f)
	path := "/api/v1/opportunities/" + o.ID.String()
	callTask, _ := byTitle(w.tasks(t, f, "rep", o.ID), "Call the buyer")
	call[TaskDTO](t, w, f, "rep", http.MethodPost, "/api/v1/tasks/"+callTask.ID.String()+"/complete", nil, http.StatusOK)
	refused(t, w, f, "rep", http.MethodPost, path+"/moves", map[string]any{"stage": "lost"}, http.StatusBadRequest, "invalid_input", "body.reason")
	lost := call[OpportunityDTO](t, w, f, "rep", http.MethodPost, path+"/moves",
		map[string]any{"stage": "lost", "reason": "the chain lists a competitor"}, http.StatusOK)
	if lost.Status != "lost" || lost.ClosedAt == nil || lost.OutcomeReason != "the chain lists a competitor" {
		t.Fatalf("closed as %+v", lost)
	}
	refused(t, w, f, "rep", http.MethodPost, path+"/moves", map[string]any{"stage": "qualify"}, http.StatusConflict, "opportunity_closed", "")
}

func TestOverdueTaskRemindsTheOwnerOnceThenEscalates(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0)
	f := w.tenant(t, "acme")
	_, o := w.opened(t, f)
	tasks := w.tasks(t, f, "mgr", o.ID)
	late, _ := byTitle(tasks, "Call the buyer")
	call[TaskDTO](t, w, f, "rep", http.MethodPatch, "/api/v1/tasks/"+late.ID.String(),
		map[string]any{"due_at": time.Now().Add(300 * time.Millisecond)}, http.StatusOK)
	// The manager's task is moved too, then moved back into the future before it falls due:
	// its first timer finds a different due time and does nothing.
	kept, _ := byTitle(tasks, "Approve the discount")
	call[TaskDTO](t, w, f, "mgr", http.MethodPatch, "/api/v1/tasks/"+kept.ID.String(),
		map[string]any{"due_at": time.Now().Add(300 * time.Millisecond)}, http.StatusOK)
	call[TaskDTO](t, w, f, "mgr", http.MethodPatch, "/api/v1/tasks/"+kept.ID.String(),
		map[string]any{"due_at": time.Now().Add(time.Hour)}, http.StatusOK)

	eventually(t, 20*time.Second, "the rep's overdue reminder", func() bool {
		return countKind(w.reminders(t, f, "rep"), "task_overdue", &late.ID, nil) > 0
	})
	eventually(t, 20*time.Second, "the escalation to the manager", func() bool {
		return countKind(w.reminders(t, f, "mgr"), "escalation", &late.ID, nil) > 0
	})
	time.Sleep(1500 * time.Millisecond) // room for a second firing to show
	if n := countKind(w.reminders(t, f, "rep"), "task_overdue", &late.ID, nil); n != 1 {
		t.Errorf("%d overdue reminders, want 1", n)
	}
	if n := countKind(w.reminders(t, f, "mgr"), "escalation", &late.ID, nil); n != 1 {
		t.Errorf("%d escalations, want 1", n)
	}
	if n := countKind(w.reminders(t, f, "mgr"), "task_overdue", &kept.ID, nil); n != 0 {
		t.Errorf("a rescheduled task's stale timer reminded %d times", n)
	}
	overdue := call[TaskPageDTO](t, w, f, "rep", http.MethodGet, "/api/v1/tasks?overdue=true", nil, http.StatusOK).Tasks
	if len(overdue) != 1 || overdue[0].ID != late.ID || !overdue[0].Overdue {
		t.Errorf("the rep's overdue tasks: %+v", overdue)
	}
	// Reminders are their recipient's: read one, and nobody else can.
	r := w.reminders(t, f, "rep")[0]
	refused(t, w, f, "rep2", http.MethodPost, "/api/v1/reminders/"+r.ID.String()+"/read", nil, http.StatusNotFound, "not_found", "")
	call[struct{}](t, w, f, "rep", http.MethodPost, "/api/v1/reminders/"+r.ID.String()+"/read", nil, http.StatusNoContent)
	unread := call[ReminderPageDTO](t, w, f, "rep", http.MethodGet, "/api/v1/reminders?unread=true", nil, http.StatusOK).Reminders
	for _, u := range unread {
		if u.ID == r.ID {
			t.Error("a read reminder is listed as unread")
		}
	}
}

// The service's clock runs a day behind the queue's, so the one-day idle timer of an
// opportunity touched "now" falls due two seconds from now.
func TestIdleOpportunityRemindsOnceAfterItsLastTouch(t *testing.T) {
	t.Parallel()
	w := newWorld(t, -24*time.Hour+2*time.Second)
	f := w.tenant(t, "acme")
	_, quiet := w.opened(t, f)
	busy := call[OpportunityDTO](t, w, f, "rep", http.MethodPost, "/api/v1/opportunities", map[string]any{
		"pipeline_id": quiet.PipelineID, "customer_id": f.shop, "name": "Second listing", "amount": "800",
		"currency": "CNY", "expected_close": "2027-03-31"}, http.StatusCreated)
	time.Sleep(time.Second)
	// A touch a second later replaces the busy one's timer.
	call[OpportunityDTO](t, w, f, "rep", http.MethodPatch, "/api/v1/opportunities/"+busy.ID.String(),
		map[string]any{"next_step": "call back on Monday"}, http.StatusOK)
	eventually(t, 30*time.Second, "both idle reminders", func() bool {
		rs := w.reminders(t, f, "rep")
		return countKind(rs, "opportunity_idle", nil, &quiet.ID) > 0 && countKind(rs, "opportunity_idle", nil, &busy.ID) > 0
	})
	time.Sleep(1500 * time.Millisecond)
	rs := w.reminders(t, f, "rep")
	if q, b := countKind(rs, "opportunity_idle", nil, &quiet.ID), countKind(rs, "opportunity_idle", nil, &busy.ID); q != 1 || b != 1 {
		t.Errorf("idle reminders: %d for the quiet one, %d for the touched one; want one each", q, b)
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0)
	f := w.tenant(t, "acme")
	p, o := w.opened(t, f)
	opp := func(change map[string]any) map[string]any {
		body := map[string]any{"pipeline_id": p.ID, "customer_id": f.shop, "name": "x", "amount": "1", "currency": "CNY", "expected_close": "2027-01-01"}
		for k, v := range change {
			body[k] = v
		}
		return body
	}
	cases := []struct {
		name, key, method, path string
		body                    any
		status                  int
		code, location          string
	}{
		{"unknown stage", "rep", "POST", "/api/v1/opportunities/" + o.ID.String() + "/moves", map[string]any{"stage": "propsal"}, 400, "invalid_input", "body.stage"},
		{"currency not used", "rep", "POST", "/api/v1/opportunities", opp(map[string]any{"currency": "USD"}), 400, "invalid_input", "body.currency"},
		{"negative amount", "rep", "POST", "/api/v1/opportunities", opp(map[string]any{"amount": "-5"}), 400, "invalid_input", "body.amount"},
		{"bad date", "rep", "POST", "/api/v1/opportunities", opp(map[string]any{"expected_close": "2027-02-30"}), 422, "invalid_input", "body.expected_close"},
		{"foreign customer", "rep", "POST", "/api/v1/opportunities", opp(map[string]any{"customer_id": uuid.New()}), 400, "invalid_reference", "body.customer_id"},
		{"rule on unknown stage", "admin", "POST", "/api/v1/pipelines", withRule(map[string]any{"name": "bad",
			"when": map[string]any{"event": "stage_entered", "stage": "nowhere"}, "then": []map[string]any{{"do": "create_tasks"}}}),
			400, "invalid_pipeline", "body.rules[7].when.stage"},
		{"loop", "admin", "POST", "/api/v1/pipelines", withRule(map[string]any{"name": "back",
			"when": map[string]any{"event": "stage_entered", "stage": "negotiate"}, "then": []map[string]any{{"do": "move_to_stage", "stage": "proposal"}}},
			map[string]any{"name": "forth", "when": map[string]any{"event": "stage_entered", "stage": "proposal"},
				"then": []map[string]any{{"do": "move_to_stage", "stage": "negotiate"}}}), 400, "invalid_pipeline", "body.rules[7]"},
		{"remove a stage in use", "admin", "PUT", "/api/v1/pipelines/" + p.ID.String(), withoutStage("qualify"), 409, "stage_in_use", "body.stages"},
		{"stale revision", "admin", "PUT", "/api/v1/pipelines/" + p.ID.String(), withRevision(p.Revision + 7), 409, "pipeline_changed", ""},
		{"a rep edits the pipeline", "rep", "POST", "/api/v1/pipelines", testPipeline(), 403, "forbidden", ""},
	}
	before := call[OpportunityPageDTO](t, w, f, "admin", http.MethodGet, "/api/v1/opportunities", nil, http.StatusOK)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			refused(t, w, f, tc.key, tc.method, tc.path, tc.body, tc.status, tc.code, tc.location)
		})
	}
	after := call[OpportunityPageDTO](t, w, f, "admin", http.MethodGet, "/api/v1/opportunities", nil, http.StatusOK)
	if len(after.Opportunities) != len(before.Opportunities) || after.Opportunities[0].Stage.Key != "qualify" {
		t.Errorf("refused requests changed the opportunities: %+v", after.Opportunities)
	}
	ps := call[PipelineListDTO](t, w, f, "admin", http.MethodGet, "/api/v1/pipelines", nil, http.StatusOK)
	if len(ps.Pipelines) != 1 || ps.Pipelines[0].Revision != p.Revision || len(ps.Pipelines[0].Stages) != 6 {
		t.Errorf("refused edits changed the pipelines: %+v", ps.Pipelines)
	}
}

func withRule(rules ...map[string]any) map[string]any {
	p := testPipeline()
	p["name"] = "Another"
	p["rules"] = append(p["rules"].([]map[string]any), rules...)
	return p
}

func withoutStage(key string) map[string]any {
	p := testPipeline()
	var kept []map[string]any
	for _, s := range p["stages"].([]map[string]any) {
		if s["key"] != key {
			kept = append(kept, s)
		}
	}
	p["stages"] = kept
	p["rules"] = p["rules"].([]map[string]any)[1:] // the first names the stage removed
	return p
}

func withRevision(r int64) map[string]any {
	p := testPipeline()
	p["revision"] = r
	return p
}

// A customer with an opportunity cannot be deleted: the sales history stays whole.
func TestCustomerWithOpportunitiesIsKept(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0)
	f := w.tenant(t, "acme")
	_, o := w.opened(t, f)
	err := w.visits.DeleteCustomer(w.as(t, f, "admin"), f.shop)
	if fe, ok := fault.As(err); !ok || fe.Kind != fault.Conflict || fe.Code != "customer_has_records" {
		t.Fatalf("deleting a customer with an opportunity: %v", err)
	}
	call[OpportunityDTO](t, w, f, "rep", http.MethodGet, "/api/v1/opportunities/"+o.ID.String(), nil, http.StatusOK)
}
