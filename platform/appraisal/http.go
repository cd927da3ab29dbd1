package appraisal

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/appraisal/kpi"
	"github.com/repflow/repflow/platform/web"
)

// HTTP is the appraisal's API under /api/v1/appraisal.
type HTTP struct{ svc *Service }

// NewHTTP returns the API over svc.
func NewHTTP(svc *Service) *HTTP { return &HTTP{svc: svc} }

var tags = []string{"Appraisal"}

// Register adds the operations to api.
func (h *HTTP) Register(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "list-kpi-metrics", Method: http.MethodGet, Path: "/api/v1/appraisal/metrics",
		Summary: "The KPI library: every metric a template may use, with its names, unit, direction and source", Tags: tags}, h.metrics)
	huma.Register(api, huma.Operation{OperationID: "list-shipped-kpi-templates", Method: http.MethodGet, Path: "/api/v1/appraisal/shipped-templates",
		Summary: "The templates that ship with the product (FMCG, industrial), to clone", Tags: tags}, h.shipped)
	huma.Register(api, huma.Operation{OperationID: "list-kpi-templates", Method: http.MethodGet, Path: "/api/v1/appraisal/templates",
		Summary: "The tenant's KPI templates at their newest versions", Tags: tags}, h.list)
	huma.Register(api, huma.Operation{OperationID: "get-kpi-template", Method: http.MethodGet, Path: "/api/v1/appraisal/templates/{id}",
		Summary: "One KPI template, at its newest version or the one asked for", Tags: tags}, h.get)
	huma.Register(api, huma.Operation{OperationID: "create-kpi-template", Method: http.MethodPost, Path: "/api/v1/appraisal/templates",
		Summary: "Add a KPI template (a shipped one cloned and edited); weights must sum to 100", Tags: tags,
		DefaultStatus: http.StatusCreated}, h.create)
	huma.Register(api, huma.Operation{OperationID: "update-kpi-template", Method: http.MethodPut, Path: "/api/v1/appraisal/templates/{id}",
		Summary: "Edit a KPI template: the edit is its next version, and earlier versions stay as they were", Tags: tags}, h.update)
	huma.Register(api, huma.Operation{OperationID: "rep-scorecard", Method: http.MethodGet, Path: "/api/v1/appraisal/scorecard",
		Summary: "A rep's KPI dashboard for a month or quarter: each metric's actual, target, completion, colour and pace, and the total",
		Description: "Scored under the tenant's KPI template for reps, at its newest version (named in the answer), with the " +
			"rep's targets over the template's defaults. The pace says what the rest of the period needs per remaining working day; a quarter's targets are " +
			"its own or its months' put together.",
		Tags: tags}, h.scorecard)
	huma.Register(api, huma.Operation{OperationID: "unit-scorecard", Method: http.MethodGet, Path: "/api/v1/appraisal/unit-scorecard",
		Summary: "A team's or a region's KPI dashboard for a month or quarter: its reps' figures aggregated, scored against the unit's targets",
		Description: "A region counts the reps of its subregions too. Work and money add up; ratios are recomputed from their parts. " +
			"The unit's target is its own (PUT /api/v1/appraisal/unit-targets), else its reps' added up for work and money and " +
			"their mean for rates and averages. The caller must be able to read every rep's targets.",
		Tags: tags}, h.unitScorecard)
	huma.Register(api, huma.Operation{OperationID: "simulate-commission", Method: http.MethodPost, Path: "/api/v1/appraisal/commission/simulate",
		Summary: "What a commission plan pays for given figures, step by step; nothing is read or saved", Tags: tags,
		Description: "Brackets, then the growth multiplier, then the score gate, then cap and floor, rounded once at the end, " +
			"half to even, to the currency's minor unit. Every step is in the answer."}, h.simulate)
	huma.Register(api, huma.Operation{OperationID: "make-appraisal-report", Method: http.MethodPost, Path: "/api/v1/appraisal/reports",
		Summary: "Appraise a month or a quarter for every rep in one click: scores, ranks, commissions, frozen as the period's next version", Tags: tags,
		Description: "The answer carries the changes since the period's previous version, if there is one. A version never " +
			"changes afterwards, whatever happens to the figures it was made from.", DefaultStatus: http.StatusCreated}, h.makeReport)
	huma.Register(api, huma.Operation{OperationID: "list-appraisal-reports", Method: http.MethodGet, Path: "/api/v1/appraisal/reports",
		Summary: "The versions of a period's report (or of every period), newest first", Tags: tags}, h.listReports)
	huma.Register(api, huma.Operation{OperationID: "get-appraisal-report", Method: http.MethodGet, Path: "/api/v1/appraisal/reports/{id}",
		Summary: "One frozen report version, with every rep's scorecard and ranks", Tags: tags}, h.getReport)
	huma.Register(api, huma.Operation{OperationID: "export-appraisal-report", Method: http.MethodGet, Path: "/api/v1/appraisal/reports/{id}/excel",
		Summary: "A frozen report version as an Excel workbook: a summary sheet and a sheet per team, coloured by band", Tags: tags,
		Responses: map[string]*huma.Response{"200": {Description: "The workbook", Content: map[string]*huma.MediaType{
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}}}, h.excel)
	huma.Register(api, huma.Operation{OperationID: "print-appraisal-report", Method: http.MethodGet, Path: "/api/v1/appraisal/reports/{id}/html",
		Summary: "A frozen report version as one printable HTML page (A4 landscape): the summary, then a section per team", Tags: tags,
		Responses: map[string]*huma.Response{"200": {Description: "The page", Content: map[string]*huma.MediaType{"text/html": {}}}}}, h.print)
	huma.Register(api, huma.Operation{OperationID: "get-commission-plan", Method: http.MethodGet, Path: "/api/v1/appraisal/commission-plan",
		Summary: "The tenant's commission plan in force", Tags: tags}, h.getPlan)
	huma.Register(api, huma.Operation{OperationID: "set-commission-plan", Method: http.MethodPut, Path: "/api/v1/appraisal/commission-plan",
		Summary: "Set the commission plan, as its next version; reports name the version they paid by", Tags: tags}, h.setPlan)
	huma.Register(api, huma.Operation{OperationID: "list-targets", Method: http.MethodGet, Path: "/api/v1/appraisal/targets",
		Summary: "A month's or quarter's targets of the reps the caller may see", Tags: tags}, h.targets)
	huma.Register(api, huma.Operation{OperationID: "set-targets", Method: http.MethodPut, Path: "/api/v1/appraisal/targets",
		Summary: "Set a month's or quarter's targets, all or none", Tags: tags}, h.setTargets)
	huma.Register(api, huma.Operation{OperationID: "import-targets", Method: http.MethodPut, Path: "/api/v1/appraisal/targets/import",
		Summary: "Set a month's or quarter's targets from a CSV file, all or none",
		Description: "The body is a CSV file (UTF-8) whose first line names the columns rep_id, metric and value, in any order; " +
			"other columns are ignored. Each line after it sets one rep's target for one metric, as PUT /api/v1/appraisal/targets does. " +
			"An error names the file's line and column: body.lines[3].value is the value on the third line.",
		Tags: tags, MaxBodyBytes: MaxTargetsCSVBytes}, h.importTargets)
	huma.Register(api, huma.Operation{OperationID: "list-unit-targets", Method: http.MethodGet, Path: "/api/v1/appraisal/unit-targets",
		Summary: "A team's or a region's own targets of a month or quarter, for whoever may read every rep's", Tags: tags}, h.unitTargets)
	huma.Register(api, huma.Operation{OperationID: "set-unit-targets", Method: http.MethodPut, Path: "/api/v1/appraisal/unit-targets",
		Summary:     "Set a team's or a region's own targets of a month or quarter, all or none",
		Description: "The unit's dashboard is scored against them instead of its reps' targets put together. Only whoever may set every rep's targets may set the unit's.",
		Tags:        tags}, h.setUnitTargets)
}

// MetricListDTO is the KPI library.
type MetricListDTO struct {
	Metrics []kpi.Metric `json:"metrics"`
}

func (h *HTTP) metrics(_ context.Context, _ *struct{}) (*struct{ Body MetricListDTO }, error) {
	return &struct{ Body MetricListDTO }{Body: MetricListDTO{Metrics: kpi.Library()}}, nil
}

// ShippedListDTO lists the shipped templates.
type ShippedListDTO struct {
	Templates []kpi.Template `json:"templates"`
}

func (h *HTTP) shipped(_ context.Context, _ *struct{}) (*struct{ Body ShippedListDTO }, error) {
	out := &struct{ Body ShippedListDTO }{Body: ShippedListDTO{Templates: []kpi.Template{}}}
	for _, ind := range kpi.Industries {
		t, err := kpi.Shipped(ind)
		if err != nil {
			return nil, err
		}
		out.Body.Templates = append(out.Body.Templates, t)
	}
	return out, nil
}

// TemplateDTO is a stored template at one version.
type TemplateDTO struct {
	ID        uuid.UUID    `json:"id"`
	Version   int          `json:"version"`
	Latest    int          `json:"latest_version"`
	Template  kpi.Template `json:"template"`
	CreatedBy *uuid.UUID   `json:"created_by" doc:"who made this version; null for the one sign-up made"`
	CreatedAt time.Time    `json:"created_at"`
}

func templateDTO(t Template) TemplateDTO {
	return TemplateDTO{ID: t.ID, Version: t.Version, Latest: t.Latest, Template: t.Body, CreatedBy: t.CreatedBy, CreatedAt: t.CreatedAt}
}

// TemplateListDTO lists templates.
type TemplateListDTO struct {
	Templates []TemplateDTO `json:"templates"`
}

func (h *HTTP) list(ctx context.Context, _ *struct{}) (*struct{ Body TemplateListDTO }, error) {
	ts, err := h.svc.ListTemplates(ctx)
	if err != nil {
		return nil, err
	}
	out := &struct{ Body TemplateListDTO }{Body: TemplateListDTO{Templates: []TemplateDTO{}}}
	for _, t := range ts {
		out.Body.Templates = append(out.Body.Templates, templateDTO(t))
	}
	return out, nil
}

type getInput struct {
	ID      string `path:"id" format:"uuid" doc:"the template's id"`
	Version int    `query:"version" minimum:"0" doc:"a version; 0 or absent: the newest"`
}

type templateOutput struct{ Body TemplateDTO }

func (h *HTTP) get(ctx context.Context, in *getInput) (*templateOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	t, err := h.svc.GetTemplate(ctx, id, in.Version)
	if err != nil {
		return nil, err
	}
	return &templateOutput{Body: templateDTO(t)}, nil
}

// TemplateBody is a template as an admin sends it, with the version an edit was made from.
type TemplateBody struct {
	kpi.Template
	BaseVersion int `json:"base_version,omitempty" doc:"edits only: the version the edit was made from; 0 skips the check"`
}

type createInput struct{ Body TemplateBody }

func (h *HTTP) create(ctx context.Context, in *createInput) (*templateOutput, error) {
	t, err := h.svc.CreateTemplate(ctx, in.Body.Template)
	if err != nil {
		return nil, err
	}
	return &templateOutput{Body: templateDTO(t)}, nil
}

type updateInput struct {
	ID   string `path:"id" format:"uuid" doc:"the template's id"`
	Body TemplateBody
}

func (h *HTTP) update(ctx context.Context, in *updateInput) (*templateOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	t, err := h.svc.UpdateTemplate(ctx, id, in.Body.Template, in.Body.BaseVersion)
	if err != nil {
		return nil, err
	}
	return &templateOutput{Body: templateDTO(t)}, nil
}
