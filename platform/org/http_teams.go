package org

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

var teamTags = []string{"Teams"}

func (h *HTTP) registerTeams(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "list-teams", Method: http.MethodGet, Path: "/api/v1/teams",
		Summary: "Teams the caller may see, by name", Tags: teamTags}, h.listTeams)
	huma.Register(api, huma.Operation{OperationID: "get-team", Method: http.MethodGet, Path: "/api/v1/teams/{id}",
		Summary: "One team with its member ids", Tags: teamTags}, h.getTeam)
	huma.Register(api, huma.Operation{OperationID: "create-team", Method: http.MethodPost, Path: "/api/v1/teams",
		Summary: "Form a team in a region", Tags: teamTags, DefaultStatus: http.StatusCreated}, h.createTeam)
	huma.Register(api, huma.Operation{OperationID: "update-team", Method: http.MethodPatch, Path: "/api/v1/teams/{id}",
		Summary: "Rename a team, move it or change its lead", Tags: teamTags}, h.updateTeam)
	huma.Register(api, huma.Operation{OperationID: "delete-team", Method: http.MethodDelete, Path: "/api/v1/teams/{id}",
		Summary: "Dissolve a team (its members stay)", Tags: teamTags, DefaultStatus: http.StatusNoContent}, h.deleteTeam)
	huma.Register(api, huma.Operation{OperationID: "add-team-member", Method: http.MethodPut, Path: "/api/v1/teams/{id}/members/{user_id}",
		Summary: "Put a user into a team", Tags: teamTags}, h.addMember)
	huma.Register(api, huma.Operation{OperationID: "remove-team-member", Method: http.MethodDelete, Path: "/api/v1/teams/{id}/members/{user_id}",
		Summary: "Take a user out of a team", Tags: teamTags, DefaultStatus: http.StatusNoContent}, h.removeMember)
}

type teamOutput struct{ Body TeamDTO }

type teamListOutput struct {
	Body struct {
		Teams []TeamDTO `json:"teams"`
	}
}

type teamCreateInput struct {
	Body struct {
		Name     string  `json:"name" minLength:"1" maxLength:"200"`
		RegionID string  `json:"region_id" format:"uuid"`
		LeadID   *string `json:"lead_id,omitempty" format:"uuid"`
	}
}

type teamUpdateInput struct {
	ID   string `path:"id" format:"uuid" doc:"the row's id (a UUID)"`
	Body struct {
		Name     *string    `json:"name,omitempty" minLength:"1" maxLength:"200"`
		RegionID *string    `json:"region_id,omitempty" format:"uuid"`
		LeadID   NullableID `json:"lead_id,omitempty" doc:"null removes the lead"`
	}
}

type memberPath struct {
	ID     string `path:"id" format:"uuid" doc:"the team's id"`
	UserID string `path:"user_id" format:"uuid" doc:"the member's user id"`
}

func (h *HTTP) listTeams(ctx context.Context, _ *struct{}) (*teamListOutput, error) {
	ts, err := h.svc.ListTeams(ctx)
	if err != nil {
		return nil, err
	}
	out := &teamListOutput{}
	out.Body.Teams = make([]TeamDTO, len(ts))
	for i, t := range ts {
		out.Body.Teams[i] = teamDTO(t)
	}
	return out, nil
}

func (h *HTTP) getTeam(ctx context.Context, in *idPath) (*teamOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	t, err := h.svc.GetTeam(ctx, id)
	if err != nil {
		return nil, err
	}
	return &teamOutput{Body: teamDTO(t)}, nil
}

func (h *HTTP) createTeam(ctx context.Context, in *teamCreateInput) (*teamOutput, error) {
	region, err := web.ParseID(in.Body.RegionID, "body.region_id")
	if err != nil {
		return nil, err
	}
	lead, err := parseOptionalID(in.Body.LeadID, "body.lead_id")
	if err != nil {
		return nil, err
	}
	t, err := h.svc.CreateTeam(ctx, NewTeam{Name: in.Body.Name, RegionID: region, LeadID: lead})
	if err != nil {
		return nil, err
	}
	return &teamOutput{Body: teamDTO(t)}, nil
}

func (h *HTTP) updateTeam(ctx context.Context, in *teamUpdateInput) (*teamOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	ch := TeamChanges{Name: in.Body.Name, SetLead: in.Body.LeadID.Set, LeadID: in.Body.LeadID.ID}
	if ch.RegionID, err = parseOptionalID(in.Body.RegionID, "body.region_id"); err != nil {
		return nil, err
	}
	t, err := h.svc.UpdateTeam(ctx, id, ch)
	if err != nil {
		return nil, err
	}
	return &teamOutput{Body: teamDTO(t)}, nil
}

func (h *HTTP) deleteTeam(ctx context.Context, in *idPath) (*struct{}, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	return nil, h.svc.DeleteTeam(ctx, id)
}

func (h *HTTP) addMember(ctx context.Context, in *memberPath) (*teamOutput, error) {
	team, user, err := in.ids()
	if err != nil {
		return nil, err
	}
	t, err := h.svc.AddTeamMember(ctx, team, user)
	if err != nil {
		return nil, err
	}
	return &teamOutput{Body: teamDTO(t)}, nil
}

func (h *HTTP) removeMember(ctx context.Context, in *memberPath) (*struct{}, error) {
	team, user, err := in.ids()
	if err != nil {
		return nil, err
	}
	return nil, h.svc.RemoveTeamMember(ctx, team, user)
}

func (p memberPath) ids() (team, user uuid.UUID, err error) {
	if team, err = web.ParseID(p.ID, "path.id"); err != nil {
		return team, user, err
	}
	user, err = web.ParseID(p.UserID, "path.user_id")
	return team, user, err
}
