package access

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
)

// PolicyBody is what a tenant admin writes.
type PolicyBody struct {
	Description string   `json:"description" maxLength:"500" doc:"What the policy is for"`
	Subjects    []string `json:"subjects" minItems:"1" doc:"role:<role> or user:<id>" example:"role:data_specialist"`
	Actions     []Action `json:"actions" minItems:"1" enum:"read,list,create,update,delete,export"`
	Kinds       []Kind   `json:"kinds" minItems:"1" example:"user" doc:"Resource kinds, e.g. user, region, team, customer, order"`
	Scope       Scope    `json:"scope" enum:"tenant,region,own" doc:"tenant: every row; region: the subject's region subtree; own: the subject's own rows"`
	Effect      Effect   `json:"effect" enum:"allow,deny" doc:"A matching deny beats any allow"`
	Disabled    bool     `json:"disabled,omitempty"`
}

func (b PolicyBody) policy(id uuid.UUID) Policy {
	return Policy{ID: id, Description: b.Description, Subjects: b.Subjects, Actions: b.Actions,
		Kinds: b.Kinds, Scope: b.Scope, Effect: b.Effect, Disabled: b.Disabled}
}

type policyOut struct{ Body Policy }

type policyIDIn struct {
	ID uuid.UUID `path:"id" doc:"Policy id"`
}

// Register adds the policy operations.
func (w *Warden) Register(api huma.API) {
	tags := []string{"Access"}
	huma.Register(api, huma.Operation{OperationID: "list-policies", Method: http.MethodGet, Path: "/api/v1/policies",
		Summary: "List the tenant's access policies", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*struct{ Body []Policy }, error) {
			ps, err := w.Policies(ctx)
			if ps == nil {
				ps = []Policy{}
			}
			return &struct{ Body []Policy }{ps}, err
		})
	huma.Register(api, huma.Operation{OperationID: "get-policy", Method: http.MethodGet, Path: "/api/v1/policies/{id}",
		Summary: "Get an access policy", Tags: tags},
		func(ctx context.Context, in *policyIDIn) (*policyOut, error) {
			p, err := w.Policy(ctx, in.ID)
			return &policyOut{p}, err
		})
	huma.Register(api, huma.Operation{OperationID: "create-policy", Method: http.MethodPost, Path: "/api/v1/policies",
		Summary: "Add a custom access policy", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *struct{ Body PolicyBody }) (*policyOut, error) {
			p, err := w.SavePolicy(ctx, in.Body.policy(uuid.Nil))
			return &policyOut{p}, err
		})
	huma.Register(api, huma.Operation{OperationID: "replace-policy", Method: http.MethodPut, Path: "/api/v1/policies/{id}",
		Summary: "Replace a custom policy, or enable or disable a built-in one", Tags: tags},
		func(ctx context.Context, in *struct {
			ID   uuid.UUID `path:"id" doc:"Policy id"`
			Body PolicyBody
		}) (*policyOut, error) {
			p, err := w.SavePolicy(ctx, in.Body.policy(in.ID))
			return &policyOut{p}, err
		})
	huma.Register(api, huma.Operation{OperationID: "delete-policy", Method: http.MethodDelete, Path: "/api/v1/policies/{id}",
		Summary: "Delete a custom policy", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *policyIDIn) (*struct{}, error) {
			return nil, w.DeletePolicy(ctx, in.ID)
		})
}
