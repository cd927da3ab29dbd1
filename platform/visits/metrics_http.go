package visits

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

func (h *HTTP) registerMetrics(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "visit-metrics", Method: http.MethodGet, Path: "/api/v1/visit-metrics",
		Summary: "Visit figures per rep over a period: visits per working day, coverage, verified check-ins, durations",
		Description: "A visit counts once closed, unless a manager rejected it. A check-in is verified when trusted or " +
			"accepted on review. Coverage is the due customers visited over the customers due in the period by their " +
			"grade's cadence. Working days are Monday to Saturday, up to today while the period runs.",
		Tags: visitTags}, h.metrics)
	huma.Register(api, huma.Operation{OperationID: "visit-coverage", Method: http.MethodGet, Path: "/api/v1/visit-coverage",
		Summary: "The customers a rep's coverage figure of a period is over: those due a visit, each covered or not",
		Description: "The rows are the figure's customers due (customers_due of /api/v1/visit-metrics for the same rep and " +
			"days); those covered, visited by the rep in the period with a visit that counts, are customers_covered.",
		Tags: visitTags}, h.coverage)
}

type metricsInput struct {
	From  string   `query:"from" required:"true" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"first day, YYYY-MM-DD, tenant's time zone"`
	To    string   `query:"to" required:"true" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"the day after the last, YYYY-MM-DD"`
	RepID []string `query:"rep_id" doc:"only these reps (repeat the parameter); default every rep the caller may see"`
}

// RepMetricsDTO is one rep's figures.
type RepMetricsDTO struct {
	RepID            uuid.UUID      `json:"rep_id"`
	WorkingDays      int            `json:"working_days"`
	Visits           int            `json:"visits"`
	VisitsPerDay     float64        `json:"visits_per_day"`
	CustomersDue     int            `json:"customers_due"`
	CustomersCovered int            `json:"customers_covered"`
	Coverage         float64        `json:"coverage" doc:"0..1"`
	CheckIns         int            `json:"checkins"`
	VerifiedCheckIns int            `json:"verified_checkins"`
	VerifiedRate     float64        `json:"verified_rate" doc:"0..1"`
	AvgDurationS     float64        `json:"avg_duration_s"`
	VisitsByGrade    map[string]int `json:"visits_by_grade"`
	NewCustomers     int            `json:"new_customers" doc:"customers created in the period that are the rep's now"`
}

// MetricsDTO lists the reps' figures.
type MetricsDTO struct {
	Reps []RepMetricsDTO `json:"reps"`
}

type metricsOutput struct{ Body MetricsDTO }

func (h *HTTP) metrics(ctx context.Context, in *metricsInput) (*metricsOutput, error) {
	q := MetricsQuery{From: in.From, To: in.To}
	for _, s := range in.RepID {
		id, err := web.ParseID(s, "query.rep_id")
		if err != nil {
			return nil, err
		}
		q.RepIDs = append(q.RepIDs, id)
	}
	ms, err := h.svc.Metrics(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &metricsOutput{Body: MetricsDTO{Reps: make([]RepMetricsDTO, len(ms))}}
	for i, m := range ms {
		byGrade := map[string]int{}
		for g, n := range m.ByGrade {
			byGrade[string(g)] = n
		}
		out.Body.Reps[i] = RepMetricsDTO{RepID: m.RepID, WorkingDays: m.WorkingDays, Visits: m.Visits, VisitsPerDay: m.VisitsPerDay,
			CustomersDue: m.CustomersDue, CustomersCovered: m.CustomersCovered, Coverage: m.Coverage, CheckIns: m.CheckIns,
			VerifiedCheckIns: m.VerifiedCheckIns, VerifiedRate: m.VerifiedRate, AvgDurationS: m.AvgDuration.Seconds(), VisitsByGrade: byGrade, NewCustomers: m.NewCustomers}
	}
	return out, nil
}

type coverageInput struct {
	RepID  string `query:"rep_id" required:"true" format:"uuid" doc:"the rep"`
	From   string `query:"from" required:"true" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"first day, YYYY-MM-DD, tenant's time zone"`
	To     string `query:"to" required:"true" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"the day after the last, YYYY-MM-DD"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor string `query:"cursor" format:"uuid" doc:"next_cursor of the previous page"`
}

// VisitCoverageCustomerDTO is a customer due a visit in the period.
type VisitCoverageCustomerDTO struct {
	CustomerID uuid.UUID `json:"customer_id"`
	Name       string    `json:"name"`
	Grade      string    `json:"grade" enum:"A,B,C,D"`
	OwnerID    uuid.UUID `json:"owner_id"`
	Covered    bool      `json:"covered" doc:"visited by the rep in the period, with a visit that counts"`
}

// VisitCoveragePageDTO is one page of the customers due, by id.
type VisitCoveragePageDTO struct {
	Customers  []VisitCoverageCustomerDTO `json:"customers"`
	NextCursor *uuid.UUID                 `json:"next_cursor" doc:"pass as cursor for the next page; null on the last page"`
}

type coverageOutput struct{ Body VisitCoveragePageDTO }

func (h *HTTP) coverage(ctx context.Context, in *coverageInput) (*coverageOutput, error) {
	q := CoverageQuery{From: in.From, To: in.To, Limit: in.Limit}
	var err error
	if q.RepID, err = web.ParseID(in.RepID, "query.rep_id"); err != nil {
		return nil, err
	}
	if q.After, err = web.ParseOptionalID(in.Cursor, "query.cursor"); err != nil {
		return nil, err
	}
	page, err := h.svc.Coverage(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &coverageOutput{Body: VisitCoveragePageDTO{Customers: make([]VisitCoverageCustomerDTO, len(page.Customers)), NextCursor: page.Next}}
	for i, c := range page.Customers {
		out.Body.Customers[i] = VisitCoverageCustomerDTO{CustomerID: c.ID, Name: c.Name, Grade: string(c.Grade), OwnerID: c.OwnerID, Covered: c.Covered}
	}
	return out, nil
}
