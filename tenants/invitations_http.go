package tenants

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

var invitationTags = []string{"Invitations"}

// InvitationsHTTP is the invitations' API.
type InvitationsHTTP struct{ svc *Invitations }

// NewInvitationsHTTP returns the API over s.
func NewInvitationsHTTP(s *Invitations) *InvitationsHTTP { return &InvitationsHTTP{svc: s} }

// Register adds the operations.
func (h *InvitationsHTTP) Register(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "invite-people", Method: http.MethodPost, Path: "/api/v1/invitations", Tags: invitationTags,
		Summary: "Invite people: their accounts are made at once (each takes a seat) and each is mailed a link to choose a password",
		Description: "All or none: one person who cannot be added (an address in use, a region out of reach, no seat left) refuses them all, " +
			"named at body.people[i].", DefaultStatus: http.StatusCreated}, h.invite)
	huma.Register(api, huma.Operation{OperationID: "import-invitations", Method: http.MethodPost, Path: "/api/v1/invitations/import", Tags: invitationTags,
		Summary: "Invite the people of a CSV file, all or none",
		Description: "The body is a CSV file (UTF-8) whose first line names the columns email, name, roles (separated by spaces or |) and region " +
			"(its id or exact name), and optionally manager (an e-mail) and phone. An error names the file's line and column: body.lines[3].region.",
		MaxBodyBytes: MaxInvitationsCSVBytes, DefaultStatus: http.StatusCreated}, h.importCSV)
	huma.Register(api, huma.Operation{OperationID: "list-invitations", Method: http.MethodGet, Path: "/api/v1/invitations", Tags: invitationTags,
		Summary: "The invitations not yet accepted, newest first"}, h.list)
	huma.Register(api, huma.Operation{OperationID: "resend-invitation", Method: http.MethodPost, Path: "/api/v1/invitations/{id}/resend", Tags: invitationTags,
		Summary: "Mail an open invitation again with a new link; the old one stops working"}, h.resend)
	huma.Register(api, huma.Operation{OperationID: "revoke-invitation", Method: http.MethodDelete, Path: "/api/v1/invitations/{id}", Tags: invitationTags,
		Summary: "Withdraw an open invitation: its link stops working, and the account made for it is deactivated", DefaultStatus: http.StatusNoContent}, h.revoke)
	huma.Register(api, web.Public(huma.Operation{OperationID: "accept-invitation", Method: http.MethodPost, Path: "/api/v1/invitations/accept", Tags: invitationTags,
		Summary: "Accept an invitation: choose the password; then sign in with the invited address"}), h.accept)
}

// InvitePersonDTO is one person to invite.
type InvitePersonDTO struct {
	Email     string     `json:"email" maxLength:"254" format:"email"`
	Name      string     `json:"name" maxLength:"200"`
	Phone     string     `json:"phone,omitempty" maxLength:"40"`
	Roles     []string   `json:"roles" minItems:"1" maxItems:"5" doc:"rep, manager, hq, tenant_admin, data_specialist"`
	RegionID  uuid.UUID  `json:"region_id"`
	ManagerID *uuid.UUID `json:"manager_id,omitempty" doc:"required for a rep"`
}

// InviteDTO invites people.
type InviteDTO struct {
	People []InvitePersonDTO `json:"people" minItems:"1" maxItems:"500"`
}

// InvitationDTO is one invitation.
type InvitationDTO struct {
	ID         uuid.UUID  `json:"id"`
	UserID     uuid.UUID  `json:"user_id" doc:"the account made for the person"`
	Email      string     `json:"email"`
	Name       string     `json:"name"`
	Roles      []string   `json:"roles"`
	RegionID   uuid.UUID  `json:"region_id"`
	ManagerID  *uuid.UUID `json:"manager_id,omitempty"`
	InvitedBy  uuid.UUID  `json:"invited_by"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at" doc:"when the link stops working"`
	AcceptedAt *time.Time `json:"accepted_at,omitempty"`
}

// InvitationListDTO lists invitations.
type InvitationListDTO struct {
	Invitations []InvitationDTO `json:"invitations"`
}

func invitationList(in []Invitation) InvitationListDTO {
	out := InvitationListDTO{Invitations: make([]InvitationDTO, len(in))}
	for i, v := range in {
		out.Invitations[i] = invitationDTO(v)
	}
	return out
}

func invitationDTO(v Invitation) InvitationDTO {
	return InvitationDTO{ID: v.ID, UserID: v.UserID, Email: v.Email, Name: v.Name, Roles: v.Roles, RegionID: v.RegionID, ManagerID: v.ManagerID,
		InvitedBy: v.InvitedBy, CreatedAt: v.CreatedAt, ExpiresAt: v.ExpiresAt, AcceptedAt: v.AcceptedAt}
}

type inviteInput struct{ Body InviteDTO }

func (h *InvitationsHTTP) invite(ctx context.Context, in *inviteInput) (*struct{ Body InvitationListDTO }, error) {
	people := make([]NewInvitation, len(in.Body.People))
	for i, p := range in.Body.People {
		people[i] = NewInvitation{Email: p.Email, Name: p.Name, Phone: p.Phone, Roles: p.Roles, RegionID: p.RegionID, ManagerID: p.ManagerID}
	}
	got, err := h.svc.Invite(ctx, people, func(i int) string { return fmt.Sprintf("body.people[%d]", i) })
	if err != nil {
		return nil, err
	}
	return &struct{ Body InvitationListDTO }{Body: invitationList(got)}, nil
}

type importInvitationsInput struct {
	RawBody []byte `contentType:"text/csv"`
}

func (h *InvitationsHTTP) importCSV(ctx context.Context, in *importInvitationsInput) (*struct{ Body InvitationListDTO }, error) {
	got, err := h.svc.ImportInvitations(ctx, in.RawBody)
	if err != nil {
		return nil, err
	}
	return &struct{ Body InvitationListDTO }{Body: invitationList(got)}, nil
}

func (h *InvitationsHTTP) list(ctx context.Context, _ *struct{}) (*struct{ Body InvitationListDTO }, error) {
	got, err := h.svc.List(ctx)
	if err != nil {
		return nil, err
	}
	return &struct{ Body InvitationListDTO }{Body: invitationList(got)}, nil
}

type invitationPath struct {
	ID string `path:"id" format:"uuid"`
}

func (h *InvitationsHTTP) resend(ctx context.Context, in *invitationPath) (*struct{ Body InvitationDTO }, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	v, err := h.svc.Resend(ctx, id)
	if err != nil {
		return nil, err
	}
	return &struct{ Body InvitationDTO }{Body: invitationDTO(v)}, nil
}

func (h *InvitationsHTTP) revoke(ctx context.Context, in *invitationPath) (*struct{}, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	return nil, h.svc.Revoke(ctx, id)
}

// AcceptInvitationDTO accepts an invitation.
type AcceptInvitationDTO struct {
	Token    string `json:"token" maxLength:"120"`
	Password string `json:"password" maxLength:"256" doc:"at least 10 characters, not the e-mail address"`
}

type acceptInput struct{ Body AcceptInvitationDTO }

func (h *InvitationsHTTP) accept(ctx context.Context, in *acceptInput) (*struct{ Body InvitationDTO }, error) {
	v, err := h.svc.Accept(ctx, in.Body.Token, in.Body.Password)
	if err != nil {
		return nil, err
	}
	return &struct{ Body InvitationDTO }{Body: invitationDTO(v)}, nil
}
