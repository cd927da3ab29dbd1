package datarights

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humafiber"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

// HTTP is the tenant admin's API over the company's data: exports and deletion.
type HTTP struct{ svc *Service }

// NewHTTP returns the API over svc.
func NewHTTP(svc *Service) *HTTP { return &HTTP{svc: svc} }

var tags = []string{"Data rights"}

// Register adds the operations to api.
func (h *HTTP) Register(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "request-tenant-export", Method: http.MethodPost, Path: "/api/v1/tenant/export",
		Summary:     "Export all of the company's data as one zip",
		Description: "Answers at once with the export, queued; poll it until it is ready, then download its file (for a limited time). Tenant admins only.",
		Tags:        tags, DefaultStatus: http.StatusAccepted}, h.requestExport)
	huma.Register(api, huma.Operation{OperationID: "list-tenant-exports", Method: http.MethodGet, Path: "/api/v1/tenant/exports",
		Summary: "The company's exports, newest first", Tags: tags}, h.listExports)
	huma.Register(api, huma.Operation{OperationID: "get-tenant-export", Method: http.MethodGet, Path: "/api/v1/tenant/exports/{id}",
		Summary: "An export's status", Tags: tags}, h.getExport)
	huma.Register(api, huma.Operation{OperationID: "download-tenant-export", Method: http.MethodGet, Path: "/api/v1/tenant/exports/{id}/file",
		Summary: "Download a ready export: a zip of every table as JSON and CSV, the attachments and a manifest", Tags: tags,
		Responses: map[string]*huma.Response{"200": {Description: "The export's zip", Content: map[string]*huma.MediaType{"application/zip": {}}}}},
		h.downloadExport)
	huma.Register(api, huma.Operation{OperationID: "request-tenant-deletion", Method: http.MethodPost, Path: "/api/v1/tenant/deletion",
		Summary: "Delete the company's account and all its data, after a grace period",
		Description: "The account closes at once: nobody can sign in any more. Its data is purged when the grace period ends; until then " +
			"the service operator can cancel the deletion. Tenant admins only; an active subscription must be cancelled first.",
		Tags: tags, DefaultStatus: http.StatusAccepted}, h.requestDeletion)
}

// ExportDTO is an export as the API shows it.
type ExportDTO struct {
	ID          uuid.UUID  `json:"id"`
	Status      string     `json:"status" enum:"queued,ready,failed,expired"`
	RequestedBy uuid.UUID  `json:"requested_by"`
	RequestedAt time.Time  `json:"requested_at"`
	FinishedAt  *time.Time `json:"finished_at,omitempty"`
	ExpiresAt   *time.Time `json:"expires_at,omitempty" doc:"the file can be downloaded until then"`
	Size        int64      `json:"size" doc:"the zip's size in bytes, once ready"`
	SHA256      string     `json:"sha256,omitempty" doc:"the zip's SHA-256, once ready"`
	FileURL     string     `json:"file_url,omitempty" doc:"where to download the zip, while ready"`
}

func exportDTO(e Export) ExportDTO {
	d := ExportDTO{ID: e.ID, Status: e.Status, RequestedBy: e.RequestedBy, RequestedAt: e.RequestedAt, FinishedAt: e.FinishedAt,
		ExpiresAt: e.ExpiresAt, Size: e.Size, SHA256: e.SHA256}
	if e.Status == ExportReady {
		d.FileURL = exportPath(e.ID) + "/file"
	}
	return d
}

type exportOutput struct{ Body ExportDTO }

type exportPathInput struct {
	ID string `path:"id" format:"uuid" doc:"the export's id"`
}

func (h *HTTP) requestExport(ctx context.Context, _ *struct{}) (*exportOutput, error) {
	e, err := h.svc.RequestExport(ctx)
	if err != nil {
		return nil, err
	}
	return &exportOutput{Body: exportDTO(e)}, nil
}

// ExportListDTO lists a tenant's exports, newest first.
type ExportListDTO struct {
	Exports []ExportDTO `json:"exports"`
}

func (h *HTTP) listExports(ctx context.Context, _ *struct{}) (*struct{ Body ExportListDTO }, error) {
	list, err := h.svc.Exports(ctx)
	if err != nil {
		return nil, err
	}
	out := ExportListDTO{Exports: make([]ExportDTO, len(list))}
	for i, e := range list {
		out.Exports[i] = exportDTO(e)
	}
	return &struct{ Body ExportListDTO }{Body: out}, nil
}

func (h *HTTP) getExport(ctx context.Context, in *exportPathInput) (*exportOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	e, err := h.svc.Export(ctx, id)
	if err != nil {
		return nil, err
	}
	return &exportOutput{Body: exportDTO(e)}, nil
}

// downloadExport hands the file to fasthttp as a body stream: it is sent from disk after the
// handler returns, and closed then, so a large export never sits in memory.
func (h *HTTP) downloadExport(ctx context.Context, in *exportPathInput) (*huma.StreamResponse, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	f, e, err := h.svc.OpenExport(ctx, id)
	if err != nil {
		return nil, err
	}
	return &huma.StreamResponse{Body: func(hc huma.Context) {
		hc.SetHeader("Content-Type", "application/zip")
		hc.SetHeader("Content-Disposition", `attachment; filename="repflow-export-`+e.ID.String()+`.zip"`)
		hc.SetHeader("Cache-Control", "private, no-store")
		hc.SetHeader("X-Content-SHA256", e.SHA256)
		humafiber.Unwrap(hc).Response().SetBodyStream(f, int(e.Size))
	}}, nil
}

type deletionInput struct {
	Body struct {
		ConfirmSlug string `json:"confirm_slug" minLength:"1" maxLength:"100" doc:"the company's slug, typed again to confirm"`
	}
}

// DeletionDTO is a pending deletion.
type DeletionDTO struct {
	Status      string    `json:"status" enum:"deleting"`
	RequestedAt time.Time `json:"requested_at"`
	PurgeAfter  time.Time `json:"purge_after" doc:"when the data is purged, unless the operator cancels the deletion first"`
}

type deletionOutput struct{ Body DeletionDTO }

func (h *HTTP) requestDeletion(ctx context.Context, in *deletionInput) (*deletionOutput, error) {
	d, err := h.svc.RequestDeletion(ctx, in.Body.ConfirmSlug)
	if err != nil {
		return nil, err
	}
	return &deletionOutput{Body: DeletionDTO{Status: d.Status, RequestedAt: d.RequestedAt, PurgeAfter: d.PurgeAfter}}, nil
}
