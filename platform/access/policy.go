package access

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/google/uuid"
	"github.com/ory/ladon"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
)

// Request context keys: the row's placement and the principal's, for the scope conditions.
const (
	ctxRowOwner        = "rep"
	ctxRowRegion       = "region"
	ctxPrincipalUser   = "principal.user"
	ctxPrincipalRegion = "principal.region"
)

// OwnRowCondition holds when the row's owner is the principal.
type OwnRowCondition struct{}

// Fulfills implements ladon.Condition.
func (OwnRowCondition) Fulfills(_ context.Context, v any, r *ladon.Request) bool {
	owner, _ := v.(string)
	return owner != "" && owner == r.Context[ctxPrincipalUser]
}

// GetName implements ladon.Condition.
func (OwnRowCondition) GetName() string { return "RepflowOwnRowCondition" }

// RegionSubtreeCondition holds when the row's region lies in the principal's region subtree.
type RegionSubtreeCondition struct{}

// Fulfills implements ladon.Condition.
func (RegionSubtreeCondition) Fulfills(_ context.Context, v any, r *ladon.Request) bool {
	path, _ := v.(string)
	prefix, _ := r.Context[ctxPrincipalRegion].(string)
	return prefix != "" && strings.HasPrefix(path, prefix)
}

// GetName implements ladon.Condition.
func (RegionSubtreeCondition) GetName() string { return "RepflowRegionSubtreeCondition" }

func init() {
	ladon.ConditionFactories[OwnRowCondition{}.GetName()] = func() ladon.Condition { return OwnRowCondition{} }
	ladon.ConditionFactories[RegionSubtreeCondition{}.GetName()] = func() ladon.Condition { return RegionSubtreeCondition{} }
}

// ResourceName is the ladon resource of r in tenant t: tenant:<id>:region:<path>:rep:<id>:<kind>:<id>.
func ResourceName(t uuid.UUID, r Resource) string {
	owner, id := "", ""
	if r.OwnerID != uuid.Nil {
		owner = r.OwnerID.String()
	}
	if r.ID != uuid.Nil {
		id = r.ID.String()
	}
	return "tenant:" + t.String() + ":region:" + r.RegionPath + ":rep:" + owner + ":" + string(r.Kind) + ":" + id
}

// Ladon compiles p, a policy of tenant t, into the ladon policy it stands for.
func (p Policy) Ladon(t uuid.UUID) *ladon.DefaultPolicy {
	kinds := make([]string, len(p.Kinds))
	for i, k := range p.Kinds {
		kinds[i] = regexp.QuoteMeta(string(k))
	}
	actions := make([]string, len(p.Actions))
	for i, a := range p.Actions {
		actions[i] = string(a)
	}
	lp := &ladon.DefaultPolicy{
		ID:          p.ID.String(),
		Description: p.Description,
		Subjects:    append([]string(nil), p.Subjects...),
		Effect:      ladon.AllowAccess,
		Actions:     actions,
		Resources:   []string{"tenant:" + t.String() + ":region:<.*>:rep:<.*>:<" + strings.Join(kinds, "|") + ">:<.*>"},
		Conditions:  ladon.Conditions{},
	}
	if p.Effect == Deny {
		lp.Effect = ladon.DenyAccess
	}
	switch p.Scope {
	case ScopeOwn:
		lp.Conditions.AddCondition(ctxRowOwner, OwnRowCondition{})
	case ScopeRegion:
		lp.Conditions.AddCondition(ctxRowRegion, RegionSubtreeCondition{})
	}
	return lp
}

// Validate checks a policy a tenant admin wrote, naming each offending field.
func (p Policy) Validate() error {
	var details []fault.Detail
	bad := func(loc, msg string, v any) {
		details = append(details, fault.Detail{Location: "body." + loc, Message: msg, Value: v})
	}
	if len(p.Description) > 500 {
		bad("description", "at most 500 characters", nil)
	}
	if len(p.Subjects) == 0 {
		bad("subjects", `name at least one subject: "role:<role>" or "user:<id>"`, nil)
	}
	for i, s := range p.Subjects {
		role, isRole := strings.CutPrefix(s, "role:")
		user, isUser := strings.CutPrefix(s, "user:")
		switch {
		case isRole && identity.ValidRole(role):
		case isUser && uuid.Validate(user) == nil:
		default:
			bad(fmt.Sprintf("subjects[%d]", i), fmt.Sprintf(`unknown subject: use "role:" and one of %s, or "user:<id>"`, strings.Join(identity.Roles, ", ")), s)
		}
	}
	if len(p.Actions) == 0 {
		bad("actions", "name at least one action", nil)
	}
	for i, a := range p.Actions {
		if !containsAction(Actions, a) {
			bad(fmt.Sprintf("actions[%d]", i), "unknown action: use read, list, create, update, delete or export", a)
		}
	}
	if len(p.Kinds) == 0 {
		bad("kinds", "name at least one resource kind", nil)
	}
	for i, k := range p.Kinds {
		if !knownKind(k) {
			bad(fmt.Sprintf("kinds[%d]", i), fmt.Sprintf("unknown resource kind; known kinds: %v", Kinds()), k)
		}
	}
	switch p.Scope {
	case ScopeTenant, ScopeRegion, ScopeOwn:
	default:
		bad("scope", "use tenant (every row), region (the subject's region subtree) or own (the subject's own rows)", p.Scope)
	}
	switch p.Effect {
	case Allow, Deny:
	default:
		bad("effect", "use allow or deny", p.Effect)
	}
	if len(details) > 0 {
		return fault.New(fault.Invalid, "invalid_policy", "the policy is not valid; see details", details...)
	}
	return nil
}
