package admin

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humafiber"
	"github.com/gofiber/fiber/v2"
)

// Prefix is where the operator API lives. It is outside /api, so the tenant authentication and
// request transaction of platform/web never run for it.
const Prefix = "/admin/api/v1"

var tags = []string{"operator"}

// NewAPI makes the operator's own huma API on app: its own OpenAPI document
// (/admin/api/openapi.json, so the tenants' document does not describe the console) and its
// own bearer scheme. Register the console's operations on it.
func NewAPI(app *fiber.App, version string) huma.API {
	cfg := huma.DefaultConfig("repflow operator API", version)
	cfg.OpenAPIPath = "/admin/api/openapi"
	cfg.DocsPath = "/admin/api/docs"
	cfg.SchemasPath = "/admin/api/schemas"
	cfg.Info.Description = "The SaaS operator's console: tenants, usage, suspension, support access and connector health. Operators only."
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"operator": {Type: "http", Scheme: "bearer", Description: "An operator session token (rfo_...) from POST " + Prefix + "/login."},
	}
	cfg.Security = []map[string][]string{{"operator": {}}}
	return humafiber.New(app, cfg)
}

// Register adds the console's operations to api (the one NewAPI makes). Every operation but
// login checks the operator session itself, so none is ever open, whichever API it is on.
func (s *Service) Register(api huma.API) {
	guard := huma.Middlewares{s.requireOperator(api)}
	op := func(id, method, path, summary string, status int) huma.Operation {
		return huma.Operation{OperationID: "admin-" + id, Method: method, Path: Prefix + path, Summary: summary,
			Tags: tags, DefaultStatus: status, Middlewares: guard}
	}
	login := op("login", http.MethodPost, "/login", "Sign in with e-mail, password and authenticator code", 0)
	login.Middlewares, login.Security = nil, []map[string][]string{}
	login.Description = "Returns a bearer token for " + SessionLifetime.String() + ". Each authenticator code works once."
	huma.Register(api, login, s.handleLogin)
	huma.Register(api, op("logout", http.MethodPost, "/logout", "End the current operator session", http.StatusNoContent), s.handleLogout)
	huma.Register(api, op("list-tenants", http.MethodGet, "/tenants", "Search tenants, newest first, one page at a time", 0), s.handleListTenants)
	huma.Register(api, op("get-tenant", http.MethodGet, "/tenants/{id}", "One tenant with its billing state and usage", 0), s.handleGetTenant)
	huma.Register(api, op("suspend-tenant", http.MethodPost, "/tenants/{id}/suspend", "Suspend an active tenant", 0), s.handleSuspend)
	huma.Register(api, op("resume-tenant", http.MethodPost, "/tenants/{id}/resume", "Put a suspended tenant back in service", 0), s.handleResume)
	huma.Register(api, op("cancel-tenant-deletion", http.MethodPost, "/tenants/{id}/deletion/cancel",
		"Keep a tenant its admin asked to delete, before the purge: back in service, nothing lost", 0), s.handleCancelDeletion)
	huma.Register(api, op("grant-support", http.MethodPost, "/tenants/{id}/support-access",
		"Open read-only, time-limited support access to a tenant; the tenant sees it", http.StatusCreated), s.handleGrant)
	huma.Register(api, op("list-support-grants", http.MethodGet, "/tenants/{id}/support-access", "A tenant's support grants, newest first", 0), s.handleListGrants)
	huma.Register(api, op("open-support-session", http.MethodPost, "/tenants/{id}/support-access/{grant_id}/session",
		"Open a read-only session into the tenant with one's own active grant: a bearer token for the tenant API until the grant ends", http.StatusCreated), s.handleSupportSession)
	huma.Register(api, op("revoke-support-grant", http.MethodDelete, "/tenants/{id}/support-access/{grant_id}",
		"End a support grant now", http.StatusNoContent), s.handleRevokeGrant)
	huma.Register(api, op("connectors-health", http.MethodGet, "/connectors",
		"Every tenant's connectors with their health, counted by state: crashed and failing first", 0), s.handleConnectorsHealth)
}

// requireOperator authenticates the bearer token and puts its operator in the context.
func (s *Service) requireOperator(api huma.API) func(huma.Context, func(huma.Context)) {
	return func(hctx huma.Context, next func(huma.Context)) {
		scheme, token, _ := strings.Cut(hctx.Header("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			_ = huma.WriteErr(api, hctx, http.StatusUnauthorized, "", errSignIn)
			return
		}
		ctx, err := s.Authenticate(hctx.Context(), strings.TrimSpace(token))
		if err != nil {
			_ = huma.WriteErr(api, hctx, http.StatusInternalServerError, "", err)
			return
		}
		next(huma.WithContext(hctx, ctx))
	}
}

type operatorDTO struct {
	ID    string `json:"id" format:"uuid"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

type loginInput struct {
	Body struct {
		Email    string `json:"email" minLength:"3" maxLength:"254"`
		Password string `json:"password" minLength:"1" maxLength:"1024"`
		Code     string `json:"code" pattern:"^[0-9]{6}$" doc:"the current six-digit code of the authenticator app"`
	}
}

type loginOutput struct {
	Body struct {
		Token     string      `json:"token" doc:"send as Authorization: Bearer <token>"`
		ExpiresAt time.Time   `json:"expires_at"`
		Operator  operatorDTO `json:"operator"`
	}
}

func (s *Service) handleLogin(ctx context.Context, in *loginInput) (*loginOutput, error) {
	sess, err := s.Login(ctx, in.Body.Email, in.Body.Password, in.Body.Code)
	if err != nil {
		return nil, err
	}
	out := &loginOutput{}
	out.Body.Token, out.Body.ExpiresAt = sess.Token, sess.ExpiresAt
	out.Body.Operator = operatorDTO{ID: sess.Operator.ID.String(), Email: sess.Operator.Email, Name: sess.Operator.Name}
	return out, nil
}

func (s *Service) handleLogout(ctx context.Context, _ *struct{}) (*struct{}, error) {
	return nil, s.Logout(ctx)
}
