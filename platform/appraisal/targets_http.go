package appraisal

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/web"
)

// TargetDTO is a rep's target for a metric in a month.
type TargetDTO struct {
	RepID  uuid.UUID `json:"rep_id"`
	Period string    `json:"period"`
	Metric string    `json:"metric"`
	Value  float64   `json:"value"`
	SetBy  uuid.UUID `json:"set_by"`
	SetAt  time.Time `json:"set_at"`
}

// TargetListDTO lists targets.
type TargetListDTO struct {
	Targets []TargetDTO `json:"targets"`
}

func targetList(ts []Target) TargetListDTO {
	out := TargetListDTO{Targets: make([]TargetDTO, len(ts))}
	for i, t := range ts {
		out.Targets[i] = TargetDTO(t)
	}
	return out
}

type targetsInput struct {
	Period string `query:"period" required:"true" doc:"the month, YYYY-MM, or the quarter, YYYY-Qn"`
	RepID  string `query:"rep_id" format:"uuid" doc:"one rep only"`
}

func (h *HTTP) targets(ctx context.Context, in *targetsInput) (*struct{ Body TargetListDTO }, error) {
	rep, err := web.ParseOptionalID(in.RepID, "query.rep_id")
	if err != nil {
		return nil, err
	}
	ts, err := h.svc.ListTargets(ctx, in.Period, rep)
	if err != nil {
		return nil, err
	}
	return &struct{ Body TargetListDTO }{Body: targetList(ts)}, nil
}

// NewTargetDTO is one target to set.
type NewTargetDTO struct {
	RepID  uuid.UUID `json:"rep_id"`
	Metric string    `json:"metric" doc:"a key of the KPI library"`
	Value  float64   `json:"value" doc:"0 or more, in the metric's unit (ratios as fractions: 0.9 is 90 %)"`
}

// SetTargetsDTO sets a month's targets.
type SetTargetsDTO struct {
	Period  string         `json:"period" doc:"the month, YYYY-MM, or the quarter, YYYY-Qn"`
	Targets []NewTargetDTO `json:"targets" maxItems:"2000"`
}

type setTargetsInput struct{ Body SetTargetsDTO }

func (h *HTTP) setTargets(ctx context.Context, in *setTargetsInput) (*struct{ Body TargetListDTO }, error) {
	ts := make([]NewTarget, len(in.Body.Targets))
	for i, t := range in.Body.Targets {
		ts[i] = NewTarget(t)
	}
	set, err := h.svc.SetTargets(ctx, in.Body.Period, ts)
	if err != nil {
		return nil, err
	}
	return &struct{ Body TargetListDTO }{Body: targetList(set)}, nil
}

type importTargetsInput struct {
	Period  string `query:"period" required:"true" doc:"the month, YYYY-MM, or the quarter, YYYY-Qn"`
	RawBody []byte `contentType:"text/csv"`
}

func (h *HTTP) importTargets(ctx context.Context, in *importTargetsInput) (*struct{ Body TargetListDTO }, error) {
	set, err := h.svc.ImportTargets(ctx, in.Period, in.RawBody)
	if err != nil {
		return nil, err
	}
	return &struct{ Body TargetListDTO }{Body: targetList(set)}, nil
}

// ScorecardDTO is a rep's scorecard.
type ScorecardDTO struct {
	RepID           uuid.UUID `json:"rep_id"`
	Period          string    `json:"period"`
	TemplateID      uuid.UUID `json:"template_id"`
	TemplateVersion int       `json:"template_version"`
	kpi.Scorecard
	Actions []SuggestedAction `json:"actions" doc:"suggested next steps, for a month still running: the opportunities likeliest to close, the customers most overdue for a visit"`
}

type scorecardInput struct {
	RepID  string `query:"rep_id" required:"true" format:"uuid"`
	Period string `query:"period" required:"true" doc:"the month, YYYY-MM, or the quarter, YYYY-Qn"`
}

func (h *HTTP) scorecard(ctx context.Context, in *scorecardInput) (*struct{ Body ScorecardDTO }, error) {
	rep, err := web.ParseID(in.RepID, "query.rep_id")
	if err != nil {
		return nil, err
	}
	c, err := h.svc.RepScorecard(ctx, rep, in.Period)
	if err != nil {
		return nil, err
	}
	return &struct{ Body ScorecardDTO }{Body: ScorecardDTO{RepID: c.RepID, Period: c.Period, TemplateID: c.TemplateID,
		TemplateVersion: c.Version, Scorecard: c.Scorecard, Actions: append([]SuggestedAction{}, c.Actions...)}}, nil
}
