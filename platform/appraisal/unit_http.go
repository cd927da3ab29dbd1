package appraisal

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/appraisal/kpi"
)

// UnitScorecardDTO is a team's or a region's KPI dashboard.
type UnitScorecardDTO struct {
	Unit            string    `json:"unit" doc:"team:<id> or region:<id>"`
	Period          string    `json:"period"`
	TemplateID      uuid.UUID `json:"template_id"`
	TemplateVersion int       `json:"template_version"`
	Members         int       `json:"members" doc:"the reps whose figures make the unit's"`
	kpi.Scorecard
}

type unitScorecardInput struct {
	Unit   string `query:"unit" required:"true" doc:"team:<id> or region:<id> (a region with its subregions)"`
	Period string `query:"period" required:"true" doc:"the month, YYYY-MM, or the quarter, YYYY-Qn"`
}

func (h *HTTP) unitScorecard(ctx context.Context, in *unitScorecardInput) (*struct{ Body UnitScorecardDTO }, error) {
	unit, err := ParseUnit(in.Unit, "query.unit")
	if err != nil {
		return nil, err
	}
	c, err := h.svc.UnitScorecard(ctx, unit, in.Period)
	if err != nil {
		return nil, err
	}
	return &struct{ Body UnitScorecardDTO }{Body: UnitScorecardDTO{Unit: c.Unit.String(), Period: c.Period, TemplateID: c.TemplateID,
		TemplateVersion: c.Version, Members: c.Members, Scorecard: c.Scorecard}}, nil
}

// UnitTargetDTO is a unit's own target for a metric in a period.
type UnitTargetDTO struct {
	Unit   string    `json:"unit"`
	Period string    `json:"period"`
	Metric string    `json:"metric"`
	Value  float64   `json:"value"`
	SetBy  uuid.UUID `json:"set_by"`
	SetAt  time.Time `json:"set_at"`
}

// UnitTargetListDTO lists a unit's targets.
type UnitTargetListDTO struct {
	Targets []UnitTargetDTO `json:"targets"`
}

func unitTargetList(ts []UnitTarget) UnitTargetListDTO {
	out := UnitTargetListDTO{Targets: make([]UnitTargetDTO, len(ts))}
	for i, t := range ts {
		out.Targets[i] = UnitTargetDTO{Unit: t.Unit.String(), Period: t.Period, Metric: t.Metric, Value: t.Value, SetBy: t.SetBy, SetAt: t.SetAt}
	}
	return out
}

type unitTargetsInput struct {
	Unit   string `query:"unit" required:"true" doc:"team:<id> or region:<id>"`
	Period string `query:"period" required:"true" doc:"the month, YYYY-MM, or the quarter, YYYY-Qn"`
}

func (h *HTTP) unitTargets(ctx context.Context, in *unitTargetsInput) (*struct{ Body UnitTargetListDTO }, error) {
	unit, err := ParseUnit(in.Unit, "query.unit")
	if err != nil {
		return nil, err
	}
	ts, err := h.svc.ListUnitTargets(ctx, unit, in.Period)
	if err != nil {
		return nil, err
	}
	return &struct{ Body UnitTargetListDTO }{Body: unitTargetList(ts)}, nil
}

// NewUnitTargetDTO is one unit target to set.
type NewUnitTargetDTO struct {
	Metric string  `json:"metric" doc:"a key of the KPI library scored at the unit's level"`
	Value  float64 `json:"value" doc:"0 or more, in the metric's unit (ratios as fractions: 0.9 is 90 %)"`
}

// SetUnitTargetsDTO sets a unit's targets of a period.
type SetUnitTargetsDTO struct {
	Unit    string             `json:"unit" doc:"team:<id> or region:<id>"`
	Period  string             `json:"period" doc:"the month, YYYY-MM, or the quarter, YYYY-Qn"`
	Targets []NewUnitTargetDTO `json:"targets" maxItems:"100"`
}

type setUnitTargetsInput struct{ Body SetUnitTargetsDTO }

func (h *HTTP) setUnitTargets(ctx context.Context, in *setUnitTargetsInput) (*struct{ Body UnitTargetListDTO }, error) {
	unit, err := ParseUnit(in.Body.Unit, "body.unit")
	if err != nil {
		return nil, err
	}
	ts := make([]NewUnitTarget, len(in.Body.Targets))
	for i, t := range in.Body.Targets {
		ts[i] = NewUnitTarget(t)
	}
	set, err := h.svc.SetUnitTargets(ctx, unit, in.Body.Period, ts)
	if err != nil {
		return nil, err
	}
	return &struct{ Body UnitTargetListDTO }{Body: unitTargetList(set)}, nil
}
