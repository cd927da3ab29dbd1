package pipeline

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/web"
)

var opportunityTags = []string{"Opportunities"}

func (h *HTTP) registerOpportunities(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "list-opportunities", Method: http.MethodGet, Path: "/api/v1/opportunities",
		Summary: "Opportunities the caller may see, oldest first, one page at a time", Tags: opportunityTags}, h.listOpportunities)
	huma.Register(api, huma.Operation{OperationID: "get-opportunity", Method: http.MethodGet, Path: "/api/v1/opportunities/{id}",
		Summary: "One opportunity with its stage history: when it entered and left each stage, and who moved it", Tags: opportunityTags}, h.getOpportunity)
	huma.Register(api, huma.Operation{OperationID: "create-opportunity", Method: http.MethodPost, Path: "/api/v1/opportunities",
		Summary: "Open an opportunity; its first stage's rules run (its checklist tasks are created)", Tags: opportunityTags,
		DefaultStatus: http.StatusCreated}, h.createOpportunity)
	huma.Register(api, huma.Operation{OperationID: "update-opportunity", Method: http.MethodPatch, Path: "/api/v1/opportunities/{id}",
		Summary: "Change an opportunity's details; the stage changes through moves", Tags: opportunityTags}, h.updateOpportunity)
	huma.Register(api, huma.Operation{OperationID: "move-opportunity", Method: http.MethodPost, Path: "/api/v1/opportunities/{id}/moves",
		Summary: "Move an opportunity to another stage, or close it as won or lost with a reason", Tags: opportunityTags,
		Description: "Refused (409 required_tasks_open, each open task in details) while the stage it leaves has required tasks " +
			"open. Entering the stage runs its workflow rules."}, h.moveOpportunity)
}

// OpportunityStageDTO is the stage an opportunity is in.
type OpportunityStageDTO struct {
	Key         string  `json:"key"`
	Name        string  `json:"name"`
	Probability int     `json:"probability"`
	Outcome     Outcome `json:"outcome" enum:"open,won,lost"`
}

// StageMoveDTO is one step of an opportunity's history.
type StageMoveDTO struct {
	FromStage          *string    `json:"from_stage" doc:"null for the stage it was opened in"`
	ToStage            string     `json:"to_stage"`
	MovedAt            time.Time  `json:"moved_at"`
	MovedBy            *uuid.UUID `json:"moved_by" doc:"null when a workflow rule moved it"`
	Reason             string     `json:"reason"`
	TimeInStageSeconds int64      `json:"time_in_stage_seconds"`
}

// OpportunityDTO is an opportunity as the API shows it.
type OpportunityDTO struct {
	ID                 uuid.UUID           `json:"id"`
	PipelineID         uuid.UUID           `json:"pipeline_id"`
	Stage              OpportunityStageDTO `json:"stage"`
	CustomerID         uuid.UUID           `json:"customer_id"`
	OwnerID            uuid.UUID           `json:"owner_id"`
	Name               string              `json:"name"`
	Amount             string              `json:"amount" doc:"decimal, as text"`
	Currency           string              `json:"currency"`
	ExpectedClose      string              `json:"expected_close" format:"date"`
	NextStep           string              `json:"next_step"`
	ContactIDs         []uuid.UUID         `json:"contact_ids"`
	Status             Status              `json:"status" enum:"open,won,lost"`
	OutcomeReason      string              `json:"outcome_reason"`
	StageEnteredAt     time.Time           `json:"stage_entered_at"`
	TimeInStageSeconds int64               `json:"time_in_stage_seconds"`
	OverSLA            bool                `json:"over_sla" doc:"open and in its stage longer than the stage's SLA"`
	LastTouchedAt      time.Time           `json:"last_touched_at"`
	ClosedAt           *time.Time          `json:"closed_at"`
	CreatedBy          uuid.UUID           `json:"created_by"`
	CreatedAt          time.Time           `json:"created_at"`
	UpdatedAt          time.Time           `json:"updated_at"`
	History            []StageMoveDTO      `json:"history,omitempty" doc:"single reads only"`
	Engagement         *EngagementDTO      `json:"engagement,omitempty" doc:"single reads only: the follow-up since it was opened"`
}

// EngagementDTO is an opportunity's follow-up.
type EngagementDTO struct {
	Touches         int     `json:"touches" doc:"activities logged against it"`
	TouchesPerWeek  float64 `json:"touches_per_week" doc:"contact frequency"`
	ActivityKinds   int     `json:"activity_kinds" doc:"follow-up depth: distinct kinds (call, meeting, message)"`
	ContactsReached int     `json:"contacts_reached" doc:"follow-up depth: distinct contacts"`
}

func opportunityDTO(o Opportunity) OpportunityDTO {
	out := OpportunityDTO{ID: o.ID, PipelineID: o.PipelineID,
		Stage:      OpportunityStageDTO{Key: o.Stage.Key, Name: o.Stage.Name, Probability: o.Stage.Probability, Outcome: o.Stage.Outcome},
		CustomerID: o.CustomerID, OwnerID: o.OwnerID, Name: o.Name, Amount: money(o.Amount), Currency: o.Currency,
		ExpectedClose: o.ExpectedClose, NextStep: o.NextStep, ContactIDs: nonNil(o.ContactIDs), Status: o.Status,
		OutcomeReason: o.OutcomeReason, StageEnteredAt: o.StageEnteredAt, TimeInStageSeconds: int64(o.TimeInStage / time.Second),
		OverSLA: o.OverSLA, LastTouchedAt: o.LastTouchedAt, ClosedAt: o.ClosedAt, CreatedBy: o.CreatedBy,
		CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
	if e := o.Engagement; e != nil {
		out.Engagement = &EngagementDTO{Touches: e.Touches, TouchesPerWeek: e.TouchesPerWeek, ActivityKinds: e.ActivityKinds, ContactsReached: e.ContactsReached}
	}
	for _, m := range o.History {
		out.History = append(out.History, StageMoveDTO{FromStage: m.FromStage, ToStage: m.ToStage, MovedAt: m.MovedAt,
			MovedBy: m.MovedBy, Reason: m.Reason, TimeInStageSeconds: int64(m.TimeInStage / time.Second)})
	}
	return out
}

type opportunityOutput struct{ Body OpportunityDTO }

// OpportunityPageDTO is one page of opportunities.
type OpportunityPageDTO struct {
	Opportunities []OpportunityDTO `json:"opportunities"`
	NextCursor    *uuid.UUID       `json:"next_cursor" doc:"pass as cursor for the next page; null on the last page"`
}

type listOpportunitiesInput struct {
	Status     string `query:"status" enum:"open,won,lost"`
	PipelineID string `query:"pipeline_id" format:"uuid"`
	Stage      string `query:"stage" doc:"stage key"`
	OwnerID    string `query:"owner_id" format:"uuid"`
	CustomerID string `query:"customer_id" format:"uuid"`
	// What a rep's win rate of a period counts, for the appraisal's drill-down.
	ClosedFrom time.Time `query:"closed_from" doc:"won or lost at or after"`
	ClosedTo   time.Time `query:"closed_to" doc:"won or lost before"`
	// What a rep's pipeline value at a period's end is the amount of.
	OpenAt time.Time `query:"open_at" doc:"open at this instant: opened before it and not won or lost before it"`
	Limit  int       `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor string    `query:"cursor" format:"uuid" doc:"next_cursor of the previous page"`
}

func (h *HTTP) listOpportunities(ctx context.Context, in *listOpportunitiesInput) (*struct{ Body OpportunityPageDTO }, error) {
	f := OpportunityFilter{Status: Status(in.Status), Stage: in.Stage, ClosedFrom: in.ClosedFrom, ClosedTo: in.ClosedTo, OpenAt: in.OpenAt, Limit: in.Limit}
	var err error
	for _, p := range []struct {
		dst  **uuid.UUID
		s, l string
	}{{&f.PipelineID, in.PipelineID, "query.pipeline_id"}, {&f.OwnerID, in.OwnerID, "query.owner_id"},
		{&f.CustomerID, in.CustomerID, "query.customer_id"}, {&f.After, in.Cursor, "query.cursor"}} {
		if *p.dst, err = web.ParseOptionalID(p.s, p.l); err != nil {
			return nil, err
		}
	}
	page, err := h.svc.ListOpportunities(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &struct{ Body OpportunityPageDTO }{Body: OpportunityPageDTO{Opportunities: []OpportunityDTO{}, NextCursor: page.Next}}
	for _, o := range page.Opportunities {
		out.Body.Opportunities = append(out.Body.Opportunities, opportunityDTO(o))
	}
	return out, nil
}

func (h *HTTP) getOpportunity(ctx context.Context, in *idPath) (*opportunityOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	o, err := h.svc.GetOpportunity(ctx, id)
	if err != nil {
		return nil, err
	}
	return &opportunityOutput{Body: opportunityDTO(o)}, nil
}

// NewOpportunityDTO opens an opportunity.
type NewOpportunityDTO struct {
	PipelineID    *uuid.UUID  `json:"pipeline_id,omitempty" doc:"default: the tenant's first pipeline"`
	CustomerID    uuid.UUID   `json:"customer_id"`
	OwnerID       *uuid.UUID  `json:"owner_id,omitempty" doc:"default: the customer's owner"`
	Name          string      `json:"name" minLength:"1" maxLength:"200"`
	Amount        string      `json:"amount" doc:"decimal, at most 4 places, not negative" example:"12500.00"`
	Currency      string      `json:"currency" minLength:"3" maxLength:"3" doc:"ISO 4217; one the tenant uses"`
	ExpectedClose string      `json:"expected_close" format:"date"`
	NextStep      string      `json:"next_step,omitempty" maxLength:"1000"`
	ContactIDs    []uuid.UUID `json:"contact_ids,omitempty" maxItems:"50"`
	Stage         string      `json:"stage,omitempty" doc:"the key of the open stage it starts in; default the first"`
}

type createOpportunityInput struct{ Body NewOpportunityDTO }

func (h *HTTP) createOpportunity(ctx context.Context, in *createOpportunityInput) (*opportunityOutput, error) {
	b := in.Body
	amount, err := parseAmount(b.Amount)
	if err != nil {
		return nil, err
	}
	o, err := h.svc.CreateOpportunity(ctx, NewOpportunity{PipelineID: b.PipelineID, CustomerID: b.CustomerID, OwnerID: b.OwnerID,
		Name: b.Name, Amount: amount, Currency: b.Currency, ExpectedClose: b.ExpectedClose, NextStep: b.NextStep,
		ContactIDs: b.ContactIDs, Stage: b.Stage})
	if err != nil {
		return nil, err
	}
	return &opportunityOutput{Body: opportunityDTO(o)}, nil
}

// OpportunityChangesDTO changes the fields it names.
type OpportunityChangesDTO struct {
	Name          *string      `json:"name,omitempty" minLength:"1" maxLength:"200"`
	Amount        *string      `json:"amount,omitempty"`
	Currency      *string      `json:"currency,omitempty" minLength:"3" maxLength:"3"`
	ExpectedClose *string      `json:"expected_close,omitempty" format:"date"`
	NextStep      *string      `json:"next_step,omitempty" maxLength:"1000"`
	ContactIDs    *[]uuid.UUID `json:"contact_ids,omitempty" maxItems:"50"`
}

type updateOpportunityInput struct {
	ID   string `path:"id" format:"uuid" doc:"the opportunity's id"`
	Body OpportunityChangesDTO
}

func (h *HTTP) updateOpportunity(ctx context.Context, in *updateOpportunityInput) (*opportunityOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	b := in.Body
	ch := OpportunityChanges{Name: b.Name, Currency: b.Currency, ExpectedClose: b.ExpectedClose, NextStep: b.NextStep, ContactIDs: b.ContactIDs}
	if b.Amount != nil {
		a, err := parseAmount(*b.Amount)
		if err != nil {
			return nil, err
		}
		ch.Amount = &a
	}
	o, err := h.svc.UpdateOpportunity(ctx, id, ch)
	if err != nil {
		return nil, err
	}
	return &opportunityOutput{Body: opportunityDTO(o)}, nil
}

// MoveDTO moves an opportunity.
type MoveDTO struct {
	Stage  string `json:"stage" doc:"the key of the stage to move to"`
	Reason string `json:"reason,omitempty" maxLength:"1000" doc:"required when the stage closes it (won or lost)"`
}

type moveInput struct {
	ID   string `path:"id" format:"uuid" doc:"the opportunity's id"`
	Body MoveDTO
}

func (h *HTTP) moveOpportunity(ctx context.Context, in *moveInput) (*opportunityOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	o, err := h.svc.MoveOpportunity(ctx, id, Move{Stage: in.Body.Stage, Reason: in.Body.Reason})
	if err != nil {
		return nil, err
	}
	return &opportunityOutput{Body: opportunityDTO(o)}, nil
}

// money writes an amount with two decimals, or all of them when it has more that matter.
func money(d decimal.Decimal) string {
	if d.Equal(d.Round(2)) {
		return d.StringFixed(2)
	}
	return d.String()
}

func parseAmount(s string) (decimal.Decimal, error) {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return d, fault.Field("body.amount", "is not a decimal number such as 12500.00", s)
	}
	return d, nil
}
