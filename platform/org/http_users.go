package org

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

var userTags = []string{"Users"}

func (h *HTTP) registerUsers(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "list-users", Method: http.MethodGet, Path: "/api/v1/users",
		Summary: "Users the caller may see, oldest first, one page at a time", Tags: userTags}, h.listUsers)
	huma.Register(api, huma.Operation{OperationID: "get-user", Method: http.MethodGet, Path: "/api/v1/users/{id}",
		Summary: "One user", Tags: userTags}, h.getUser)
	huma.Register(api, huma.Operation{OperationID: "create-user", Method: http.MethodPost, Path: "/api/v1/users",
		Summary: "Add a user", Tags: userTags, DefaultStatus: http.StatusCreated}, h.createUser)
	huma.Register(api, huma.Operation{OperationID: "update-user", Method: http.MethodPatch, Path: "/api/v1/users/{id}",
		Summary: "Change a user's profile, roles, region, manager or status", Tags: userTags}, h.updateUser)
	huma.Register(api, huma.Operation{OperationID: "deactivate-user", Method: http.MethodDelete, Path: "/api/v1/users/{id}",
		Summary: "Deactivate a user (their records stay)", Tags: userTags, DefaultStatus: http.StatusNoContent}, h.deactivateUser)
}

type userOutput struct{ Body UserDTO }

type userListInput struct {
	Role     string `query:"role" enum:"rep,manager,hq,tenant_admin,data_specialist" doc:"only users holding this role"`
	RegionID string `query:"region_id" format:"uuid" doc:"only users in this region's subtree"`
	Status   string `query:"status" enum:"active,disabled"`
	Q        string `query:"q" maxLength:"100" doc:"contained in the name or e-mail, case-insensitive"`
	Limit    int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor   string `query:"cursor" format:"uuid" doc:"next_cursor of the previous page"`
}

type userListOutput struct {
	Body struct {
		Users      []UserDTO  `json:"users"`
		NextCursor *uuid.UUID `json:"next_cursor" doc:"pass as cursor for the next page; null on the last page"`
	}
}

type userCreateInput struct {
	Body struct {
		Email     string   `json:"email" minLength:"3" maxLength:"254"`
		Name      string   `json:"name" minLength:"1" maxLength:"200"`
		Phone     string   `json:"phone,omitempty" maxLength:"40"`
		Roles     []string `json:"roles" minItems:"1" maxItems:"5" uniqueItems:"true" enum:"rep,manager,hq,tenant_admin,data_specialist"`
		RegionID  string   `json:"region_id" format:"uuid"`
		ManagerID *string  `json:"manager_id,omitempty" format:"uuid" doc:"required for reps"`
		Password  string   `json:"password,omitempty" maxLength:"200" doc:"optional; without it the user sets one through a reset link"`
	}
}

type userUpdateInput struct {
	ID   string `path:"id" format:"uuid" doc:"the row's id (a UUID)"`
	Body struct {
		Name      *string    `json:"name,omitempty" minLength:"1" maxLength:"200"`
		Phone     *string    `json:"phone,omitempty" maxLength:"40"`
		Roles     []string   `json:"roles,omitempty" minItems:"1" maxItems:"5" uniqueItems:"true" enum:"rep,manager,hq,tenant_admin,data_specialist"`
		RegionID  *string    `json:"region_id,omitempty" format:"uuid"`
		ManagerID NullableID `json:"manager_id,omitempty" doc:"null removes the manager"`
		Status    *string    `json:"status,omitempty" enum:"active,disabled"`
	}
}

func (h *HTTP) listUsers(ctx context.Context, in *userListInput) (*userListOutput, error) {
	f := UserFilter{Role: in.Role, Status: Status(in.Status), Query: in.Q, Limit: in.Limit}
	var err error
	if in.RegionID != "" {
		if f.RegionID, err = parseOptionalID(&in.RegionID, "query.region_id"); err != nil {
			return nil, err
		}
	}
	if in.Cursor != "" {
		if f.After, err = parseOptionalID(&in.Cursor, "query.cursor"); err != nil {
			return nil, err
		}
	}
	page, err := h.svc.ListUsers(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &userListOutput{}
	out.Body.Users = make([]UserDTO, len(page.Users))
	for i, u := range page.Users {
		out.Body.Users[i] = userDTO(u)
	}
	out.Body.NextCursor = page.Next
	return out, nil
}

func (h *HTTP) getUser(ctx context.Context, in *idPath) (*userOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	u, err := h.svc.GetUser(ctx, id)
	if err != nil {
		return nil, err
	}
	return &userOutput{Body: userDTO(u)}, nil
}

func (h *HTTP) createUser(ctx context.Context, in *userCreateInput) (*userOutput, error) {
	b := in.Body
	region, err := web.ParseID(b.RegionID, "body.region_id")
	if err != nil {
		return nil, err
	}
	manager, err := parseOptionalID(b.ManagerID, "body.manager_id")
	if err != nil {
		return nil, err
	}
	u, err := h.svc.CreateUser(ctx, NewUser{Email: b.Email, Name: b.Name, Phone: b.Phone, Roles: b.Roles,
		RegionID: region, ManagerID: manager, Password: b.Password})
	if err != nil {
		return nil, err
	}
	return &userOutput{Body: userDTO(u)}, nil
}

func (h *HTTP) updateUser(ctx context.Context, in *userUpdateInput) (*userOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	b := in.Body
	ch := UserChanges{Name: b.Name, Phone: b.Phone, Roles: b.Roles, SetManager: b.ManagerID.Set, ManagerID: b.ManagerID.ID}
	if ch.RegionID, err = parseOptionalID(b.RegionID, "body.region_id"); err != nil {
		return nil, err
	}
	if b.Status != nil {
		st := Status(*b.Status)
		ch.Status = &st
	}
	u, err := h.svc.UpdateUser(ctx, id, ch)
	if err != nil {
		return nil, err
	}
	return &userOutput{Body: userDTO(u)}, nil
}

func (h *HTTP) deactivateUser(ctx context.Context, in *idPath) (*struct{}, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	return nil, h.svc.DeactivateUser(ctx, id)
}
