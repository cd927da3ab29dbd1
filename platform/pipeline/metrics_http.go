package pipeline

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

func (h *HTTP) registerMetrics(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "pipeline-metrics", Method: http.MethodGet, Path: "/api/v1/pipeline-metrics",
		Summary: "Per rep: new opportunities, win rate, won and open value, sales cycle and conversion by stage for a period",
		Tags:    opportunityTags}, h.metrics)
	huma.Register(api, huma.Operation{OperationID: "list-conversions", Method: http.MethodGet, Path: "/api/v1/opportunity-conversions",
		Summary: "The opportunities a rep's conversion of a period is judged on, each converted or not, one page at a time",
		Description: "An opportunity is judged when it entered an open stage in the period, and converted when one of those " +
			"entries was followed by a move to a later stage, or a won one, by the period's end: the opportunities of " +
			"opportunity_conversion_rate, before its weighting by follow-up.",
		Tags: opportunityTags}, h.conversions)
}

type conversionsInput struct {
	OwnerID string    `query:"owner_id" format:"uuid" doc:"one rep only; default every rep the caller may see"`
	From    time.Time `query:"from" required:"true" doc:"the period's start, inclusive"`
	To      time.Time `query:"to" required:"true" doc:"the period's end, exclusive"`
	Limit   int       `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor  string    `query:"cursor" format:"uuid" doc:"next_cursor of the previous page"`
}

// JudgedOpportunityDTO is an opportunity judged for conversion.
type JudgedOpportunityDTO struct {
	Opportunity OpportunityDTO `json:"opportunity"`
	Converted   bool           `json:"converted" doc:"moved on to a later stage, or won, after entering one in the period"`
}

// ConversionPageDTO is one page of judged opportunities, by id.
type ConversionPageDTO struct {
	Opportunities []JudgedOpportunityDTO `json:"opportunities"`
	NextCursor    *uuid.UUID             `json:"next_cursor" doc:"pass as cursor for the next page; null on the last page"`
}

type conversionsOutput struct{ Body ConversionPageDTO }

func (h *HTTP) conversions(ctx context.Context, in *conversionsInput) (*conversionsOutput, error) {
	q := ConversionQuery{From: in.From, To: in.To, Limit: in.Limit}
	var err error
	if q.OwnerID, err = web.ParseOptionalID(in.OwnerID, "query.owner_id"); err != nil {
		return nil, err
	}
	if q.After, err = web.ParseOptionalID(in.Cursor, "query.cursor"); err != nil {
		return nil, err
	}
	page, err := h.svc.Conversions(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &conversionsOutput{Body: ConversionPageDTO{Opportunities: make([]JudgedOpportunityDTO, len(page.Opportunities)), NextCursor: page.Next}}
	for i, o := range page.Opportunities {
		out.Body.Opportunities[i] = JudgedOpportunityDTO{Opportunity: opportunityDTO(o.Opportunity), Converted: o.Converted}
	}
	return out, nil
}

// StageConversionDTO is one stage's conversion.
type StageConversionDTO struct {
	Stage    string  `json:"stage"`
	Entered  int     `json:"entered" doc:"opportunities that entered the stage in the period"`
	Advanced int     `json:"advanced" doc:"of those, moved on to a later stage or won by the period's end"`
	Rate     float64 `json:"rate" doc:"advanced / entered; 1 when none entered"`
}

// RepPipelineMetricsDTO is one rep's figures.
type RepPipelineMetricsDTO struct {
	RepID             uuid.UUID            `json:"rep_id"`
	NewOpportunities  int                  `json:"new_opportunities"`
	Won               int                  `json:"won"`
	Lost              int                  `json:"lost"`
	WinRate           float64              `json:"win_rate" doc:"won / (won + lost); 1 when none closed"`
	WonValue          string               `json:"won_value"`
	OpenValue         string               `json:"open_value" doc:"amount of the opportunities open at the period's end"`
	WeightedValue     string               `json:"weighted_value" doc:"open value weighed by each stage's win probability"`
	AvgSalesCycleDays float64              `json:"avg_sales_cycle_days"`
	Conversion        []StageConversionDTO `json:"conversion"`
}

// PipelineMetricsDTO answers the metrics query.
type PipelineMetricsDTO struct {
	From time.Time               `json:"from"`
	To   time.Time               `json:"to"`
	Reps []RepPipelineMetricsDTO `json:"reps"`
}

type metricsInput struct {
	From  time.Time `query:"from" required:"true" doc:"the period's start, inclusive"`
	To    time.Time `query:"to" required:"true" doc:"the period's end, exclusive"`
	RepID string    `query:"rep_id" format:"uuid" doc:"one rep only"`
}

func (h *HTTP) metrics(ctx context.Context, in *metricsInput) (*struct{ Body PipelineMetricsDTO }, error) {
	q := MetricsQuery{From: in.From, To: in.To}
	rep, err := web.ParseOptionalID(in.RepID, "query.rep_id")
	if err != nil {
		return nil, err
	}
	if rep != nil {
		q.RepIDs = []uuid.UUID{*rep}
	}
	ms, err := h.svc.Metrics(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &struct{ Body PipelineMetricsDTO }{Body: PipelineMetricsDTO{From: in.From, To: in.To, Reps: []RepPipelineMetricsDTO{}}}
	for _, m := range ms {
		d := RepPipelineMetricsDTO{RepID: m.RepID, NewOpportunities: m.NewOpportunities, Won: m.Won, Lost: m.Lost, WinRate: m.WinRate,
			WonValue: money(m.WonValue), OpenValue: money(m.OpenValue), WeightedValue: money(m.WeightedValue),
			AvgSalesCycleDays: m.AvgSalesCycleDays, Conversion: []StageConversionDTO{}}
		for _, c := range m.Conversion {
			d.Conversion = append(d.Conversion, StageConversionDTO(c))
		}
		out.Body.Reps = append(out.Body.Reps, d)
	}
	return out, nil
}
