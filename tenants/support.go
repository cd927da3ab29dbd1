package tenants

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/web"
)

// The tenant's side of support access: its admins see every grant the operator made (who, why,
// until when) and may end one at once. The operator console makes grants; a tenant can only
// read them and revoke them (the database grants the tenant nothing more on support_grants).

type supportGrantRow struct {
	TenantID      uuid.UUID
	ID            uuid.UUID
	OperatorEmail string
	Reason        string
	StartsAt      time.Time
	ExpiresAt     time.Time
	RevokedAt     *time.Time
}

func (supportGrantRow) TableName() string { return "support_grants" }

// SupportGrants shows and ends support access for a tenant's admins.
type SupportGrants struct {
	store *store.Store
	now   func() time.Time
}

// NewSupportGrants returns the tenant side of support access.
func NewSupportGrants(s *store.Store) *SupportGrants { return &SupportGrants{store: s, now: time.Now} }

func tenantAdmin(ctx context.Context, what string) error {
	me, err := identity.SignedIn(ctx, what)
	if err != nil {
		return err
	}
	if !me.HasRole(identity.RoleTenantAdmin) {
		return fault.New(fault.Forbidden, "forbidden", "support access is the tenant admins' to see and end")
	}
	return nil
}

// Register adds the operations.
func (g *SupportGrants) Register(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "list-support-grants", Method: http.MethodGet, Path: "/api/v1/support-grants",
		Tags: []string{"Support access"}, Summary: "Every support access the operator opened to the company: who, why, until when"}, g.list)
	huma.Register(api, huma.Operation{OperationID: "revoke-support-grant", Method: http.MethodDelete, Path: "/api/v1/support-grants/{id}",
		Tags: []string{"Support access"}, Summary: "End a support access now: its session stops at once", DefaultStatus: http.StatusNoContent}, g.revoke)
}

// SupportGrantDTO is one support access.
type SupportGrantDTO struct {
	ID            uuid.UUID  `json:"id"`
	OperatorEmail string     `json:"operator_email"`
	Reason        string     `json:"reason"`
	StartsAt      time.Time  `json:"starts_at"`
	ExpiresAt     time.Time  `json:"expires_at"`
	RevokedAt     *time.Time `json:"revoked_at,omitempty"`
	Active        bool       `json:"active"`
}

// SupportGrantListDTO lists support accesses, newest first.
type SupportGrantListDTO struct {
	Grants []SupportGrantDTO `json:"grants"`
}

func (g *SupportGrants) list(ctx context.Context, _ *struct{}) (*struct{ Body SupportGrantListDTO }, error) {
	if err := tenantAdmin(ctx, "see support access"); err != nil {
		return nil, err
	}
	var rows []supportGrantRow
	err := g.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		return db.Order("starts_at DESC").Limit(200).Find(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("list support grants: %w", err)
	}
	now := g.now()
	out := SupportGrantListDTO{Grants: make([]SupportGrantDTO, len(rows))}
	for i, r := range rows {
		out.Grants[i] = SupportGrantDTO{ID: r.ID, OperatorEmail: r.OperatorEmail, Reason: r.Reason, StartsAt: r.StartsAt, ExpiresAt: r.ExpiresAt,
			RevokedAt: r.RevokedAt, Active: r.RevokedAt == nil && !now.Before(r.StartsAt) && now.Before(r.ExpiresAt)}
	}
	return &struct{ Body SupportGrantListDTO }{Body: out}, nil
}

type supportGrantPath struct {
	ID string `path:"id" format:"uuid"`
}

func (g *SupportGrants) revoke(ctx context.Context, in *supportGrantPath) (*struct{}, error) {
	if err := tenantAdmin(ctx, "end support access"); err != nil {
		return nil, err
	}
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	err = g.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var n int64
		if err := db.Model(&supportGrantRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return fault.NotFoundf("support grant")
		}
		return db.Model(&supportGrantRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", g.now().UTC()).Error
	})
	if err != nil {
		return nil, fmt.Errorf("revoke support grant: %w", err)
	}
	return nil, nil
}
