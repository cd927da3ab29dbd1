package tenants

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
	"github.com/repflow/repflow/tenants/billing"
)

var tags = []string{"Sign-up"}

// HTTP is sign-up's API, and the plan's.
type HTTP struct {
	onboarding *Onboarding
	plans      *Plans
}

// NewHTTP returns the API over o and p.
func NewHTTP(o *Onboarding, p *Plans) *HTTP { return &HTTP{onboarding: o, plans: p} }

// Register adds the sign-up operations.
func (h *HTTP) Register(api huma.API) {
	huma.Register(api, web.Public(huma.Operation{OperationID: "signup", Method: http.MethodPost, Path: "/api/v1/signup", Tags: tags,
		Summary: "Open a company's account: its tenant is made from the industry template, and its admin is mailed a link to confirm their address",
		Description: "Nobody signs in until the link is opened (POST /api/v1/signup/verify). Signing up again with the same company, " +
			"industry and e-mail before that answers the same tenant and mails a fresh link.",
		DefaultStatus: http.StatusAccepted}), h.signUp)
	huma.Register(api, web.Public(huma.Operation{OperationID: "signup-verify", Method: http.MethodPost, Path: "/api/v1/signup/verify", Tags: tags,
		Summary: "Confirm the admin's e-mail address with the link's token: the company's account opens"}), h.verify)
	huma.Register(api, huma.Operation{OperationID: "get-plan", Method: http.MethodGet, Path: "/api/v1/plan", Tags: []string{"Billing"},
		Summary:     "The company's plan and what it uses of it: seats allowed and active, file storage allowed and used, the trial's end, the billing standing",
		Description: "For tenant admins and HQ. A self-hosted server (no billing) limits nothing."}, h.plan)
	huma.Register(api, huma.Operation{OperationID: "remove-sample-data", Method: http.MethodDelete, Path: "/api/v1/sample-data", Tags: tags,
		Summary: "Remove all the sample records the company started with",
		Description: "Tenant admins only. Removes the sample customers, visits, opportunities, orders and products, and disables the sample " +
			"people; records of the company's own are never touched, and a sample record one of them refers to is kept (counted in kept)."}, h.removeSample)
}

// SignupDTO is a company signing up.
type SignupDTO struct {
	Company       string `json:"company" maxLength:"200" doc:"the company's name, as its people know it"`
	Slug          string `json:"slug,omitempty" maxLength:"40" doc:"its short name in addresses; made from the company's name when omitted"`
	Industry      string `json:"industry" enum:"fmcg,industrial" doc:"the template the tenant starts from: its pipeline and KPI template"`
	TimeZone      string `json:"time_zone" maxLength:"64" example:"Asia/Shanghai" doc:"IANA time zone: days and months begin there"`
	Currency      string `json:"currency" maxLength:"3" example:"CNY"`
	AdminName     string `json:"admin_name" maxLength:"200"`
	AdminEmail    string `json:"admin_email" maxLength:"254" format:"email"`
	AdminPassword string `json:"admin_password" maxLength:"256" doc:"at least 12 characters"`
	SampleData    bool   `json:"sample_data,omitempty" doc:"start with a few sample customers, visits, opportunities and orders, marked as samples; a tenant admin removes them all with DELETE /api/v1/sample-data"`
}

// SignedUpDTO is the tenant a sign-up made.
type SignedUpDTO struct {
	TenantID   uuid.UUID `json:"tenant_id"`
	Slug       string    `json:"slug"`
	Company    string    `json:"company"`
	AdminEmail string    `json:"admin_email"`
	Status     string    `json:"status" enum:"unverified,active"`
}

type signupInput struct{ Body SignupDTO }

func (h *HTTP) signUp(ctx context.Context, in *signupInput) (*struct{ Body SignedUpDTO }, error) {
	b := in.Body
	p, err := h.onboarding.SignUp(ctx, Signup{Company: b.Company, Slug: b.Slug, Industry: b.Industry, TimeZone: b.TimeZone, Currency: b.Currency,
		AdminName: b.AdminName, AdminEmail: b.AdminEmail, AdminPassword: b.AdminPassword, SampleData: b.SampleData})
	if err != nil {
		return nil, err
	}
	return &struct{ Body SignedUpDTO }{Body: signedUp(p)}, nil
}

func signedUp(p Provisioned) SignedUpDTO {
	return SignedUpDTO{TenantID: p.TenantID, Slug: p.Slug, Company: p.Name, AdminEmail: p.AdminEmail, Status: p.Status}
}

// VerifyDTO carries a verification link's token.
type VerifyDTO struct {
	Token string `json:"token" maxLength:"100"`
}

type verifyInput struct{ Body VerifyDTO }

func (h *HTTP) verify(ctx context.Context, in *verifyInput) (*struct{ Body SignedUpDTO }, error) {
	p, err := h.onboarding.Verify(ctx, in.Body.Token)
	if err != nil {
		return nil, err
	}
	return &struct{ Body SignedUpDTO }{Body: signedUp(p)}, nil
}

// PlanDTO is a company's plan and its use of it.
type PlanDTO struct {
	Plan         Plan `json:"plan" enum:"self_hosted,trial,subscription"`
	SeatsAllowed int  `json:"seats_allowed" doc:"people who may be active at once; 0: no limit"`
	ActiveSeats  int  `json:"active_seats"`
	// Storage counts the files kept (visit photos, attachments) once each, however many records share one.
	StorageAllowed    int64               `json:"storage_allowed_bytes" doc:"bytes of files the plan allows; 0: no limit"`
	StorageUsed       int64               `json:"storage_used_bytes" doc:"bytes of files kept, each file counted once"`
	ConnectorsAllowed int                 `json:"connectors_allowed" doc:"connectors to CRM and ERP systems the plan allows; 0: no limit"`
	ConnectorsUsed    int                 `json:"connectors_used"`
	TrialEndsAt       *time.Time          `json:"trial_ends_at,omitempty"`
	Billing           billing.StandingDTO `json:"billing"`
}

func (h *HTTP) plan(ctx context.Context, _ *struct{}) (*struct{ Body PlanDTO }, error) {
	u, err := h.plans.Usage(ctx)
	if err != nil {
		return nil, err
	}
	return &struct{ Body PlanDTO }{Body: PlanDTO{Plan: u.Plan, SeatsAllowed: u.Seats, ActiveSeats: u.ActiveSeats, TrialEndsAt: u.TrialEndsAt,
		StorageAllowed: u.Storage, StorageUsed: u.StorageUsed, ConnectorsAllowed: u.Connectors, ConnectorsUsed: u.ConnectorsUsed,
		Billing: billing.StandingDTOOf(u.Billing)}}, nil
}

// SampleRemovalDTO counts what a removal of the sample data took away, and kept, per kind.
type SampleRemovalDTO struct {
	Removed map[string]int `json:"removed" doc:"per kind: users (disabled), customers, visits, opportunities, orders, products"`
	Kept    map[string]int `json:"kept" doc:"sample records kept because records of the company's own refer to them"`
}

func (h *HTTP) removeSample(ctx context.Context, _ *struct{}) (*struct{ Body SampleRemovalDTO }, error) {
	r, err := h.onboarding.prov.RemoveSample(ctx)
	if err != nil {
		return nil, err
	}
	return &struct{ Body SampleRemovalDTO }{Body: SampleRemovalDTO(r)}, nil
}
