package auth

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

const (
	pathLogin        = "/api/v1/auth/login"
	pathReset        = "/api/v1/auth/password-reset"
	pathResetConfirm = "/api/v1/auth/password-reset/confirm"
)

// signInPaths are the public routes Authenticate leaves alone (lower case, no trailing slash).
var signInPaths = map[string]bool{pathLogin: true, pathReset: true, pathResetConfirm: true}

var tags = []string{"auth"}

// Register adds the authentication operations to api.
func (s *Service) Register(api huma.API) {
	huma.Register(api, web.Public(huma.Operation{
		OperationID: "auth-login", Method: http.MethodPost, Path: pathLogin, Tags: tags,
		Summary:     "Sign in with e-mail and password",
		Description: `client "web" sets the session cookie and returns the CSRF token for unsafe requests; client "mobile" returns a bearer token.`,
	}), s.handleLogin)
	huma.Register(api, huma.Operation{
		OperationID: "auth-logout", Method: http.MethodPost, Path: "/api/v1/auth/logout", Tags: tags,
		Summary: "End the current session or token", DefaultStatus: http.StatusNoContent,
	}, s.handleLogout)
	huma.Register(api, huma.Operation{
		OperationID: "auth-logout-all", Method: http.MethodPost, Path: "/api/v1/auth/logout-all", Tags: tags,
		Summary: "End every session and token of the caller", DefaultStatus: http.StatusNoContent,
	}, s.handleLogoutAll)
	huma.Register(api, huma.Operation{
		OperationID: "auth-list-tokens", Method: http.MethodGet, Path: "/api/v1/auth/tokens", Tags: tags,
		Summary: "List the caller's web sessions and tokens (never their secrets)",
	}, s.handleListTokens)
	huma.Register(api, huma.Operation{
		OperationID: "auth-create-token", Method: http.MethodPost, Path: "/api/v1/auth/tokens", Tags: tags,
		Summary: "Create a bearer token; its secret is shown this once", DefaultStatus: http.StatusCreated,
	}, s.handleCreateToken)
	huma.Register(api, huma.Operation{
		OperationID: "auth-revoke-token", Method: http.MethodDelete, Path: "/api/v1/auth/tokens/{id}", Tags: tags,
		Summary: "Revoke one of the caller's sessions or tokens", DefaultStatus: http.StatusNoContent,
	}, s.handleRevoke)
	huma.Register(api, huma.Operation{
		OperationID: "auth-change-password", Method: http.MethodPost, Path: "/api/v1/auth/password", Tags: tags,
		Summary: "Change one's own password; ends every other session and token", DefaultStatus: http.StatusNoContent,
	}, s.handleChangePassword)
	huma.Register(api, web.Public(huma.Operation{
		OperationID: "auth-request-password-reset", Method: http.MethodPost, Path: pathReset, Tags: tags,
		Summary: "Mail a password reset link", DefaultStatus: http.StatusAccepted,
		Description: "The answer is the same whether or not the address has an account.",
	}), s.handleRequestReset)
	huma.Register(api, web.Public(huma.Operation{
		OperationID: "auth-confirm-password-reset", Method: http.MethodPost, Path: pathResetConfirm, Tags: tags,
		Summary: "Set a new password with a reset link's token; ends every session and token", DefaultStatus: http.StatusNoContent,
	}), s.handleConfirmReset)
}

type loginInput struct {
	Body struct {
		Email    string `json:"email" minLength:"1" maxLength:"254" example:"ana@example.com"`
		Password string `json:"password" minLength:"1" maxLength:"1024"`
		Client   Client `json:"client" enum:"web,mobile" doc:"web: a cookie session; mobile: a bearer token"`
	}
	tls bool
}

// Resolve notes whether the request came over TLS, which decides the cookie's Secure flag.
func (in *loginInput) Resolve(ctx huma.Context) []error {
	in.tls = ctx.TLS() != nil
	return nil
}

type loginOutput struct {
	SetCookie string `header:"Set-Cookie"`
	Body      struct {
		UserID    uuid.UUID  `json:"user_id" format:"uuid"`
		TenantID  uuid.UUID  `json:"tenant_id" format:"uuid"`
		CSRFToken string     `json:"csrf_token,omitempty" doc:"web: send it in the X-CSRF-Token header of every unsafe request"`
		Token     string     `json:"token,omitempty" doc:"mobile: the bearer token"`
		ExpiresAt *time.Time `json:"expires_at,omitempty" doc:"when the session or token ends at the latest"`
	}
}

func (s *Service) handleLogin(ctx context.Context, in *loginInput) (*loginOutput, error) {
	iss, err := s.Login(ctx, in.Body.Email, in.Body.Password, in.Body.Client)
	if err != nil {
		return nil, err
	}
	out := &loginOutput{}
	out.Body.UserID, out.Body.TenantID, out.Body.ExpiresAt = iss.UserID, iss.TenantID, iss.ExpiresAt
	if iss.Kind == KindWeb {
		out.SetCookie = s.sessionCookie(iss.Secret, *iss.ExpiresAt, in.tls).String()
		out.Body.CSRFToken = iss.CSRFToken
	} else {
		out.Body.Token = iss.Secret
	}
	return out, nil
}

// clearCookie answers logouts: the browser drops its session cookie (bearer callers ignore it).
type clearCookie struct {
	SetCookie string `header:"Set-Cookie"`
}

type tlsInput struct{ tls bool }

func (in *tlsInput) Resolve(ctx huma.Context) []error {
	in.tls = ctx.TLS() != nil
	return nil
}

func (s *Service) handleLogout(ctx context.Context, in *tlsInput) (*clearCookie, error) {
	if err := s.Logout(ctx); err != nil {
		return nil, err
	}
	return &clearCookie{SetCookie: s.sessionCookie("", time.Unix(0, 0), in.tls).String()}, nil
}

func (s *Service) handleLogoutAll(ctx context.Context, in *tlsInput) (*clearCookie, error) {
	if err := s.LogoutAll(ctx); err != nil {
		return nil, err
	}
	return &clearCookie{SetCookie: s.sessionCookie("", time.Unix(0, 0), in.tls).String()}, nil
}

// tokenInfo is a session or token as listed: never its secret.
type tokenInfo struct {
	ID         uuid.UUID  `json:"id" format:"uuid"`
	Kind       string     `json:"kind" enum:"web,token"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt time.Time  `json:"last_used_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	IP         string     `json:"ip" doc:"where it was created"`
	UserAgent  string     `json:"user_agent"`
	Current    bool       `json:"current" doc:"the session or token of this request"`
}

func toTokenInfo(x Session) tokenInfo {
	return tokenInfo{ID: x.ID, Kind: x.Kind, Name: x.Name, CreatedAt: x.CreatedAt, LastUsedAt: x.LastUsedAt,
		ExpiresAt: x.ExpiresAt, IP: x.IP, UserAgent: x.UserAgent, Current: x.Current}
}

type listTokensOutput struct {
	Body struct {
		Tokens []tokenInfo `json:"tokens"`
	}
}

func (s *Service) handleListTokens(ctx context.Context, _ *struct{}) (*listTokensOutput, error) {
	list, err := s.Sessions(ctx)
	if err != nil {
		return nil, err
	}
	out := &listTokensOutput{}
	out.Body.Tokens = make([]tokenInfo, 0, len(list))
	for _, x := range list {
		out.Body.Tokens = append(out.Body.Tokens, toTokenInfo(x))
	}
	return out, nil
}

type createTokenInput struct {
	Body struct {
		Name          string `json:"name" minLength:"1" maxLength:"100" doc:"what the token is for, e.g. \"ERP sync\""`
		ExpiresInDays int    `json:"expires_in_days,omitempty" minimum:"1" maximum:"3650" doc:"omit for a token that does not expire"`
	}
}

type createTokenOutput struct {
	Body struct {
		ID        uuid.UUID  `json:"id" format:"uuid"`
		Name      string     `json:"name"`
		Token     string     `json:"token" doc:"the bearer token: shown only now, store it safely"`
		ExpiresAt *time.Time `json:"expires_at,omitempty"`
	}
}

func (s *Service) handleCreateToken(ctx context.Context, in *createTokenInput) (*createTokenOutput, error) {
	iss, err := s.CreateToken(ctx, in.Body.Name, time.Duration(in.Body.ExpiresInDays)*24*time.Hour)
	if err != nil {
		return nil, err
	}
	out := &createTokenOutput{}
	out.Body.ID, out.Body.Name, out.Body.Token, out.Body.ExpiresAt = iss.ID, iss.Name, iss.Secret, iss.ExpiresAt
	return out, nil
}

type revokeInput struct {
	ID uuid.UUID `path:"id" format:"uuid"`
}

func (s *Service) handleRevoke(ctx context.Context, in *revokeInput) (*struct{}, error) {
	return nil, s.Revoke(ctx, in.ID)
}

type changePasswordInput struct {
	Body struct {
		CurrentPassword string `json:"current_password" minLength:"1" maxLength:"1024"`
		NewPassword     string `json:"new_password" minLength:"1" maxLength:"1024"`
	}
}

func (s *Service) handleChangePassword(ctx context.Context, in *changePasswordInput) (*struct{}, error) {
	return nil, s.ChangePassword(ctx, in.Body.CurrentPassword, in.Body.NewPassword)
}

type requestResetInput struct {
	Body struct {
		Email string `json:"email" minLength:"1" maxLength:"254"`
	}
}

type requestResetOutput struct {
	Body struct {
		Message string `json:"message"`
	}
}

func (s *Service) handleRequestReset(ctx context.Context, in *requestResetInput) (*requestResetOutput, error) {
	if err := s.RequestReset(ctx, in.Body.Email); err != nil {
		return nil, err
	}
	out := &requestResetOutput{}
	out.Body.Message = "if the address belongs to an account, a reset link is on its way"
	return out, nil
}

type confirmResetInput struct {
	Body struct {
		Token    string `json:"token" minLength:"1" maxLength:"200" doc:"the token from the reset link"`
		Password string `json:"password" minLength:"1" maxLength:"1024"`
	}
}

func (s *Service) handleConfirmReset(ctx context.Context, in *confirmResetInput) (*struct{}, error) {
	return nil, s.ConfirmReset(ctx, in.Body.Token, in.Body.Password)
}
