package activities

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web/webtest"
)

// The timeline merges three sources newest first; a service record and a milestone at the same
// instant keep one order across pages of one entry each.
func TestTimeline(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	plant := f.customer(t, "Sinopump Plant", "rep.jinan.1", "Jinan")
	elsewhere := f.customer(t, "Jinan Pumps", "rep.jinan.1", "Jinan")
	logActivity(t, f, "rep.jinan.1", callBody(plant, "out", "answered", 30, at(18, 9, 0)))
	logActivity(t, f, "rep.jinan.1", map[string]any{"id": identity.NewID(), "kind": "meeting", "customer_id": plant,
		"occurred_at": at(15, 14, 0), "ended_at": at(15, 16, 0)})
	logActivity(t, f, "rep.jinan.1", messageBody(plant, "out", "email", at(10, 9, 0)))
	logActivity(t, f, "rep.jinan.1", callBody(elsewhere, "out", "answered", 30, at(16, 9, 0)))
	record := func(kind string, when any) {
		must[ServiceRecordDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/service-records",
			map[string]any{"customer_id": plant, "kind": kind, "summary": kind, "occurred_at": when}, http.StatusCreated)
	}
	record("inspection", at(12, 0, 0))
	record("installation", at(5, 10, 0))
	project := must[ProjectDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/projects",
		map[string]any{"customer_id": plant, "name": "Retrofit"}, http.StatusCreated)
	for _, m := range []map[string]any{
		{"name": "design", "planned_on": "2025-03-14", "done_on": "2025-03-12"},
		{"name": "delivery", "planned_on": "2025-03-25"},
	} {
		must[MilestoneDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/projects/"+project.ID.String()+"/milestones", m, http.StatusCreated)
	}

	var got []string
	cursor := ""
	for range 10 {
		page := must[TimelinePageDTO](t, f, "rep.jinan.1", http.MethodGet, "/api/v1/accounts/"+plant.String()+"/timeline?limit=1"+cursor, nil, http.StatusOK)
		for _, e := range page.Entries {
			what := e.Kind
			switch {
			case e.Activity != nil:
				what += ":" + e.Activity.Kind
			case e.Milestone != nil:
				what += ":" + e.Milestone.Name + "@" + e.ProjectName
			case e.ServiceRecord != nil:
				what += ":" + e.ServiceRecord.Kind
			}
			got = append(got, what+" "+e.At.In(shanghai).Format("01-02 15:04"))
		}
		if page.NextCursor == nil {
			break
		}
		cursor = "&cursor=" + *page.NextCursor
	}
	want := []string{
		"milestone:delivery@Retrofit 03-25 00:00", // planned, not done yet
		"activity:call 03-18 09:00",
		"activity:meeting 03-15 14:00",
		"service_record:inspection 03-12 00:00",
		"milestone:design@Retrofit 03-12 00:00", // done on the 12th: same instant, after the record
		"activity:message 03-10 09:00",
		"service_record:installation 03-05 10:00",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("timeline pages (-want +got):\n%s", d)
	}
	whole := must[TimelinePageDTO](t, f, "rep.jinan.1", http.MethodGet, "/api/v1/accounts/"+plant.String()+"/timeline", nil, http.StatusOK)
	if len(whole.Entries) != len(want) || whole.NextCursor != nil {
		t.Errorf("one page of 50 has %d entries, next %v", len(whole.Entries), whole.NextCursor)
	}
}

// A missed date stays missed: a milestone is re-planned only while its day is ahead.
func TestMilestoneRules(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.tenant(t, "acme")
	plant := f.customer(t, "Sinopump Plant", "rep.jinan.1", "Jinan")
	project := must[ProjectDTO](t, f, "rep.jinan.1", http.MethodPost, "/api/v1/projects",
		map[string]any{"customer_id": plant, "name": "Retrofit"}, http.StatusCreated)
	base := "/api/v1/projects/" + project.ID.String() + "/milestones"
	past := must[MilestoneDTO](t, f, "rep.jinan.1", http.MethodPost, base, map[string]any{"name": "design", "planned_on": "2025-03-10"}, http.StatusCreated)
	ahead := must[MilestoneDTO](t, f, "rep.jinan.1", http.MethodPost, base, map[string]any{"name": "delivery", "planned_on": "2025-03-28"}, http.StatusCreated)

	status, raw := f.call(t, "rep.jinan.1", http.MethodPatch, base+"/"+past.ID.String(), map[string]any{"planned_on": "2025-03-30"})
	webtest.WantError(t, status, raw, http.StatusConflict, "milestone_date_passed", "")
	moved := must[MilestoneDTO](t, f, "rep.jinan.1", http.MethodPatch, base+"/"+ahead.ID.String(), map[string]any{"planned_on": "2025-04-02"}, http.StatusOK)
	if moved.PlannedOn != "2025-04-02" {
		t.Errorf("re-planned to %s", moved.PlannedOn)
	}
	status, raw = f.call(t, "rep.jinan.1", http.MethodPatch, base+"/"+ahead.ID.String(), map[string]any{"done_on": "2025-03-21"})
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_input", "body.done_on")
	status, raw = f.call(t, "rep.jinan.1", http.MethodPost, base, map[string]any{"name": "x", "planned_on": "2025-02-30"})
	webtest.WantError(t, status, raw, http.StatusBadRequest, "invalid_input", "body.planned_on")
	done := must[MilestoneDTO](t, f, "rep.jinan.1", http.MethodPatch, base+"/"+past.ID.String(), map[string]any{"done_on": "2025-03-11"}, http.StatusOK)
	undone := must[MilestoneDTO](t, f, "rep.jinan.1", http.MethodPatch, base+"/"+past.ID.String(), map[string]any{"done_on": ""}, http.StatusOK)
	if done.DoneOn == nil || *done.DoneOn != "2025-03-11" || undone.DoneOn != nil {
		t.Errorf("done %v, undone %v", done.DoneOn, undone.DoneOn)
	}
	got := must[ProjectDTO](t, f, "mgr.shandong", http.MethodGet, "/api/v1/projects/"+project.ID.String(), nil, http.StatusOK)
	if len(got.Milestones) != 2 || got.Milestones[0].Name != "design" {
		t.Errorf("project's milestones by planned day: %+v", got.Milestones)
	}
}
