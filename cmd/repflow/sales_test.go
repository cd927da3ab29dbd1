package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/pipeline"
)

// An opportunity shows the follow-up that activities logged against it add up to, and logging
// one restarts its idle timers; an activity naming an opportunity its author may not work is
// refused.
func TestActivitiesFollowUpTheirOpportunity(t *testing.T) {
	h := newHarness(t)
	c := h.company("Follow Co")
	other := h.company("Other Co")
	path := "/api/v1/opportunities/" + c.opportunity.ID.String()

	var o pipeline.OpportunityDTO
	if code := h.call(c.tokens["rep"], http.MethodGet, path, nil, &o); code != http.StatusOK {
		t.Fatalf("get: %d", code)
	}
	// The company's fixture logged one answered call to the buyer against it.
	if e := o.Engagement; e == nil || e.Touches != 1 || e.ActivityKinds != 1 || e.ContactsReached != 1 || e.TouchesPerWeek <= 0 {
		t.Fatalf("engagement %+v", o.Engagement)
	}
	before := o.LastTouchedAt

	call := func(opportunity string) map[string]any {
		return map[string]any{"id": identity.NewID(), "kind": "message", "customer_id": c.customer.ID, "opportunity_id": opportunity,
			"occurred_at": time.Now(), "direction": "out", "channel": "wechat", "notes": "sent the price list"}
	}
	if code := h.call(c.tokens["rep"], http.MethodPost, "/api/v1/activities", call(c.opportunity.ID.String()), nil); code != http.StatusCreated {
		t.Fatalf("log a message: %d", code)
	}
	if code := h.call(c.tokens["rep"], http.MethodGet, path, nil, &o); code != http.StatusOK {
		t.Fatalf("get: %d", code)
	}
	if o.Engagement.Touches != 2 || o.Engagement.ActivityKinds != 2 || !o.LastTouchedAt.After(before) {
		t.Errorf("after a message: engagement %+v, last touched %v (was %v)", o.Engagement, o.LastTouchedAt, before)
	}
	var refusal map[string]any
	code := h.call(c.tokens["rep"], http.MethodPost, "/api/v1/activities", call(other.opportunity.ID.String()), &refusal)
	if code != http.StatusBadRequest {
		t.Errorf("an activity on another tenant's opportunity: %d %v", code, refusal)
	}
	code = h.call(c.tokens["rep2"], http.MethodPost, "/api/v1/activities", call(c.opportunity.ID.String()), &refusal)
	if code == http.StatusCreated {
		t.Errorf("rep2 logged an activity on rep's opportunity and customer")
	}
}

// An order may come from an opportunity of its customer (an FMCG trial order while the listing
// is open, or after it was won), never from another's or a lost one.
func TestOrdersNameOnlyTheirCustomersLiveOpportunities(t *testing.T) {
	h := newHarness(t)
	c := h.company("Deal Co")
	other := h.company("Other Co")
	line := []map[string]any{{"product_id": c.order.Lines[0].ProductID, "quantity": "2"}}
	order := func(opportunity string) int {
		return h.call(c.tokens["rep"], http.MethodPost, "/api/v1/orders", map[string]any{"customer_id": c.customer.ID, "currency": "CNY",
			"opportunity_id": opportunity, "lines": line}, nil)
	}
	if code := order(c.opportunity.ID.String()); code != http.StatusCreated {
		t.Errorf("a trial order for the open listing: %d", code)
	}
	if code := order(other.opportunity.ID.String()); code != http.StatusBadRequest {
		t.Errorf("an order naming another tenant's opportunity: %d", code)
	}
	rctx := identity.With(context.Background(), h.principal(c.tenant, c.users["rep"].ID))
	open, err := h.app.pipeline.ListTasks(rctx, pipeline.TaskFilter{OpportunityID: &c.opportunity.ID, Status: pipeline.TaskOpen})
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range open.Tasks {
		if _, err := h.app.pipeline.CompleteTask(rctx, task.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.app.pipeline.MoveOpportunity(rctx, c.opportunity.ID, pipeline.Move{Stage: "lost", Reason: "shelf space went to a rival"}); err != nil {
		t.Fatal(err)
	}
	if code := order(c.opportunity.ID.String()); code != http.StatusBadRequest {
		t.Errorf("an order for a lost listing: %d", code)
	}
}
