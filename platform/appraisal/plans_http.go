package appraisal

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/appraisal/commission"
	"github.com/repflow/repflow/platform/identity"
)

// SimulationDTO asks what a plan would pay for hypothetical figures.
type SimulationDTO struct {
	Plan   commission.Plan   `json:"plan"`
	Inputs commission.Inputs `json:"inputs"`
}

type simulateInput struct{ Body SimulationDTO }

// simulate computes a commission without reading or saving anything: "what if this rep sells X".
func (h *HTTP) simulate(ctx context.Context, in *simulateInput) (*struct{ Body commission.Result }, error) {
	if _, err := identity.SignedIn(ctx, "simulate a commission"); err != nil {
		return nil, err
	}
	r, err := commission.Simulate(in.Body.Plan, in.Body.Inputs)
	if err != nil {
		return nil, err
	}
	return &struct{ Body commission.Result }{Body: r}, nil
}

// CommissionPlanDTO is the plan in force at its version.
type CommissionPlanDTO struct {
	Version   int             `json:"version"`
	Plan      commission.Plan `json:"plan"`
	CreatedBy uuid.UUID       `json:"created_by"`
	CreatedAt time.Time       `json:"created_at"`
}

type planOutput struct{ Body CommissionPlanDTO }

func planDTO(p CommissionPlan) *planOutput {
	return &planOutput{Body: CommissionPlanDTO{Version: p.Version, Plan: p.Plan, CreatedBy: p.CreatedBy, CreatedAt: p.CreatedAt}}
}

func (h *HTTP) getPlan(ctx context.Context, _ *struct{}) (*planOutput, error) {
	p, err := h.svc.GetCommissionPlan(ctx)
	if err != nil {
		return nil, err
	}
	return planDTO(p), nil
}

type setPlanInput struct{ Body commission.Plan }

func (h *HTTP) setPlan(ctx context.Context, in *setPlanInput) (*planOutput, error) {
	p, err := h.svc.SetCommissionPlan(ctx, in.Body)
	if err != nil {
		return nil, err
	}
	return planDTO(p), nil
}
