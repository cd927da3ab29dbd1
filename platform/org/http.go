package org

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

// HTTP is the organisation's API: /api/v1/me, /regions, /users and /teams.
type HTTP struct{ svc *Service }

// NewHTTP returns the organisation's API over svc.
func NewHTTP(svc *Service) *HTTP { return &HTTP{svc: svc} }

// Register adds the operations to api.
func (h *HTTP) Register(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "get-me", Method: http.MethodGet, Path: "/api/v1/me",
		Summary: "The signed-in user, their place in the organisation and their tenant", Tags: []string{"Organisation"}}, h.me)
	h.registerRegions(api)
	h.registerUsers(api)
	h.registerTeams(api)
}

// RegionDTO is a region of the tree as the API shows it.
type RegionDTO struct {
	ID        uuid.UUID  `json:"id"`
	ParentID  *uuid.UUID `json:"parent_id" doc:"null for the root"`
	Name      string     `json:"name"`
	Path      string     `json:"path" doc:"materialised path of ids from the root, /<root>/<child>/"`
	Depth     int        `json:"depth" doc:"0 for the root"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

func regionDTO(r Region) RegionDTO {
	return RegionDTO{ID: r.ID, ParentID: r.ParentID, Name: r.Name, Path: r.Path, Depth: r.Depth, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// UserDTO is a user as the API shows it.
type UserDTO struct {
	ID        uuid.UUID  `json:"id"`
	Email     string     `json:"email"`
	Name      string     `json:"name"`
	Phone     string     `json:"phone"`
	Roles     []string   `json:"roles"`
	RegionID  uuid.UUID  `json:"region_id"`
	ManagerID *uuid.UUID `json:"manager_id"`
	Status    string     `json:"status" enum:"active,disabled"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

func userDTO(u User) UserDTO {
	return UserDTO{ID: u.ID, Email: u.Email, Name: u.Name, Phone: u.Phone, Roles: u.Roles, RegionID: u.RegionID,
		ManagerID: u.ManagerID, Status: string(u.Status), CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
}

// TeamDTO is a team with its member ids.
type TeamDTO struct {
	ID        uuid.UUID   `json:"id"`
	Name      string      `json:"name"`
	RegionID  uuid.UUID   `json:"region_id"`
	LeadID    *uuid.UUID  `json:"lead_id"`
	MemberIDs []uuid.UUID `json:"member_ids"`
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
}

func teamDTO(t Team) TeamDTO {
	return TeamDTO{ID: t.ID, Name: t.Name, RegionID: t.RegionID, LeadID: t.LeadID, MemberIDs: t.MemberIDs, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
}

// MeDTO is the answer of GET /api/v1/me.
type MeDTO struct {
	User    MeUserDTO    `json:"user"`
	Tenant  TenantDTO    `json:"tenant"`
	Manager *PersonDTO   `json:"manager" doc:"null when the user has no manager"`
	Teams   []TeamRefDTO `json:"teams"`
}

// MeUserDTO is the caller's own record.
type MeUserDTO struct {
	ID     uuid.UUID    `json:"id"`
	Email  string       `json:"email"`
	Name   string       `json:"name"`
	Phone  string       `json:"phone"`
	Roles  []string     `json:"roles"`
	Region RegionRefDTO `json:"region"`
}

// RegionRefDTO names a region.
type RegionRefDTO struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
	Path string    `json:"path"`
}

// PersonDTO names a user.
type PersonDTO struct {
	ID    uuid.UUID `json:"id"`
	Name  string    `json:"name"`
	Email string    `json:"email"`
}

// TeamRefDTO names a team.
type TeamRefDTO struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
}

// TenantDTO is what a user sees of their tenant.
type TenantDTO struct {
	ID       uuid.UUID `json:"id"`
	Name     string    `json:"name"`
	Slug     string    `json:"slug"`
	Industry string    `json:"industry"`
	TimeZone string    `json:"time_zone"`
	Currency string    `json:"currency"`
}

func meDTO(m Me) MeDTO {
	out := MeDTO{
		User: MeUserDTO{ID: m.User.ID, Email: m.User.Email, Name: m.User.Name, Phone: m.User.Phone, Roles: m.User.Roles,
			Region: RegionRefDTO{ID: m.Region.ID, Name: m.Region.Name, Path: m.Region.Path}},
		Tenant: TenantDTO{ID: m.Tenant.ID, Name: m.Tenant.Name, Slug: m.Tenant.Slug, Industry: m.Tenant.Industry,
			TimeZone: m.Tenant.TimeZone, Currency: m.Tenant.Currency},
		Teams: make([]TeamRefDTO, len(m.Teams)),
	}
	if m.Manager != nil {
		out.Manager = &PersonDTO{ID: m.Manager.ID, Name: m.Manager.Name, Email: m.Manager.Email}
	}
	for i, t := range m.Teams {
		out.Teams[i] = TeamRefDTO{ID: t.ID, Name: t.Name}
	}
	return out
}

type meOutput struct{ Body MeDTO }

func (h *HTTP) me(ctx context.Context, _ *struct{}) (*meOutput, error) {
	m, err := h.svc.Me(ctx)
	if err != nil {
		return nil, err
	}
	return &meOutput{Body: meDTO(m)}, nil
}

// idPath is the {id} of a single-row path; huma answers a malformed one with 422 naming path.id.
type idPath struct {
	ID string `path:"id" format:"uuid" doc:"the row's id (a UUID)"`
}

// NullableID is a JSON field that tells "absent" (leave as is) from null (clear) and an id.
type NullableID struct {
	Set bool       // the field was present
	ID  *uuid.UUID // nil for null
}

// UnmarshalJSON records presence; huma has already checked the value against Schema.
func (n *NullableID) UnmarshalJSON(b []byte) error {
	n.Set = true
	if string(b) == "null" {
		n.ID = nil
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return err
	}
	n.ID = &id
	return nil
}

// Schema describes NullableID as a nullable UUID string.
func (NullableID) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Format: "uuid", Nullable: true}
}

func parseOptionalID(s *string, location string) (*uuid.UUID, error) {
	if s == nil {
		return nil, nil
	}
	id, err := web.ParseID(*s, location)
	if err != nil {
		return nil, err
	}
	return &id, nil
}
