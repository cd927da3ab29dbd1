package billing

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web"
)

// HTTP is billing's API: the caller's standing, Checkout and portal links and seat changes for
// tenant admins, and Stripe's webhook.
type HTTP struct{ svc *Service }

// NewHTTP returns the API over svc.
func NewHTTP(svc *Service) *HTTP { return &HTTP{svc: svc} }

var billingTags = []string{"Billing"}

// WebhookPath is where Stripe's webhook endpoint must point.
const WebhookPath = "/api/v1/billing/webhook"

// Register adds the operations to api.
func (h *HTTP) Register(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "get-billing", Method: http.MethodGet, Path: "/api/v1/billing",
		Summary: "The workspace's billing standing: whether it may write, and its subscription", Tags: billingTags}, h.standing)
	huma.Register(api, huma.Operation{OperationID: "start-checkout", Method: http.MethodPost, Path: "/api/v1/billing/checkout",
		Summary: "Start a per-seat subscription: answers the Stripe Checkout page to send the tenant admin to", Tags: billingTags}, h.checkout)
	huma.Register(api, huma.Operation{OperationID: "open-billing-portal", Method: http.MethodPost, Path: "/api/v1/billing/portal",
		Summary: "Open Stripe's customer portal (cards, invoices, cancellation) for the tenant admin", Tags: billingTags}, h.portal)
	huma.Register(api, huma.Operation{OperationID: "set-billing-seats", Method: http.MethodPut, Path: "/api/v1/billing/seats",
		Summary: "Change the subscription's seats; Stripe prorates the difference onto the next invoice", Tags: billingTags}, h.setSeats)
	huma.Register(api, web.Public(huma.Operation{OperationID: "stripe-webhook", Method: http.MethodPost, Path: WebhookPath,
		Summary: "Stripe's webhook: subscription, invoice and checkout events, verified by their signature", Tags: billingTags,
		MaxBodyBytes: 1 << 20, SkipValidateBody: true}), h.webhook)
}

// StandingDTO is a workspace's billing standing.
type StandingDTO struct {
	State            State      `json:"state" enum:"off,none,active,past_due,read_only" doc:"off: billing is not configured; none: no subscription yet; read_only: writes are refused until the bill is settled"`
	Writable         bool       `json:"writable"`
	Subscription     string     `json:"subscription,omitempty" doc:"Stripe's status of the subscription: active, past_due, canceled, ..."`
	Seats            int        `json:"seats"`
	CurrentPeriodEnd *time.Time `json:"current_period_end,omitempty"`
	GraceUntil       *time.Time `json:"grace_until,omitempty" doc:"when a workspace with an overdue payment turns read-only"`
}

// StandingDTOOf is st as the API writes it.
func StandingDTOOf(st Standing) StandingDTO {
	return StandingDTO{State: st.State, Writable: st.Writable(), Subscription: st.Subscription, Seats: st.Seats,
		CurrentPeriodEnd: st.CurrentPeriodEnd, GraceUntil: st.GraceUntil}
}

type standingOutput struct{ Body StandingDTO }

func (h *HTTP) standing(ctx context.Context, _ *struct{}) (*standingOutput, error) {
	p, err := identity.SignedIn(ctx, "see the billing standing")
	if err != nil {
		return nil, err
	}
	st, err := h.svc.Standing(ctx, p.TenantID)
	if err != nil {
		return nil, err
	}
	return &standingOutput{Body: StandingDTOOf(st)}, nil
}

// RedirectDTO is a Stripe page to send the browser to.
type RedirectDTO struct {
	URL string `json:"url" doc:"Stripe's page; valid for a short while"`
}

type redirectOutput struct{ Body RedirectDTO }

type checkoutInput struct {
	Body struct {
		Seats int `json:"seats" minimum:"1" maximum:"100000" doc:"seats to pay for: usually the workspace's active users"`
	}
}

func (h *HTTP) checkout(ctx context.Context, in *checkoutInput) (*redirectOutput, error) {
	url, err := h.svc.Checkout(ctx, in.Body.Seats)
	if err != nil {
		return nil, err
	}
	return &redirectOutput{Body: RedirectDTO{URL: url}}, nil
}

func (h *HTTP) portal(ctx context.Context, _ *struct{}) (*redirectOutput, error) {
	url, err := h.svc.Portal(ctx)
	if err != nil {
		return nil, err
	}
	return &redirectOutput{Body: RedirectDTO{URL: url}}, nil
}

type seatsInput struct {
	Body struct {
		Seats int `json:"seats" minimum:"1" maximum:"100000"`
	}
}

func (h *HTTP) setSeats(ctx context.Context, in *seatsInput) (*standingOutput, error) {
	st, err := h.svc.SetSeats(ctx, in.Body.Seats)
	if err != nil {
		return nil, err
	}
	return &standingOutput{Body: StandingDTOOf(st)}, nil
}

type webhookInput struct {
	Signature string `header:"Stripe-Signature"`
	// The signature covers the exact bytes Stripe sent, so the body is read raw, and nothing
	// interprets it (huma's validation included) before the signature is checked.
	RawBody []byte `contentType:"application/json"`
}

type webhookOutput struct {
	Body struct {
		Received bool `json:"received"`
	}
}

func (h *HTTP) webhook(ctx context.Context, in *webhookInput) (*webhookOutput, error) {
	if err := h.svc.HandleWebhook(ctx, in.RawBody, in.Signature); err != nil {
		return nil, err
	}
	out := &webhookOutput{}
	out.Body.Received = true
	return out, nil
}
