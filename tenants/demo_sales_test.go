package tenants

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/activities"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/orders"
	"github.com/repflow/repflow/platform/pipeline"
)

// The demo's sales work, read back through the services as its admin: a newcomer finds every
// order status, money overdue, products well and poorly distributed, listings at every stage
// with their histories, and calls and messages that were not all answered.
func TestDemoHasSalesWork(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sum, err := Demo(context.Background(), h.prov)
	if err != nil {
		t.Fatal(err)
	}
	admin := demoActor(t, h, sum.TenantID, DemoAdminEmail)
	now := time.Now()
	began := now.AddDate(0, 0, -92)
	n := sum.Sales
	if n.Products != len(demoCatalogue) || n.Orders < 50 || n.ShelfChecks < 40 || n.Opportunities < 25 || n.Opportunities > 40 || n.Activities < 150 {
		t.Errorf("sales counts %+v", n)
	}
	all := checkDemoOrders(t, h, admin, began)
	if len(all) != n.Orders {
		t.Errorf("summary counts %d orders, the admin lists %d", n.Orders, len(all))
	}
	var out bytes.Buffer
	if err := sum.Print(&out); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{fmt.Sprintf("the reps took %d orders (%d overdue now) and made %d shelf checks", n.Orders, n.Overdue, n.ShelfChecks),
		fmt.Sprintf("They worked %d store listings through the pipeline (%d listed, %d not listed) and logged %d calls", n.Opportunities, n.Won, n.Lost, n.Activities)} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("printed summary lacks %q:\n%s", line, out.String())
		}
	}
	checkDemoDistribution(t, h, admin, began)
	checkDemoPipeline(t, h, admin, began, n)
	checkDemoActivities(t, h, admin, began)
}

// checkDemoOrders checks that every status is there, some deliveries came in two parts and
// some money is overdue, with every step dated in the 13 weeks.
func checkDemoOrders(t *testing.T, h *harness, admin context.Context, began time.Time) []orders.Order {
	t.Helper()
	var all []orders.Order
	for f := (orders.OrderFilter{Limit: orders.MaxPageSize}); ; {
		page, err := h.orders.ListOrders(admin, f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Orders...)
		if page.Next == nil {
			break
		}
		f.After = page.Next
	}
	statuses := map[orders.Status]int{}
	split := 0
	for _, o := range all {
		statuses[o.Status]++
		if o.VisitID == nil && o.OpportunityID == nil {
			t.Errorf("order %s was taken neither on a visit nor for a listing", o.ID)
		}
		if o.Status != orders.Shipped && o.Status != orders.Delivered && o.Status != orders.Paid {
			continue
		}
		deliveries, err := h.orders.Deliveries(admin, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(deliveries) > 1 {
			split++
		}
	}
	for _, st := range orders.Statuses {
		if statuses[st] == 0 {
			t.Errorf("no order is %s: %v", st, statuses)
		}
	}
	if split == 0 {
		t.Error("no order was delivered in two parts")
	}
	history, err := h.orders.Transitions(admin, all[len(all)/2].ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, tr := range history {
		if tr.At.Before(began) || tr.At.After(time.Now()) || (i > 0 && tr.At.Before(history[i-1].At)) {
			t.Errorf("order history %+v: step %d out of the 13 weeks or out of order", history, i)
		}
	}
	page, err := h.orders.OverdueReceivables(admin, orders.ReceivableFilter{Limit: orders.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	monthOld := 0
	for _, r := range page.Receivables {
		if r.Order.ApprovedAt != nil && time.Since(*r.Order.ApprovedAt) > 30*24*time.Hour && r.Balance.IsPositive() {
			monthOld++
		}
	}
	if monthOld == 0 {
		t.Errorf("no receivable approved more than 30 days ago is still unpaid, among %d overdue", len(page.Receivables))
	}
	return all
}

// checkDemoDistribution checks that some SKUs are on most shelves and others on few, and that
// reps differ on the same SKU.
func checkDemoDistribution(t *testing.T, h *harness, admin context.Context, began time.Time) {
	t.Helper()
	rows, err := h.orders.Distribution(admin, orders.DistributionQuery{From: began, To: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(demoCatalogue) {
		t.Fatalf("distribution of %d SKUs, want %d", len(rows), len(demoCatalogue))
	}
	lo, hi := rows[0], rows[0]
	for _, r := range rows {
		if r.Rate < lo.Rate {
			lo = r
		}
		if r.Rate > hi.Rate {
			hi = r
		}
	}
	if hi.Rate < 0.6 || lo.Rate > 0.3 || hi.Rate-lo.Rate < 0.4 {
		t.Errorf("distribution from %s at %.2f to %s at %.2f: want some SKUs well distributed and some poorly", lo.SKU, lo.Rate, hi.SKU, hi.Rate)
	}
	byRep, err := h.orders.Distribution(admin, orders.DistributionQuery{From: began, To: time.Now().Add(time.Hour), SKU: "DF-OYS-510", GroupBy: orders.GroupRep})
	if err != nil {
		t.Fatal(err)
	}
	rates := map[float64]bool{}
	for _, r := range byRep {
		rates[r.Rate] = true
	}
	if len(byRep) < 8 || len(rates) < 3 {
		t.Errorf("oyster sauce's distribution by rep %+v: want reps that differ", byRep)
	}
}

// checkDemoPipeline checks the listings: every stage has some, the closed ones say why, and
// each history moves forward through the 13 weeks, a closed one over days, not instants.
func checkDemoPipeline(t *testing.T, h *harness, admin context.Context, began time.Time, n DemoSales) {
	t.Helper()
	page, err := h.pipeline.ListOpportunities(admin, pipeline.OpportunityFilter{Limit: pipeline.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	stages := map[string]int{}
	for _, o := range page.Opportunities {
		stages[o.Stage.Key]++
		if o.Status != pipeline.Open && o.OutcomeReason == "" {
			t.Errorf("%q was %s without a reason", o.Name, o.Status)
		}
		got, err := h.pipeline.GetOpportunity(admin, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		hist := got.History
		if len(hist) == 0 || hist[0].FromStage != nil || hist[len(hist)-1].ToStage != o.Stage.Key {
			t.Errorf("%q (in %s) has history %+v", o.Name, o.Stage.Key, hist)
			continue
		}
		for i, m := range hist {
			if m.MovedAt.Before(began) || m.MovedAt.After(time.Now()) || (i > 0 && !m.MovedAt.After(hist[i-1].MovedAt.Add(time.Hour))) {
				t.Errorf("%q moved to %s at %s: outside the 13 weeks, or within the hour of the move before", o.Name, m.ToStage, m.MovedAt)
			}
		}
		if span := hist[len(hist)-1].MovedAt.Sub(hist[0].MovedAt); o.Status != pipeline.Open && span < 36*time.Hour {
			t.Errorf("%q was %s %s after it opened: want days of work", o.Name, o.Status, span)
		}
	}
	for _, k := range []string{"lead", "listing_proposal", "trial_order", "won", "lost"} {
		if stages[k] == 0 {
			t.Errorf("no listing in stage %s: %v", k, stages)
		}
	}
	if stages["won"] != n.Won || stages["lost"] != n.Lost {
		t.Errorf("stages %v, summary %+v", stages, n)
	}
	open, err := h.pipeline.ListTasks(admin, pipeline.TaskFilter{Status: pipeline.TaskOpen, Limit: pipeline.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	done, err := h.pipeline.ListTasks(admin, pipeline.TaskFilter{Status: pipeline.TaskDone, Limit: pipeline.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	if len(open.Tasks) == 0 || len(done.Tasks) < 2*len(page.Opportunities) {
		t.Errorf("%d tasks open and %d done for %d listings", len(open.Tasks), len(done.Tasks), len(page.Opportunities))
	}
}

// checkDemoActivities checks that calls and messages were answered some of the time, and that
// contacts, reporting lines and activities on listings are there.
func checkDemoActivities(t *testing.T, h *harness, admin context.Context, began time.Time) {
	t.Helper()
	tomorrow := time.Now().In(demoZone).AddDate(0, 0, 1).Format(time.DateOnly)
	metrics, err := h.activities.Metrics(admin, activities.MetricsQuery{From: began.In(demoZone).Format(time.DateOnly), To: tomorrow})
	if err != nil {
		t.Fatal(err)
	}
	var reached, tried, meetings int
	for _, m := range metrics {
		reached += m.AnsweredOutboundCalls + m.RepliedOutboundMessages
		tried += m.OutboundCalls + m.OutboundMessages
		meetings += m.Meetings
	}
	if rate := float64(reached) / float64(tried); tried == 0 || rate <= 0 || rate >= 1 || rate < 0.4 {
		t.Errorf("response rate %d/%d: want most but not all calls and messages answered", reached, tried)
	}
	if meetings == 0 {
		t.Error("no meetings")
	}
	contacts, err := h.activities.ListContacts(admin, activities.ContactFilter{Limit: activities.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	if len(contacts.Contacts) < 40 {
		t.Fatalf("%d contacts", len(contacts.Contacts))
	}
	g, err := h.activities.AccountGraph(admin, contacts.Contacts[0].CustomerID)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Contacts) != 2 || len(g.Relationships) != 1 || g.Relationships[0].Kind != activities.ReportsTo {
		t.Errorf("account graph %+v: want two contacts, one reporting to the other", g)
	}
	opps, err := h.pipeline.ListOpportunities(admin, pipeline.OpportunityFilter{Status: pipeline.Won, Limit: 1})
	if err != nil || len(opps.Opportunities) == 0 {
		t.Fatal(opps, err)
	}
	linked, err := h.activities.ListActivities(admin, activities.ActivityFilter{OpportunityID: &opps.Opportunities[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(linked.Activities) < 2 || slices.ContainsFunc(linked.Activities, func(a activities.Activity) bool {
		return a.OccurredAt.Before(began) || a.OccurredAt.After(time.Now()) || a.OpportunityID == nil || *a.OpportunityID == uuid.Nil
	}) {
		t.Errorf("activities of a won listing: %+v", linked.Activities)
	}
}

// The demo's month is appraised: every rep has this month's targets and the month's report holds
// every rep, ranked.
func TestDemoHasAnAppraisalMonth(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	sum, err := Demo(context.Background(), h.prov)
	if err != nil {
		t.Fatal(err)
	}
	admin := demoActor(t, h, sum.TenantID, DemoAdminEmail)
	reps := 0
	for _, u := range sum.Users {
		if slices.Contains(u.Roles, identity.RoleRep) {
			reps++
		}
	}
	month := time.Now().In(shanghaiZone(t)).Format("2006-01")
	targets, err := h.prov.appraisal.ListTargets(admin, month, nil)
	if err != nil || len(targets) != reps*len(demoTargets) {
		t.Fatalf("%d targets for %d reps (%v)", len(targets), reps, err)
	}
	versions, err := h.prov.appraisal.ListReports(admin, month, nil)
	if err != nil || len(versions) != 1 || sum.Reports != 1 {
		t.Fatalf("report versions %+v, summary %d (%v)", versions, sum.Reports, err)
	}
	r, err := h.prov.appraisal.GetReport(admin, versions[0].ID)
	if err != nil || len(r.Reps) != reps || r.Reps[0].Rank != 1 {
		t.Fatalf("the report holds %d of %d reps (%v)", len(r.Reps), reps, err)
	}
}

func shanghaiZone(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
