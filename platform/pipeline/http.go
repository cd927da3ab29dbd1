package pipeline

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

// HTTP is the pipeline domain's API under /api/v1: pipelines, opportunities, tasks, reminders.
type HTTP struct{ svc *Service }

// NewHTTP returns the API over svc.
func NewHTTP(svc *Service) *HTTP { return &HTTP{svc: svc} }

var pipelineTags = []string{"Pipelines"}

// Register adds the operations to api.
func (h *HTTP) Register(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "list-pipelines", Method: http.MethodGet, Path: "/api/v1/pipelines",
		Summary: "The tenant's pipelines, the default first", Tags: pipelineTags}, h.listPipelines)
	huma.Register(api, huma.Operation{OperationID: "get-pipeline", Method: http.MethodGet, Path: "/api/v1/pipelines/{id}",
		Summary: "One pipeline: stages, checklists and workflow rules", Tags: pipelineTags}, h.getPipeline)
	huma.Register(api, huma.Operation{OperationID: "create-pipeline", Method: http.MethodPost, Path: "/api/v1/pipelines",
		Summary: "Add a pipeline; it is validated whole, and every problem is reported with its place", Tags: pipelineTags,
		DefaultStatus: http.StatusCreated}, h.createPipeline)
	huma.Register(api, huma.Operation{OperationID: "update-pipeline", Method: http.MethodPut, Path: "/api/v1/pipelines/{id}",
		Summary: "Replace a pipeline's definition", Tags: pipelineTags,
		Description: "Stages are matched by key: a kept key keeps its stage and the opportunities in it, a new key adds a stage, " +
			"a missing key retires its stage (refused while open opportunities are in it). With revision set, the edit is " +
			"refused (409) if the pipeline changed since that revision."}, h.updatePipeline)
	h.registerOpportunities(api)
	h.registerTasks(api)
	h.registerMetrics(api)
}

// StageDTO is a stored stage.
type StageDTO struct {
	ID uuid.UUID `json:"id"`
	StageDef
}

// PipelineDTO is a stored pipeline.
type PipelineDTO struct {
	ID        uuid.UUID  `json:"id"`
	Name      string     `json:"name"`
	Revision  int64      `json:"revision"`
	Stages    []StageDTO `json:"stages"`
	Rules     []Rule     `json:"rules"`
	UpdatedAt time.Time  `json:"updated_at"`
}

func pipelineDTO(p Pipeline) PipelineDTO {
	out := PipelineDTO{ID: p.ID, Name: p.Name, Revision: p.Revision, Rules: nonNil(p.Rules), UpdatedAt: p.UpdatedAt}
	for _, s := range p.Stages {
		s.Checklist = nonNil(s.Checklist)
		out.Stages = append(out.Stages, StageDTO{ID: s.ID, StageDef: s.StageDef})
	}
	return out
}

// PipelineListDTO lists pipelines.
type PipelineListDTO struct {
	Pipelines []PipelineDTO `json:"pipelines"`
}

type pipelineOutput struct{ Body PipelineDTO }

type idPath struct {
	ID string `path:"id" format:"uuid" doc:"the id (a UUID)"`
}

// PipelineBody is a pipeline's definition, with the revision an edit was based on.
type PipelineBody struct {
	Definition
	Revision int64 `json:"revision,omitempty" doc:"update only: the revision the edit was made from; 0 skips the check"`
}

type pipelineInput struct {
	Body PipelineBody
}

type updatePipelineInput struct {
	ID   string `path:"id" format:"uuid" doc:"the pipeline's id"`
	Body PipelineBody
}

func (h *HTTP) listPipelines(ctx context.Context, _ *struct{}) (*struct{ Body PipelineListDTO }, error) {
	ps, err := h.svc.ListPipelines(ctx)
	if err != nil {
		return nil, err
	}
	out := &struct{ Body PipelineListDTO }{Body: PipelineListDTO{Pipelines: []PipelineDTO{}}}
	for _, p := range ps {
		out.Body.Pipelines = append(out.Body.Pipelines, pipelineDTO(p))
	}
	return out, nil
}

func (h *HTTP) getPipeline(ctx context.Context, in *idPath) (*pipelineOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	p, err := h.svc.GetPipeline(ctx, id)
	if err != nil {
		return nil, err
	}
	return &pipelineOutput{Body: pipelineDTO(p)}, nil
}

func (h *HTTP) createPipeline(ctx context.Context, in *pipelineInput) (*pipelineOutput, error) {
	p, err := h.svc.CreatePipeline(ctx, in.Body.Definition)
	if err != nil {
		return nil, err
	}
	return &pipelineOutput{Body: pipelineDTO(p)}, nil
}

func (h *HTTP) updatePipeline(ctx context.Context, in *updatePipelineInput) (*pipelineOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	p, err := h.svc.UpdatePipeline(ctx, id, in.Body.Definition, in.Body.Revision)
	if err != nil {
		return nil, err
	}
	return &pipelineOutput{Body: pipelineDTO(p)}, nil
}
