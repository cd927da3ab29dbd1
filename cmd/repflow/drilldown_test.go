package main

import (
	"context"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/activities"
	"github.com/repflow/repflow/platform/appraisal"
	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/orders"
	"github.com/repflow/repflow/platform/pipeline"
	"github.com/repflow/repflow/platform/visits"
)

// Every figure that is a count of records or a ratio of two drills down to a list, through the
// HTTP server, holding the records it was computed from: as many rows as the count, or as the
// ratio's denominator with as many flagged as its numerator. A colleague's call of the same path
// lists nothing of the rep's.
func TestFiguresDrillDownToTheirRecords(t *testing.T) {
	h := newHarness(t)
	c := h.company("Records Co")
	rep := c.users["rep"].ID
	loc := shanghai(t)
	now := time.Now().In(loc)
	from, _ := time.ParseInLocation("2006-01", now.Format("2006-01"), loc)
	to := from.AddDate(0, 1, 0)
	rctx := identity.With(context.Background(), h.principal(c.tenant, rep))
	mctx := identity.With(context.Background(), h.principal(c.tenant, c.users["manager"].ID))
	hq := identity.With(context.Background(), h.principal(c.tenant, c.users["hq"].ID))

	// The draft falls due today (no payment terms) and is half paid.
	terms := 0
	if _, err := h.app.orders.UpdateDraft(rctx, c.order.ID, orders.DraftChanges{PaymentTermsDays: &terms}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.app.orders.Transition(rctx, c.order.ID, orders.Submitted, ""); err != nil {
		t.Fatal(err)
	}
	approved, err := h.app.orders.Transition(mctx, c.order.ID, orders.Approved, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := h.app.orders.RecordPayment(rctx, c.order.ID, orders.NewPayment{ID: identity.NewID(),
		Amount: approved.Total.Div(decimal.NewFromInt(2)).Round(2), Method: orders.MethodCash}); err != nil {
		t.Fatal(err)
	}
	// A milestone planned for the month's first day, done today.
	project, err := h.app.activities.CreateProject(rctx, activities.NewProject{CustomerID: c.customer.ID, Name: "Shelf reset"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.app.activities.AddMilestone(rctx, project.ID, activities.NewMilestone{Name: "Planogram agreed",
		PlannedOn: from.Format(time.DateOnly), DoneOn: now.Format(time.DateOnly)}); err != nil {
		t.Fatal(err)
	}
	// The shop is a key account since last month; this month's call touched it.
	if _, err := h.app.activities.MarkKey(mctx, c.customer.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := h.app.store.Owner(context.Background()).Exec("UPDATE key_accounts SET marked_at = ? WHERE tenant_id = ? AND customer_id = ?",
		from.AddDate(0, -1, 3).UTC(), c.tenant, c.customer.ID).Error; err != nil {
		t.Fatal(err)
	}

	figures := appraisal.Figures{Actuals: map[string]kpi.Actual{}, Records: map[string]string{}}
	for _, source := range []appraisal.Source{visitSource(h.app.visits), activitySource(h.app.activities), orderSource(h.app.orders),
		pipelineSource(h.app.pipeline, h.app.activities), keyAccountSource(h.app.visits, h.app.activities, h.app.orders)} {
		figs, err := source(hq, from, to, []uuid.UUID{rep})
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range figs[rep].Actuals {
			figures.Actuals[k] = v
		}
		for k, v := range figs[rep].Records {
			figures.Records[k] = v
		}
	}
	// get lists the records of key as who, into out.
	get := func(who, key string, out any) {
		t.Helper()
		path, ok := figures.Records[key]
		if !ok {
			t.Fatalf("%s has no records", key)
		}
		if code, text := h.raw(c.tokens[who], http.MethodGet, path, nil); code != http.StatusOK {
			t.Fatalf("%s's records %s as %s: %d %s", key, path, who, code, text)
		}
		h.call(c.tokens[who], http.MethodGet, path, nil, out)
	}
	// want checks that the list of key has den rows, num of them counted in the numerator.
	want := func(key string, num, den float64) {
		t.Helper()
		a := figures.Actuals[key]
		if math.Abs(a.Num-num) > 1e-9 || math.Abs(a.Den-den) > 1e-9 || a.Den == 0 {
			t.Errorf("%s: the figure is %v of %v; its records %v of %v (%s)", key, a.Num, a.Den, num, den, figures.Records[key])
		}
	}

	var due visits.VisitCoveragePageDTO
	get("hq", "coverage_rate", &due)
	covered := 0
	for _, cu := range due.Customers {
		if cu.Covered {
			covered++
		}
	}
	want("coverage_rate", float64(covered), float64(len(due.Customers)))

	var fresh visits.CustomerPageDTO
	get("hq", "new_customers", &fresh)
	if n := figures.Actuals["new_customers"].Value; n != float64(len(fresh.Customers)) || n == 0 {
		t.Errorf("new customers: %v counted, %d listed", n, len(fresh.Customers))
	}

	var owed orders.OrderPageDTO
	get("hq", "payment_collection_rate", &owed)
	total, paid := decimal.Zero, decimal.Zero
	for _, o := range owed.Orders {
		total = total.Add(decimal.RequireFromString(o.Total))
		if o.Collected != nil {
			paid = paid.Add(decimal.RequireFromString(*o.Collected))
		}
	}
	if len(owed.Orders) != 1 || owed.Orders[0].ID != c.order.ID {
		t.Errorf("orders due: %+v, want the approved %s", owed.Orders, c.order.ID)
	}
	want("payment_collection_rate", paid.InexactFloat64(), total.InexactFloat64())

	var judged pipeline.ConversionPageDTO
	get("hq", "opportunity_conversion_rate", &judged)
	if a := figures.Actuals["opportunity_conversion_rate"]; a.Den != float64(len(judged.Opportunities)) || len(judged.Opportunities) != 1 ||
		judged.Opportunities[0].Opportunity.ID != c.opportunity.ID || !judged.Opportunities[0].Converted {
		t.Errorf("conversion %+v; judged %+v", a, judged.Opportunities)
	}

	var open pipeline.OpportunityPageDTO
	get("hq", "pipeline_value", &open)
	weighted := decimal.Zero
	for _, o := range open.Opportunities {
		weighted = weighted.Add(decimal.RequireFromString(o.Amount).Mul(decimal.NewFromInt(int64(o.Stage.Probability))).Div(decimal.NewFromInt(100)))
	}
	if v := figures.Actuals["pipeline_value"].Value; len(open.Opportunities) != 1 || math.Abs(v-weighted.InexactFloat64()) > 1e-6 {
		t.Errorf("pipeline value %v; open %+v", v, open.Opportunities)
	}

	var milestones activities.MilestonePunctualityDTO
	get("hq", "milestone_on_time_rate", &milestones)
	onTime := 0
	for _, m := range milestones.Milestones {
		if m.OnTime {
			onTime++
		}
	}
	want("milestone_on_time_rate", float64(onTime), float64(len(milestones.Milestones)))

	for key, count := range map[string]func(activities.KeyAccountTouchDTO) bool{
		"key_account_coverage":  func(a activities.KeyAccountTouchDTO) bool { return a.Touched },
		"key_account_retention": func(a activities.KeyAccountTouchDTO) bool { return a.Retained != nil && *a.Retained },
	} {
		var keys activities.KeyAccountTouchesDTO
		get("hq", key, &keys)
		n := 0
		for _, a := range keys.Accounts {
			if count(a) {
				n++
			}
			if a.Ordered == nil || a.Retained == nil {
				t.Errorf("%s: account %s does not say whether it ordered (%v) or was retained (%v)", key, a.CustomerID, a.Ordered, a.Retained)
			}
		}
		want(key, float64(n), float64(len(keys.Accounts)))
	}

	// rep2 may call every path, and lists none of the rep's records.
	for key := range figures.Records {
		var rows map[string]any
		get("rep2", key, &rows)
		for field, v := range rows {
			if list, ok := v.([]any); ok && len(list) > 0 {
				t.Errorf("rep2 lists %d %s of the rep's %s", len(list), field, key)
			}
		}
	}
}
