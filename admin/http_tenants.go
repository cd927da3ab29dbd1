package admin

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

// TenantDTO is a tenant as the console lists it. Exported: huma describes and fills an embedded
// struct (tenantDetailDTO's) only when its type is exported.
type TenantDTO struct {
	ID        uuid.UUID `json:"id" format:"uuid"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	Industry  string    `json:"industry"`
	TimeZone  string    `json:"time_zone"`
	Currency  string    `json:"currency"`
	Status    string    `json:"status" doc:"active or suspended (billing may add its own)"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func toTenantDTO(t Tenant) TenantDTO {
	return TenantDTO{ID: t.ID, Slug: t.Slug, Name: t.Name, Industry: t.Industry, TimeZone: t.TimeZone,
		Currency: t.Currency, Status: t.Status, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
}

type usageDTO struct {
	ActiveUsers    int64            `json:"active_users"`
	Seats          map[string]int64 `json:"seats" doc:"active users by role; a user with two roles counts in both"`
	Customers      int64            `json:"customers"`
	Visits         int64            `json:"visits"`
	Orders         int64            `json:"orders"`
	Activities     int64            `json:"activities"`
	APICallsToday  int64            `json:"api_calls_today" doc:"authenticated API requests today (UTC)"`
	APICalls30Days int64            `json:"api_calls_30_days" doc:"authenticated API requests over the last 30 days, today included"`
	Connectors     map[string]int64 `json:"connectors" doc:"the tenant's connectors by health state: unknown, healthy, failing, crashed, disabled"`
	StorageBytes   int64            `json:"storage_bytes" doc:"stored files (visit photos), each distinct file once"`
	LastActivity   *time.Time       `json:"last_activity" doc:"the newest audit record of the tenant; null when none"`
}

type tenantDetailDTO struct {
	TenantDTO
	Billing map[string]any `json:"billing" doc:"the tenant's billing row (plan, status, seats, ...); null when there is none"`
	Usage   usageDTO       `json:"usage"`
}

type listTenantsInput struct {
	Q        string `query:"q" maxLength:"100" doc:"contained in the name or slug, case-insensitive"`
	Status   string `query:"status" maxLength:"40" example:"suspended"`
	Industry string `query:"industry" maxLength:"40" example:"fmcg"`
	Limit    int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor   string `query:"cursor" format:"uuid" doc:"next_cursor of the previous page"`
}

type listTenantsOutput struct {
	Body struct {
		Tenants    []TenantDTO `json:"tenants"`
		Total      int64       `json:"total" doc:"tenants matching the filter, on all pages"`
		NextCursor *uuid.UUID  `json:"next_cursor" doc:"pass as cursor for the next page; null on the last page"`
	}
}

func (s *Service) handleListTenants(ctx context.Context, in *listTenantsInput) (*listTenantsOutput, error) {
	f := TenantFilter{Query: in.Q, Status: in.Status, Industry: in.Industry, Limit: in.Limit}
	if in.Cursor != "" {
		id, err := web.ParseID(in.Cursor, "query.cursor")
		if err != nil {
			return nil, err
		}
		f.Before = &id
	}
	page, err := s.SearchTenants(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &listTenantsOutput{}
	out.Body.Total, out.Body.NextCursor = page.Total, page.Next
	out.Body.Tenants = make([]TenantDTO, 0, len(page.Tenants))
	for _, t := range page.Tenants {
		out.Body.Tenants = append(out.Body.Tenants, toTenantDTO(t))
	}
	return out, nil
}

type tenantInput struct {
	ID uuid.UUID `path:"id" format:"uuid"`
}

type tenantDetailOutput struct{ Body tenantDetailDTO }

func (s *Service) handleGetTenant(ctx context.Context, in *tenantInput) (*tenantDetailOutput, error) {
	d, err := s.Tenant(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	u := d.Usage
	return &tenantDetailOutput{Body: tenantDetailDTO{TenantDTO: toTenantDTO(d.Tenant), Billing: d.Billing,
		Usage: usageDTO{ActiveUsers: u.ActiveUsers, Seats: u.Seats, Customers: u.Customers, Visits: u.Visits,
			Orders: u.Orders, Activities: u.Activities, APICallsToday: u.APICallsToday, APICalls30Days: u.APICalls30Days, Connectors: u.Connectors, StorageBytes: u.StorageBytes, LastActivity: u.LastActivity}}}, nil
}

type statusInput struct {
	ID   uuid.UUID `path:"id" format:"uuid"`
	Body struct {
		Reason string `json:"reason" maxLength:"2000" doc:"why, for the audit: 10 to 500 characters (checked by the service, so a refusal is audited too)"`
	}
}

type tenantOutput struct{ Body TenantDTO }

func (s *Service) handleSuspend(ctx context.Context, in *statusInput) (*tenantOutput, error) {
	t, err := s.Suspend(ctx, in.ID, in.Body.Reason)
	if err != nil {
		return nil, err
	}
	return &tenantOutput{Body: toTenantDTO(t)}, nil
}

func (s *Service) handleResume(ctx context.Context, in *statusInput) (*tenantOutput, error) {
	t, err := s.Resume(ctx, in.ID, in.Body.Reason)
	if err != nil {
		return nil, err
	}
	return &tenantOutput{Body: toTenantDTO(t)}, nil
}

func (s *Service) handleCancelDeletion(ctx context.Context, in *statusInput) (*tenantOutput, error) {
	t, err := s.CancelDeletion(ctx, in.ID, in.Body.Reason)
	if err != nil {
		return nil, err
	}
	return &tenantOutput{Body: toTenantDTO(t)}, nil
}
