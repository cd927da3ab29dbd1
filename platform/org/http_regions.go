package org

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/repflow/repflow/platform/web"
)

var regionTags = []string{"Regions"}

func (h *HTTP) registerRegions(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "list-regions", Method: http.MethodGet, Path: "/api/v1/regions",
		Summary: "The region tree as a flat list in path order", Tags: regionTags}, h.listRegions)
	huma.Register(api, huma.Operation{OperationID: "get-region", Method: http.MethodGet, Path: "/api/v1/regions/{id}",
		Summary: "One region", Tags: regionTags}, h.getRegion)
	huma.Register(api, huma.Operation{OperationID: "create-region", Method: http.MethodPost, Path: "/api/v1/regions",
		Summary: "Add a region under a parent", Tags: regionTags, DefaultStatus: http.StatusCreated}, h.createRegion)
	huma.Register(api, huma.Operation{OperationID: "update-region", Method: http.MethodPatch, Path: "/api/v1/regions/{id}",
		Summary: "Rename a region or move it with its subtree", Tags: regionTags}, h.updateRegion)
	huma.Register(api, huma.Operation{OperationID: "delete-region", Method: http.MethodDelete, Path: "/api/v1/regions/{id}",
		Summary: "Delete an empty region", Tags: regionTags, DefaultStatus: http.StatusNoContent}, h.deleteRegion)
}

type regionOutput struct{ Body RegionDTO }

type regionListOutput struct {
	Body struct {
		Regions []RegionDTO `json:"regions"`
	}
}

type regionCreateInput struct {
	Body struct {
		Name     string `json:"name" minLength:"1" maxLength:"200"`
		ParentID string `json:"parent_id" format:"uuid"`
	}
}

type regionUpdateInput struct {
	ID   string `path:"id" format:"uuid" doc:"the row's id (a UUID)"`
	Body struct {
		Name     *string `json:"name,omitempty" minLength:"1" maxLength:"200"`
		ParentID *string `json:"parent_id,omitempty" format:"uuid" doc:"the new parent; the whole subtree moves with the region"`
	}
}

func (h *HTTP) listRegions(ctx context.Context, _ *struct{}) (*regionListOutput, error) {
	rs, err := h.svc.ListRegions(ctx)
	if err != nil {
		return nil, err
	}
	out := &regionListOutput{}
	out.Body.Regions = make([]RegionDTO, len(rs))
	for i, r := range rs {
		out.Body.Regions[i] = regionDTO(r)
	}
	return out, nil
}

func (h *HTTP) getRegion(ctx context.Context, in *idPath) (*regionOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	r, err := h.svc.GetRegion(ctx, id)
	if err != nil {
		return nil, err
	}
	return &regionOutput{Body: regionDTO(r)}, nil
}

func (h *HTTP) createRegion(ctx context.Context, in *regionCreateInput) (*regionOutput, error) {
	parent, err := web.ParseID(in.Body.ParentID, "body.parent_id")
	if err != nil {
		return nil, err
	}
	r, err := h.svc.CreateRegion(ctx, in.Body.Name, parent)
	if err != nil {
		return nil, err
	}
	return &regionOutput{Body: regionDTO(r)}, nil
}

func (h *HTTP) updateRegion(ctx context.Context, in *regionUpdateInput) (*regionOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	parent, err := parseOptionalID(in.Body.ParentID, "body.parent_id")
	if err != nil {
		return nil, err
	}
	r, err := h.svc.UpdateRegion(ctx, id, RegionChanges{Name: in.Body.Name, ParentID: parent})
	if err != nil {
		return nil, err
	}
	return &regionOutput{Body: regionDTO(r)}, nil
}

func (h *HTTP) deleteRegion(ctx context.Context, in *idPath) (*struct{}, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	return nil, h.svc.DeleteRegion(ctx, id)
}
