package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/repflow/repflow/platform/activities"
	"github.com/repflow/repflow/platform/appraisal"
	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/orders"
	"github.com/repflow/repflow/platform/pipeline"
	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/platform/visits/geo"
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
	visited, ordered := card.Metrics[lines["visits"]], card.Metrics[lines["orders"]]
	if visited.Target != 40 || visited.Actual != 0 || ordered.Target != 8 || ordered.Actual != 0 {
		t.Errorf("visits %+v, orders %+v", visited, ordered)
	}
	// The pace spreads the 40 visits over the working days left (today included).
	if p := visited.Pace; card.DaysRemaining > 0 && (p == nil || p.Remaining != 40 ||
		math.Abs(p.PerDay-math.Ceil(40/float64(card.DaysRemaining)*10)/10) > 1e-9) {
		t.Errorf("pace %+v over %d working days", visited.Pace, card.DaysRemaining)
	}
	// Revenue has no target in the template nor from the manager: left out, its weight shared.
	if rev := card.Metrics[lines["revenue"]]; rev.Status != "no_target" || card.ScoredWeight != 90 {
		t.Errorf("revenue line %+v, scored weight %d", rev, card.ScoredWeight)
	}
	// The month is running: the rep's open opportunity is suggested to close, and a new customer,
	// never visited, to visit (the fixture's customer has a visit in progress, so is not due).
	fresh, err := h.app.visits.CreateCustomer(mctx, visits.NewCustomer{Name: "Fresh Mart", Grade: visits.GradeB, OwnerID: rep,
		RegionID: c.regions["jinan"].ID, Location: visits.Position{Point: geo.Point{Lat: 36.66, Lon: 117.13}, Datum: visits.WGS84},
		Fence: visits.FenceInput{Kind: visits.FenceCircle, RadiusM: 60}})
	if err != nil {
		t.Fatal(err)
	}
	if code := h.call(c.tokens["manager"], http.MethodGet, path, nil, &card); code != http.StatusOK {
		t.Fatalf("scorecard: %d", code)
	}
	// The rep's customers are both new this month: the fixture's and Fresh Mart.
	from, _ := time.ParseInLocation("2006-01", month, shanghai(t))
	figs, err := visitSource(h.app.visits)(mctx, from, from.AddDate(0, 1, 0), []uuid.UUID{rep})
	if err != nil || figs[rep].Actuals["new_customers"].Value != 2 {
		t.Errorf("new customers %+v (%v), want 2", figs[rep].Actuals["new_customers"], err)
	}
	kinds := map[string]uuid.UUID{}
	for _, a := range card.Actions {
		kinds[a.Kind] = a.ID
	}
	if kinds[appraisal.ActionCloseOpportunity] != c.opportunity.ID || kinds[appraisal.ActionVisitCustomer] != fresh.ID {
		t.Errorf("suggested actions %+v, want the opportunity %s and the customer %s", card.Actions, c.opportunity.ID, fresh.ID)
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

func shanghai(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// One click appraises the month; the version is frozen: a later change to the targets leaves it
// as it was, and making the month again gives version 2 with the change listed. Its Excel file
// opens and holds the same reps and totals as the API's answer.
func TestReportIsFrozenRecomputedAndExported(t *testing.T) {
	h := newHarness(t)
	c := h.company("Report Co")
	month := time.Now().In(shanghai(t)).Format("2006-01")
	hq := c.tokens["hq"]
	// The company's fixture made version 1 of this month already.
	var versions appraisal.ReportVersionsDTO
	if code := h.call(hq, http.MethodGet, "/api/v1/appraisal/reports?period="+month, nil, &versions); code != http.StatusOK || len(versions.Versions) != 1 {
		t.Fatalf("versions: %d %+v", code, versions)
	}
	var v1 appraisal.AppraisalReportDTO
	if code := h.call(hq, http.MethodGet, "/api/v1/appraisal/reports/"+versions.Versions[0].ID.String(), nil, &v1); code != http.StatusOK {
		t.Fatalf("version 1: %d", code)
	}
	if len(v1.Reps) != 3 || v1.Reps[0].Rank != 1 {
		t.Fatalf("version 1 reps: %+v", v1.Reps)
	}
	// The manager raises the rep's visits target: the frozen version does not move.
	mctx := identity.With(context.Background(), h.principal(c.tenant, c.users["manager"].ID))
	if _, err := h.app.appraisal.SetTargets(mctx, month, []appraisal.NewTarget{{RepID: c.users["rep"].ID, Metric: "visits", Value: 60}}); err != nil {
		t.Fatal(err)
	}
	var again appraisal.AppraisalReportDTO
	h.call(hq, http.MethodGet, "/api/v1/appraisal/reports/"+v1.ID.String(), nil, &again)
	if again.Version != 1 || len(again.Reps) != len(v1.Reps) || again.Reps[0].Card.Total != v1.Reps[0].Card.Total {
		t.Errorf("version 1 changed after the targets did")
	}
	var v2 appraisal.AppraisalReportDTO
	if code := h.call(hq, http.MethodPost, "/api/v1/appraisal/reports", map[string]any{"period": month}, &v2); code != http.StatusCreated || v2.Version != 2 {
		t.Fatalf("recompute: %d version %d", code, v2.Version)
	}
	changed := false
	for _, ch := range v2.Changes {
		for _, m := range ch.MetricsChanged {
			changed = changed || (ch.RepID == c.users["rep"].ID && m.Key == "visits" && m.TargetAfter == 60)
		}
	}
	if !changed {
		t.Errorf("version 2's changes %+v do not show the rep's new visits target", v2.Changes)
	}
	// A rep neither makes nor reads reports.
	if code := h.call(c.tokens["rep"], http.MethodPost, "/api/v1/appraisal/reports", map[string]any{"period": month}, nil); code != http.StatusForbidden {
		t.Errorf("a rep made a report: %d", code)
	}

	var page []byte
	if code := h.call(hq, http.MethodGet, "/api/v1/appraisal/reports/"+v2.ID.String()+"/html?lang=zh", nil, &page); code != http.StatusOK {
		t.Fatalf("printable page: %d", code)
	}
	for _, r := range v2.Reps {
		if !strings.Contains(string(page), r.Name) {
			t.Errorf("the printable page does not name %s", r.Name)
		}
	}
	if code := h.call(c.tokens["rep"], http.MethodGet, "/api/v1/appraisal/reports/"+v2.ID.String()+"/html", nil, nil); code != http.StatusNotFound {
		t.Errorf("a rep printed the report: %d", code)
	}
	var xlsx []byte
	if code := h.call(hq, http.MethodGet, "/api/v1/appraisal/reports/"+v2.ID.String()+"/excel", nil, &xlsx); code != http.StatusOK {
		t.Fatalf("excel: %d", code)
	}
	book, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	rows, err := book.GetRows(book.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	// Row 1 is the title, row 2 the header, then one row per rep, then the totals.
	if len(rows) != 2+len(v2.Reps)+1 {
		t.Fatalf("%d rows for %d reps", len(rows), len(v2.Reps))
	}
	for i, r := range v2.Reps {
		if rows[2+i][1] != r.Name {
			t.Errorf("row %d names %q, the API %q", 3+i, rows[2+i][1], r.Name)
		}
	}
	var mean float64
	for _, r := range v2.Reps {
		mean += r.Card.Total / float64(len(v2.Reps))
	}
	cell, _ := excelize.CoordinatesToCellName(5, 3+len(v2.Reps))
	got, err := book.GetCellValue(book.GetSheetList()[0], cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := strconv.ParseFloat(got, 64); err != nil || math.Abs(v-mean) > 1e-4 {
		t.Errorf("the workbook's mean total %s, the API's %.4f", got, mean)
	}
}

// A report of a region, a team or a rep covers only its reps, is versioned apart from the
// tenant's, and compares every metric with the month before and the year before.
func TestReportScopes(t *testing.T) {
	h := newHarness(t)
	c := h.company("Scoped Co")
	month := time.Now().In(shanghai(t)).Format("2006-01")
	hq := c.tokens["hq"]
	report := func(scope string) appraisal.AppraisalReportDTO {
		t.Helper()
		var r appraisal.AppraisalReportDTO
		if code := h.call(hq, http.MethodPost, "/api/v1/appraisal/reports", map[string]any{"period": month, "scope": scope}, &r); code != http.StatusCreated {
			t.Fatalf("report of %s: %d", scope, code)
		}
		return r
	}
	names := func(r appraisal.AppraisalReportDTO) []string {
		var out []string
		for _, line := range r.Reps {
			out = append(out, line.Name)
		}
		slices.Sort(out)
		return out
	}
	rep, rep2, south := c.users["rep"], c.users["rep2"], c.users["repSouth"]
	both := []string{rep.Name, rep2.Name}
	slices.Sort(both)
	// East's subtree holds Jinan, where rep and rep2 work; repSouth works in South.
	east := report("region:" + c.regions["east"].ID.String())
	if got := names(east); !slices.Equal(got, both) || east.Scope != "region:"+c.regions["east"].ID.String() || east.Version != 1 {
		t.Errorf("east's report: %v scope %s version %d", got, east.Scope, east.Version)
	}
	for _, line := range east.Reps {
		if line.Rank == 0 || line.Rank > 2 || line.RankInRegion == 0 || line.RankInTeam == 0 {
			t.Errorf("east's report ranks %s %d, in region %d, in team %d", line.Name, line.Rank, line.RankInRegion, line.RankInTeam)
		}
	}
	if got := names(report("team:" + c.team.ID.String())); !slices.Equal(got, both) {
		t.Errorf("the team's report names %v", got)
	}
	one := report("rep:" + south.ID.String())
	if got := names(one); !slices.Equal(got, []string{south.Name}) {
		t.Errorf("repSouth's report names %v", got)
	}
	// Each metric is compared with the month before and the year before, where there was work.
	for _, m := range one.Reps[0].Card.Metrics {
		if m.Before == nil || m.YearBefore == nil {
			t.Errorf("metric %s has no comparison: %+v %+v", m.Key, m.Before, m.YearBefore)
		}
		if m.Key == "visits" && !(strings.HasPrefix(m.Records, "/api/v1/visits?") && strings.Contains(m.Records, "rep_id="+south.ID.String())) {
			t.Errorf("the visits line drills down to %q", m.Records)
		}
	}
	// The tenant's own versions go on from the fixture's version 1, apart from the scoped ones.
	if whole := report(""); whole.Version != 2 || len(whole.Reps) != 3 {
		t.Errorf("the tenant's report: version %d with %d reps", whole.Version, len(whole.Reps))
	}
	var listed appraisal.ReportVersionsDTO
	h.call(hq, http.MethodGet, "/api/v1/appraisal/reports?period="+month+"&scope=team:"+c.team.ID.String(), nil, &listed)
	if len(listed.Versions) != 1 || listed.Versions[0].Scope != "team:"+c.team.ID.String() {
		t.Errorf("the team's versions: %+v", listed.Versions)
	}
	// A scope that is not one, or names nobody, is refused at its place.
	for _, bad := range []string{"district:" + south.ID.String(), "team:nope", "team:" + uuid.NewString()} {
		var raw []byte
		if code := h.call(hq, http.MethodPost, "/api/v1/appraisal/reports", map[string]any{"period": month, "scope": bad}, &raw); code != http.StatusBadRequest || !strings.Contains(string(raw), `"body.scope"`) {
			t.Errorf("scope %q: %d %s", bad, code, raw)
		}
	}
}

// A record counts in the month its instant falls in, in the tenant's zone (Shanghai, UTC+8): a
// call at 2026-05-31 23:59:59 local is May's, one at midnight is June's, through the appraisal's
// activity source and the activities' own figures.
func TestRecordsCountInTheTenantsMonth(t *testing.T) {
	h := newHarness(t)
	c := h.company("Midnight Co")
	rep := c.users["rep"].ID
	rctx := identity.With(context.Background(), h.principal(c.tenant, rep))
	for _, at := range []string{"2026-05-31T15:59:59Z", "2026-05-31T16:00:00Z", "2026-06-30T15:59:59Z", "2026-06-30T16:00:00Z"} {
		when, _ := time.Parse(time.RFC3339, at)
		if _, _, err := h.app.activities.CreateActivity(rctx, activities.NewActivity{ID: identity.NewID(), Kind: activities.KindCall,
			CustomerID: c.customer.ID, OccurredAt: when, Direction: activities.Outbound, DurationS: 60, Outcome: activities.OutcomeAnswered}); err != nil {
			t.Fatalf("call at %s: %v", at, err)
		}
	}
	hq := identity.With(context.Background(), h.principal(c.tenant, c.users["hq"].ID))
	source := activitySource(h.app.activities)
	for month, want := range map[string]float64{"2026-05": 1, "2026-06": 2, "2026-07": 1} {
		from, _ := time.ParseInLocation("2006-01", month, shanghai(t))
		figs, err := source(hq, from, from.AddDate(0, 1, 0), []uuid.UUID{rep})
		if err != nil {
			t.Fatal(err)
		}
		if got := figs[rep].Actuals["calls"].Value; got != want {
			t.Errorf("%s: %v calls, want %v", month, got, want)
		}
		// The figure drills down to the very calls it counted.
		var listed activities.ActivityPageDTO
		if code := h.call(c.tokens["hq"], http.MethodGet, figs[rep].Records["calls"], nil, &listed); code != http.StatusOK || float64(len(listed.Activities)) != want {
			t.Errorf("%s: the calls' records %s: %d, %d listed, want %v", month, figs[rep].Records["calls"], code, len(listed.Activities), want)
		}
	}
}

// The conversion is weighted by follow-up: the fixture's opportunity, opened and moved on this
// month, converted; its follow-up is the one answered call logged against it.
func TestConversionWeightedByFollowUp(t *testing.T) {
	h := newHarness(t)
	c := h.company("Convert Co")
	rep := c.users["rep"].ID
	from, _ := time.ParseInLocation("2006-01", time.Now().In(shanghai(t)).Format("2006-01"), shanghai(t))
	to := from.AddDate(0, 1, 0)
	hq := identity.With(context.Background(), h.principal(c.tenant, c.users["hq"].ID))
	figs, err := pipelineSource(h.app.pipeline, h.app.activities)(hq, from, to, []uuid.UUID{rep})
	if err != nil {
		t.Fatal(err)
	}
	// One touch over the month's weeks (days / 7), against two a week for full credit; one kind
	// of activity of three; one contact reached (the call was answered) of three. The depth is the
	// mean of the three shares; a converted opportunity earns 0.5 + 0.5 × depth, over the one
	// opportunity judged.
	weeks := to.Sub(from).Hours() / (24 * 7)
	depth := ((1/weeks)/2 + 1.0/3 + 1.0/3) / 3
	want := 0.5 + 0.5*depth
	got := figs[rep].Actuals["opportunity_conversion_rate"]
	if math.Abs(got.Value-want) > 1e-9 || got.Den != 1 {
		t.Errorf("conversion %+v, want %.6f over 1 opportunity", got, want)
	}
}

// Orders and revenue drill down to the orders they counted: approved in the month and not
// cancelled, not the rep's drafts.
func TestOrderFiguresDrillDownToTheOrdersCounted(t *testing.T) {
	h := newHarness(t)
	c := h.company("Drill Co")
	rep := c.users["rep"].ID
	rctx := identity.With(context.Background(), h.principal(c.tenant, rep))
	mctx := identity.With(context.Background(), h.principal(c.tenant, c.users["manager"].ID))
	line := c.order.Lines[0]
	draft, _, err := h.app.orders.CreateOrder(rctx, orders.NewOrder{CustomerID: c.customer.ID, Currency: "CNY",
		Lines: []orders.LineInput{{ProductID: line.ProductID, Quantity: line.Quantity}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.app.orders.Transition(rctx, c.order.ID, orders.Submitted, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := h.app.orders.Transition(mctx, c.order.ID, orders.Approved, ""); err != nil {
		t.Fatal(err)
	}
	from, _ := time.ParseInLocation("2006-01", time.Now().In(shanghai(t)).Format("2006-01"), shanghai(t))
	hq := identity.With(context.Background(), h.principal(c.tenant, c.users["hq"].ID))
	figs, err := orderSource(h.app.orders)(hq, from, from.AddDate(0, 1, 0), []uuid.UUID{rep})
	if err != nil {
		t.Fatal(err)
	}
	var listed orders.OrderPageDTO
	if code := h.call(c.tokens["hq"], http.MethodGet, figs[rep].Records["revenue"], nil, &listed); code != http.StatusOK {
		t.Fatalf("the revenue's records %s: %d", figs[rep].Records["revenue"], code)
	}
	if figs[rep].Actuals["orders"].Value != 1 || len(listed.Orders) != 1 || listed.Orders[0].ID != c.order.ID {
		t.Errorf("%v orders counted; listed %+v, want only the approved %s (not the draft %s)",
			figs[rep].Actuals["orders"].Value, listed.Orders, c.order.ID, draft.ID)
	}
}

// Key-account coverage: of the rep's two key accounts, the one with this month's call was
// touched (1 of 2); the manager's key account (another rep's customer) is not the rep's.
func TestKeyAccountCoverage(t *testing.T) {
	h := newHarness(t)
	c := h.company("Key Co")
	rep := c.users["rep"].ID
	mctx := identity.With(context.Background(), h.principal(c.tenant, c.users["manager"].ID))
	quiet, err := h.app.visits.CreateCustomer(mctx, visits.NewCustomer{Name: "Quiet Depot", Grade: visits.GradeA, OwnerID: rep,
		RegionID: c.regions["jinan"].ID, Location: visits.Position{Point: geo.Point{Lat: 36.67, Lon: 117.14}, Datum: visits.WGS84},
		Fence: visits.FenceInput{Kind: visits.FenceCircle, RadiusM: 60}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := h.app.visits.CreateCustomer(mctx, visits.NewCustomer{Name: "Colleague's Depot", Grade: visits.GradeA, OwnerID: c.users["rep2"].ID,
		RegionID: c.regions["jinan"].ID, Location: visits.Position{Point: geo.Point{Lat: 36.68, Lon: 117.15}, Datum: visits.WGS84},
		Fence: visits.FenceInput{Kind: visits.FenceCircle, RadiusM: 60}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []uuid.UUID{c.customer.ID, quiet.ID, other.ID} {
		if _, err := h.app.activities.MarkKey(mctx, id, true); err != nil {
			t.Fatalf("mark %s key: %v", id, err)
		}
	}
	from, _ := time.ParseInLocation("2006-01", time.Now().In(shanghai(t)).Format("2006-01"), shanghai(t))
	// Key since last month: the shop and a third depot of the rep's; Colleague's Depot and the
	// Quiet Depot became key this month. The third depot had no activity but ordered this month.
	ordering, err := h.app.visits.CreateCustomer(mctx, visits.NewCustomer{Name: "Ordering Depot", Grade: visits.GradeA, OwnerID: rep,
		RegionID: c.regions["jinan"].ID, Location: visits.Position{Point: geo.Point{Lat: 36.69, Lon: 117.16}, Datum: visits.WGS84},
		Fence: visits.FenceInput{Kind: visits.FenceCircle, RadiusM: 60}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.app.activities.MarkKey(mctx, ordering.ID, true); err != nil {
		t.Fatal(err)
	}
	for _, id := range []uuid.UUID{c.customer.ID, ordering.ID} {
		err := h.app.store.Owner(context.Background()).Exec("UPDATE key_accounts SET marked_at = ? WHERE tenant_id = ? AND customer_id = ?",
			from.AddDate(0, -1, 3).UTC(), c.tenant, id).Error
		if err != nil {
			t.Fatal(err)
		}
	}
	rctx := identity.With(context.Background(), h.principal(c.tenant, rep))
	o, _, err := h.app.orders.CreateOrder(rctx, orders.NewOrder{CustomerID: ordering.ID, Currency: "CNY",
		Lines: []orders.LineInput{{ProductID: c.order.Lines[0].ProductID, Quantity: decimal.NewFromInt(2)}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		ctx context.Context
		to  orders.Status
	}{{rctx, orders.Submitted}, {mctx, orders.Approved}} {
		if _, err := h.app.orders.Transition(step.ctx, o.ID, step.to, ""); err != nil {
			t.Fatal(err)
		}
	}
	hq := identity.With(context.Background(), h.principal(c.tenant, c.users["hq"].ID))
	figs, err := keyAccountSource(h.app.visits, h.app.activities, h.app.orders)(hq, from, from.AddDate(0, 1, 0), []uuid.UUID{rep, c.users["rep2"].ID})
	if err != nil {
		t.Fatal(err)
	}
	// Coverage: of the rep's 3 key accounts only the shop had an activity this month: 1 of 3.
	got, want := figs[rep].Actuals["key_account_coverage"], kpi.Actual{Value: 1.0 / 3, Num: 1, Den: 3}
	if got != want {
		t.Errorf("the rep's key-account coverage %+v, want %+v", got, want)
	}
	// Retention: of the 2 key since last month, the shop was touched and the depot ordered: 2 of
	// 2. The Quiet Depot, key only since this month, is not one to keep yet.
	if got := figs[rep].Actuals["key_account_retention"]; got != (kpi.Actual{Value: 1, Num: 2, Den: 2}) {
		t.Errorf("the rep's key-account retention %+v, want 2 of 2", got)
	}
	// rep2's one key account had no activity: 0 of 1; it became key this month, so nothing was
	// there to keep: 0 of 0, which a ratio counts as 1.
	if got := figs[c.users["rep2"].ID].Actuals["key_account_coverage"]; got != (kpi.Actual{Value: 0, Num: 0, Den: 1}) {
		t.Errorf("rep2's key-account coverage %+v, want 0 of 1", got)
	}
	if got := figs[c.users["rep2"].ID].Actuals["key_account_retention"]; got != (kpi.Actual{Value: 1}) {
		t.Errorf("rep2's key-account retention %+v, want nothing to keep", got)
	}
	// The order cancelled, the depot no longer counts as kept: 1 of 2.
	if _, err := h.app.orders.Transition(mctx, o.ID, orders.Cancelled, "customer withdrew"); err != nil {
		t.Fatal(err)
	}
	figs, err = keyAccountSource(h.app.visits, h.app.activities, h.app.orders)(hq, from, from.AddDate(0, 1, 0), []uuid.UUID{rep})
	if err != nil {
		t.Fatal(err)
	}
	if got := figs[rep].Actuals["key_account_retention"]; got != (kpi.Actual{Value: 0.5, Num: 1, Den: 2}) {
		t.Errorf("after the cancellation, the rep's key-account retention %+v, want 1 of 2", got)
	}
}

// The team's dashboard, for its manager, by month and by quarter; a member reads only their own.
func TestTeamScorecard(t *testing.T) {
	h := newHarness(t)
	c := h.company("Team Co")
	now := time.Now().In(shanghai(t))
	for _, period := range []string{now.Format("2006-01"), fmt.Sprintf("%d-Q%d", now.Year(), (int(now.Month())+2)/3)} {
		path := "/api/v1/appraisal/unit-scorecard?unit=team:" + c.team.ID.String() + "&period=" + period
		var card appraisal.UnitScorecardDTO
		if code := h.call(c.tokens["manager"], http.MethodGet, path, nil, &card); code != http.StatusOK || card.Members != 2 || len(card.Metrics) == 0 || card.Period != period {
			t.Errorf("the manager's team scorecard of %s: %d, %d members, %d metrics, period %s", period, code, card.Members, len(card.Metrics), card.Period)
		}
		for _, who := range []string{"rep", "managerSouth"} {
			if code := h.call(c.tokens[who], http.MethodGet, path, nil, nil); code != http.StatusNotFound {
				t.Errorf("%s reads the team's scorecard of %s: %d", who, period, code)
			}
		}
	}
}

// The win rate drills down to the opportunities closed in the month.
func TestWinRateDrillsDownToTheClosedOpportunities(t *testing.T) {
	h := newHarness(t)
	c := h.company("Closing Co")
	rep := c.users["rep"].ID
	// The stage's required tasks are done first: the workflow keeps an opportunity in its stage
	// until they are.
	var tasks pipeline.TaskPageDTO
	h.call(c.tokens["rep"], http.MethodGet, "/api/v1/tasks?opportunity_id="+c.opportunity.ID.String(), nil, &tasks)
	for _, task := range tasks.Tasks {
		if task.Status != "open" {
			continue
		}
		if code := h.call(c.tokens["rep"], http.MethodPost, "/api/v1/tasks/"+task.ID.String()+"/complete", nil, nil); code != http.StatusOK {
			t.Fatalf("complete %q: %d", task.Title, code)
		}
	}
	var moved []byte
	if code := h.call(c.tokens["rep"], http.MethodPost, "/api/v1/opportunities/"+c.opportunity.ID.String()+"/moves",
		map[string]any{"stage": "lost", "reason": "the chain chose a competitor"}, &moved); code != http.StatusOK {
		t.Fatalf("close the opportunity: %d %s", code, moved)
	}
	from, _ := time.ParseInLocation("2006-01", time.Now().In(shanghai(t)).Format("2006-01"), shanghai(t))
	hq := identity.With(context.Background(), h.principal(c.tenant, c.users["hq"].ID))
	figs, err := pipelineSource(h.app.pipeline, h.app.activities)(hq, from, from.AddDate(0, 1, 0), []uuid.UUID{rep})
	if err != nil {
		t.Fatal(err)
	}
	var listed pipeline.OpportunityPageDTO
	if code := h.call(c.tokens["hq"], http.MethodGet, figs[rep].Records["win_rate"], nil, &listed); code != http.StatusOK ||
		len(listed.Opportunities) != 1 || listed.Opportunities[0].ID != c.opportunity.ID {
		t.Errorf("the win rate's records %s: %d, %+v", figs[rep].Records["win_rate"], code, listed.Opportunities)
	}
	if got := figs[rep].Actuals["win_rate"]; got.Num != 0 || got.Den != 1 {
		t.Errorf("win rate %+v, want 0 of 1", got)
	}
}
