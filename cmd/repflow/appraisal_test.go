package main

import (
	"context"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/repflow/repflow/platform/appraisal"
	"github.com/repflow/repflow/platform/identity"
)

// A rep's scorecard is made from the domains' figures under the tenant's template (the one sign-up
// seeded), with the targets the manager set; the pace says what the rest of the month needs.
func TestScorecardFromTheRecordedWork(t *testing.T) {
	h := newHarness(t)
	c := h.company("Score Co")
	rep := c.users["rep"].ID
	month := time.Now().In(shanghai(t)).Format("2006-01")
	mctx := identity.With(context.Background(), h.principal(c.tenant, c.users["manager"].ID))
	if _, err := h.app.appraisal.SetTargets(mctx, month, []appraisal.NewTarget{
		{RepID: rep, Metric: "visits", Value: 40}, {RepID: rep, Metric: "orders", Value: 8}}); err != nil {
		t.Fatal(err)
	}
	var card appraisal.ScorecardDTO
	path := "/api/v1/appraisal/scorecard?period=" + month + "&rep_id=" + rep.String()
	if code := h.call(c.tokens["manager"], http.MethodGet, path, nil, &card); code != http.StatusOK {
		t.Fatalf("scorecard: %d", code)
	}
	if card.TemplateVersion != 1 || card.Template != "FMCG field sales" || card.Period != month {
		t.Fatalf("scored under %q version %d for %s", card.Template, card.TemplateVersion, card.Period)
	}
	lines := map[string]int{}
	for i, m := range card.Metrics {
		lines[m.Key] = i
	}
	// The fixture's rep has one visit still open (not counted) and one draft order (not
	// approved): nothing counted yet against targets of 40 visits and 8 orders.
	visits, orders := card.Metrics[lines["visits"]], card.Metrics[lines["orders"]]
	if visits.Target != 40 || visits.Actual != 0 || orders.Target != 8 || orders.Actual != 0 {
		t.Errorf("visits %+v, orders %+v", visits, orders)
	}
	// The pace spreads the 40 visits over the working days left (today included).
	if p := visits.Pace; card.DaysRemaining > 0 && (p == nil || p.Remaining != 40 ||
		math.Abs(p.PerDay-math.Ceil(40/float64(card.DaysRemaining)*10)/10) > 1e-9) {
		t.Errorf("pace %+v over %d working days", visits.Pace, card.DaysRemaining)
	}
	// Revenue has no target in the template nor from the manager: left out, its weight shared.
	if rev := card.Metrics[lines["revenue"]]; rev.Status != "no_target" || card.ScoredWeight != 90 {
		t.Errorf("revenue line %+v, scored weight %d", rev, card.ScoredWeight)
	}
	if code := h.call(c.tokens["rep"], http.MethodGet, path, nil, &card); code != http.StatusOK {
		t.Errorf("the rep's own scorecard: %d", code)
	}
	for _, who := range []string{"rep2", "managerSouth"} {
		if code := h.call(c.tokens[who], http.MethodGet, path, nil, nil); code != http.StatusNotFound {
			t.Errorf("%s reads the rep's scorecard: %d", who, code)
		}
	}
	if code := h.call(c.tokens["manager"], http.MethodGet, "/api/v1/appraisal/scorecard?period=2099-01&rep_id="+rep.String(), nil, nil); code != http.StatusBadRequest {
		t.Errorf("a month that has not started: %d", code)
	}
}

func shanghai(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
