package admin

import (
	"context"
	"time"

	"github.com/google/uuid"
)

type grantDTO struct {
	ID            uuid.UUID  `json:"id" format:"uuid"`
	TenantID      uuid.UUID  `json:"tenant_id" format:"uuid"`
	OperatorID    uuid.UUID  `json:"operator_id" format:"uuid"`
	OperatorEmail string     `json:"operator_email"`
	Reason        string     `json:"reason"`
	StartsAt      time.Time  `json:"starts_at"`
	ExpiresAt     time.Time  `json:"expires_at"`
	RevokedAt     *time.Time `json:"revoked_at"`
	Active        bool       `json:"active" doc:"whether the grant opens the tenant now"`
}

func (s *Service) toGrantDTO(g Grant) grantDTO {
	return grantDTO{ID: g.ID, TenantID: g.TenantID, OperatorID: g.OperatorID, OperatorEmail: g.OperatorEmail,
		Reason: g.Reason, StartsAt: g.StartsAt, ExpiresAt: g.ExpiresAt, RevokedAt: g.RevokedAt, Active: g.Active(s.now())}
}

type grantInput struct {
	ID   uuid.UUID `path:"id" format:"uuid"`
	Body struct {
		// The bounds are the service's to check (10 to 500 characters, 1 to 240 minutes), not
		// the schema's: a request the schema turned away would never reach the audit.
		Reason  string `json:"reason" maxLength:"2000" doc:"why the tenant's data is needed, 10 to 500 characters; the tenant's admin reads it"`
		Minutes int    `json:"minutes" doc:"how long the access lasts, 1 to 240 minutes"`
	}
}

type grantOutput struct{ Body grantDTO }

func (s *Service) handleGrant(ctx context.Context, in *grantInput) (*grantOutput, error) {
	g, err := s.GrantSupport(ctx, in.ID, in.Body.Reason, in.Body.Minutes)
	if err != nil {
		return nil, err
	}
	return &grantOutput{Body: s.toGrantDTO(g)}, nil
}

type listGrantsOutput struct {
	Body struct {
		Grants []grantDTO `json:"grants"`
	}
}

func (s *Service) handleListGrants(ctx context.Context, in *tenantInput) (*listGrantsOutput, error) {
	list, err := s.Grants(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	out := &listGrantsOutput{}
	out.Body.Grants = make([]grantDTO, 0, len(list))
	for _, g := range list {
		out.Body.Grants = append(out.Body.Grants, s.toGrantDTO(g))
	}
	return out, nil
}

type revokeGrantInput struct {
	ID      uuid.UUID `path:"id" format:"uuid"`
	GrantID uuid.UUID `path:"grant_id" format:"uuid"`
}

func (s *Service) handleRevokeGrant(ctx context.Context, in *revokeGrantInput) (*struct{}, error) {
	return nil, s.RevokeGrant(ctx, in.ID, in.GrantID)
}

type supportSessionInput struct {
	ID      uuid.UUID `path:"id" format:"uuid"`
	GrantID uuid.UUID `path:"grant_id" format:"uuid"`
}

type supportSessionOutput struct {
	Body struct {
		Token     string    `json:"token" doc:"send as Authorization: Bearer <token> to the tenant API (/api/v1/...); it reads, never writes"`
		ExpiresAt time.Time `json:"expires_at" doc:"the grant's end, when the session ends too"`
	}
}

func (s *Service) handleSupportSession(ctx context.Context, in *supportSessionInput) (*supportSessionOutput, error) {
	token, expires, err := s.OpenSupportSession(ctx, in.ID, in.GrantID)
	if err != nil {
		return nil, err
	}
	out := &supportSessionOutput{}
	out.Body.Token, out.Body.ExpiresAt = token, expires
	return out, nil
}
