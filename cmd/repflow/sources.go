package main

import (
	"context"
	"maps"
	"net/url"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/activities"
	"github.com/repflow/repflow/platform/appraisal"
	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/orders"
	"github.com/repflow/repflow/platform/pipeline"
	"github.com/repflow/repflow/platform/visits"
)

// The appraisal's sources: each domain's metrics, as the KPI library names and defines them
// (platform/appraisal/kpi/metric.go). Ratios carry their parts, so a team's figure is exact.

// part is the Actual of the library's metric key from its parts.
func part(key string, num, den float64) kpi.Actual {
	m, _ := kpi.Lookup(key)
	return kpi.Part(m, num, den)
}

func count(n float64) kpi.Actual { return kpi.Actual{Value: n} }

// day is the tenant's calendar day of t, for the sources that take days.
func day(t time.Time) string { return t.Format(time.DateOnly) }

// instant is how lists take a moment: RFC 3339, in UTC.
func instant(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// listParams name a list's parameters for the rep and the period's start and end; days when the
// list takes the tenant's days, as the figures' source does, not instants.
type listParams struct {
	rep, from, to string
	days          bool
}

// How the lists that figures drill down to take a rep and a period.
var (
	byRep       = listParams{rep: "rep_id", from: "from", to: "to"}
	byOwner     = listParams{rep: "owner_id", from: "from", to: "to"}
	countedBy   = listParams{rep: "owner_id", from: "counted_from", to: "counted_to"} // orders counted in the period
	closedByIn  = listParams{rep: "owner_id", from: "closed_from", to: "closed_to"}   // opportunities closed in it
	createdIn   = listParams{rep: "owner_id", from: "created_from", to: "created_to"} // customers created in it
	fallingDue  = listParams{rep: "owner_id", from: "due_from", to: "due_to"}         // orders falling due in it
	repOnDays   = listParams{rep: "rep_id", from: "from", to: "to", days: true}
	ownerOnDays = listParams{rep: "owner_id", from: "from", to: "to", days: true}
)

// list is the path of a domain's list of the rep's records over [from, to), with more of the
// list's filters in pairs: where a figure drills down to.
func list(path string, by listParams, rep uuid.UUID, from, to time.Time, filters ...string) string {
	f, t := instant(from), instant(to)
	if by.days {
		f, t = day(from), day(to)
	}
	return query(path, append([]string{by.rep, rep.String(), by.from, f, by.to, t}, filters...)...)
}

// query is the path of a domain's list with its filters in pairs.
func query(path string, filters ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(filters); i += 2 {
		q.Set(filters[i], filters[i+1])
	}
	return path + "?" + q.Encode()
}

// drill names the same list for each of keys.
func drill(path string, keys ...string) map[string]string {
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		out[k] = path
	}
	return out
}

func visitSource(v *visits.Service) appraisal.Source {
	return func(ctx context.Context, from, to time.Time, reps []uuid.UUID) (map[uuid.UUID]appraisal.Figures, error) {
		ms, err := v.Metrics(ctx, visits.MetricsQuery{From: day(from), To: day(to), RepIDs: reps})
		if err != nil {
			return nil, err
		}
		out := map[uuid.UUID]appraisal.Figures{}
		for _, m := range ms {
			records := drill(list("/api/v1/visits", byRep, m.RepID, from, to, "status", "closed"),
				"visits", "visits_per_working_day", "verified_check_in_rate", "average_visit_duration")
			records["coverage_rate"] = list("/api/v1/visit-coverage", repOnDays, m.RepID, from, to)
			records["new_customers"] = list("/api/v1/customers", createdIn, m.RepID, from, to)
			out[m.RepID] = appraisal.Figures{Actuals: map[string]kpi.Actual{
				"visits":                 count(float64(m.Visits)),
				"visits_per_working_day": part("visits_per_working_day", float64(m.Visits), float64(m.WorkingDays)),
				"coverage_rate":          part("coverage_rate", float64(m.CustomersCovered), float64(m.CustomersDue)),
				"verified_check_in_rate": part("verified_check_in_rate", float64(m.VerifiedCheckIns), float64(m.CheckIns)),
				"average_visit_duration": part("average_visit_duration", m.AvgDuration.Minutes()*float64(m.Visits), float64(m.Visits)),
				"new_customers":          count(float64(m.NewCustomers)),
			}, Records: records}
		}
		return out, nil
	}
}

func activitySource(a *activities.Service) appraisal.Source {
	return func(ctx context.Context, from, to time.Time, reps []uuid.UUID) (map[uuid.UUID]appraisal.Figures, error) {
		ms, err := a.Metrics(ctx, activities.MetricsQuery{From: day(from), To: day(to), RepIDs: reps})
		if err != nil {
			return nil, err
		}
		out := map[uuid.UUID]appraisal.Figures{}
		for _, m := range ms {
			out[m.RepID] = appraisal.Figures{Actuals: map[string]kpi.Actual{
				"calls":                 count(float64(m.Calls)),
				"average_call_duration": part("average_call_duration", m.CallTime.Seconds(), float64(m.AnsweredCalls)),
				"response_rate": part("response_rate", float64(m.AnsweredOutboundCalls+m.RepliedOutboundMessages),
					float64(m.OutboundCalls+m.OutboundMessages)),
				"milestone_on_time_rate": part("milestone_on_time_rate", float64(m.Milestones.OnTime), float64(m.Milestones.Due)),
			}, Records: map[string]string{
				"calls":                  list("/api/v1/activities", byOwner, m.RepID, from, to, "kind", "call"),
				"average_call_duration":  list("/api/v1/activities", byOwner, m.RepID, from, to, "kind", "call"),
				"response_rate":          list("/api/v1/activities", byOwner, m.RepID, from, to),
				"milestone_on_time_rate": list("/api/v1/milestone-punctuality", ownerOnDays, m.RepID, from, to),
			}}
		}
		return out, nil
	}
}

// orderSource sums money over currencies: a tenant trades in one (org.Currencies), so there is
// one key in each map.
func orderSource(o *orders.Service) appraisal.Source {
	return func(ctx context.Context, from, to time.Time, reps []uuid.UUID) (map[uuid.UUID]appraisal.Figures, error) {
		ms, err := o.Metrics(ctx, orders.MetricsQuery{From: from, To: to, RepIDs: reps})
		if err != nil {
			return nil, err
		}
		out := map[uuid.UUID]appraisal.Figures{}
		for _, m := range ms {
			revenue, collected, due := sum(m.Revenue), sum(m.Collected), sum(m.Due)
			out[m.RepID] = appraisal.Figures{
				Actuals: map[string]kpi.Actual{
					"orders":                  count(float64(m.Orders)),
					"revenue":                 count(revenue.InexactFloat64()),
					"payment_collection_rate": part("payment_collection_rate", collected.InexactFloat64(), due.InexactFloat64()),
					"distribution_rate":       count(m.DistributionRate),
				},
				// The exact amounts, for commissions on revenue or on collected payments.
				Money: map[string]decimal.Decimal{"revenue": revenue, "collected": collected},
				Records: map[string]string{
					"orders":            list("/api/v1/orders", countedBy, m.RepID, from, to),
					"revenue":           list("/api/v1/orders", countedBy, m.RepID, from, to),
					"distribution_rate": list("/api/v1/shelf-checks", byOwner, m.RepID, from, to),
					// The orders falling due, each with what was collected for it.
					"payment_collection_rate": list("/api/v1/orders", fallingDue, m.RepID, from, to),
				},
			}
		}
		return out, nil
	}
}

func sum(byCurrency map[string]decimal.Decimal) decimal.Decimal {
	total := decimal.Zero
	for _, v := range byCurrency {
		total = total.Add(v)
	}
	return total
}

// pipelineSource gives win rate, weighted pipeline value, sales cycle and the conversion
// weighted by follow-up (kpi.WeightedConversion), which reads the follow-up of the opportunities
// converted in the period from activities, all of them in one query.
func pipelineSource(p *pipeline.Service, a *activities.Service) appraisal.Source {
	return func(ctx context.Context, from, to time.Time, reps []uuid.UUID) (map[uuid.UUID]appraisal.Figures, error) {
		ms, err := p.Metrics(ctx, pipeline.MetricsQuery{From: from, To: to, RepIDs: reps})
		if err != nil {
			return nil, err
		}
		var converted []uuid.UUID
		for _, m := range ms {
			for _, j := range m.Judged {
				if j.Converted {
					converted = append(converted, j.OpportunityID)
				}
			}
		}
		follow, err := a.FollowUps(ctx, converted, from, to)
		if err != nil {
			return nil, err
		}
		out := map[uuid.UUID]appraisal.Figures{}
		for _, m := range ms {
			judged := make([]kpi.Judged, len(m.Judged))
			for i, j := range m.Judged {
				f := follow[j.OpportunityID]
				judged[i] = kpi.Judged{Converted: j.Converted, TouchesPerWeek: f.TouchesPerWeek, ActivityKinds: f.Kinds, ContactsReached: f.ContactsReached}
			}
			out[m.RepID] = appraisal.Figures{Actuals: map[string]kpi.Actual{
				"win_rate":                    part("win_rate", float64(m.Won), float64(m.Won+m.Lost)),
				"pipeline_value":              count(m.WeightedValue.InexactFloat64()),
				"average_sales_cycle":         part("average_sales_cycle", m.AvgSalesCycleDays*float64(m.Won), float64(m.Won)),
				"opportunity_conversion_rate": kpi.WeightedConversion(judged),
			}, Records: map[string]string{
				"win_rate":            list("/api/v1/opportunities", closedByIn, m.RepID, from, to),
				"average_sales_cycle": list("/api/v1/opportunities", closedByIn, m.RepID, from, to, "status", "won"),
				// The opportunities judged, each converted or not; the weighting by follow-up is
				// the activities logged against them.
				"opportunity_conversion_rate": list("/api/v1/opportunity-conversions", byOwner, m.RepID, from, to),
				// The opportunities open at the period's end, each with its amount and stage.
				"pipeline_value": query("/api/v1/opportunities", "owner_id", m.RepID.String(), "open_at", instant(to)),
			}}
		}
		return out, nil
	}
}

// keyAccountSource gives the key-account figures of a rep's key accounts (the customers marked
// key that the rep owns, as visits keep them):
//   - coverage: those touched by an activity in the period, over them all;
//   - retention: of those already key when the period began, the ones touched or that placed an
//     order that counts in it, over them. An account marked key during the period is not yet
//     one to keep; one unmarked since is no longer known as key (unmarking forgets it).
func keyAccountSource(v *visits.Service, a *activities.Service, o *orders.Service) appraisal.Source {
	return func(ctx context.Context, from, to time.Time, reps []uuid.UUID) (map[uuid.UUID]appraisal.Figures, error) {
		keys, err := a.KeyAccountTouches(ctx, from, to)
		if err != nil {
			return nil, err
		}
		owners, err := v.Owners(ctx, slices.Collect(maps.Keys(keys)))
		if err != nil {
			return nil, err
		}
		var atStart []uuid.UUID
		for customer, k := range keys {
			if k.MarkedAt.Before(from) {
				atStart = append(atStart, customer)
			}
		}
		ordered, err := o.CustomersOrdered(ctx, atStart, from, to)
		if err != nil {
			return nil, err
		}
		type counts struct{ touched, keys, retained, atStart float64 }
		per := map[uuid.UUID]*counts{}
		for customer, k := range keys {
			owner, seen := owners[customer]
			if !seen {
				continue // a customer the caller may not see
			}
			c := per[owner]
			if c == nil {
				c = &counts{}
				per[owner] = c
			}
			c.keys++
			if k.Touched {
				c.touched++
			}
			if k.MarkedAt.Before(from) {
				c.atStart++
				if k.Touched || ordered[customer] {
					c.retained++
				}
			}
		}
		out := make(map[uuid.UUID]appraisal.Figures, len(reps))
		for _, r := range reps {
			c := per[r]
			if c == nil {
				c = &counts{}
			}
			out[r] = appraisal.Figures{Actuals: map[string]kpi.Actual{
				"key_account_coverage":  part("key_account_coverage", c.touched, c.keys),
				"key_account_retention": part("key_account_retention", c.retained, c.atStart),
			}, Records: map[string]string{
				"key_account_coverage":  list("/api/v1/key-accounts", byOwner, r, from, to),
				"key_account_retention": list("/api/v1/key-accounts", byOwner, r, from, to, "marked_before", instant(from)),
			}}
		}
		return out, nil
	}
}
