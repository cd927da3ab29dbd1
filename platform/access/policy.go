package access

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/google/uuid"
	"github.com/ory/ladon"
	"github.com/ory/ladon/compiler"

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

// compiled is a ladon policy with its patterns compiled once, when the tenant's index is built.
// Every resource pattern starts with the literal "tenant:<id>:", and an index holds one tenant's
// policies only, so the index checks that prefix by string comparison and compiles the rest, which
// is the same for every tenant: one shared regex per distinct pattern instead of one per policy of
// every tenant (ladon's own matcher keeps a 512-entry LRU, which thrashes across tenants).
type compiled struct {
	policy    *ladon.DefaultPolicy
	prefix    string // "tenant:<id>:"
	actions   []pattern
	resources []pattern
}

// pattern is a ladon pattern: a literal compared as a string, or a shared compiled regex. ladon's
// compiler writes the expression; Go's linear-time engine runs it, since ladon's backtracking one
// (regexp2) spends microseconds on the ".*" groups every resource pattern has.
type pattern struct {
	literal string
	re      *regexp.Regexp
}

func (p pattern) match(s string) bool {
	if p.re == nil {
		return s == p.literal
	}
	return p.re.MatchString(s)
}

var sharedPatterns sync.Map // pattern text -> *regexp.Regexp

func compilePattern(text string, start, end byte) (pattern, error) {
	if !strings.ContainsRune(text, rune(start)) {
		return pattern{literal: text}, nil
	}
	if re, ok := sharedPatterns.Load(text); ok {
		return pattern{re: re.(*regexp.Regexp)}, nil
	}
	ladonRE, err := compiler.CompileRegex(text, start, end)
	if err != nil {
		return pattern{}, err
	}
	re, err := regexp.Compile(ladonRE.String())
	if err != nil {
		return pattern{}, fmt.Errorf("pattern %q is outside the regular-expression syntax repflow supports: %w", text, err)
	}
	actual, _ := sharedPatterns.LoadOrStore(text, re)
	return pattern{re: actual.(*regexp.Regexp)}, nil
}

func compile(t uuid.UUID, lp *ladon.DefaultPolicy) (*compiled, error) {
	c := &compiled{policy: lp, prefix: "tenant:" + t.String() + ":"}
	for _, a := range lp.Actions {
		p, err := compilePattern(a, lp.GetStartDelimiter(), lp.GetEndDelimiter())
		if err != nil {
			return nil, fmt.Errorf("policy %s action %q: %w", lp.ID, a, err)
		}
		c.actions = append(c.actions, p)
	}
	for _, r := range lp.Resources {
		rest, ok := strings.CutPrefix(r, c.prefix)
		if !ok {
			return nil, fmt.Errorf("policy %s resource %q is not of tenant %s", lp.ID, r, t)
		}
		p, err := compilePattern(rest, lp.GetStartDelimiter(), lp.GetEndDelimiter())
		if err != nil {
			return nil, fmt.Errorf("policy %s resource %q: %w", lp.ID, r, err)
		}
		c.resources = append(c.resources, p)
	}
	return c, nil
}

// matches reports whether the policy applies to r (its subject was matched by the index).
func (c *compiled) matches(ctx context.Context, r *ladon.Request) bool {
	rest, ok := strings.CutPrefix(r.Resource, c.prefix)
	return ok && anyMatch(c.actions, r.Action) && anyMatch(c.resources, rest) && conditionsHold(ctx, c.policy, r)
}

func anyMatch(ps []pattern, s string) bool {
	for _, p := range ps {
		if p.match(s) {
			return true
		}
	}
	return false
}

func conditionsHold(ctx context.Context, p ladon.Policy, r *ladon.Request) bool {
	for key, cond := range p.GetConditions() {
		if !cond.Fulfills(ctx, r.Context[key], r) {
			return false
		}
	}
	return true
}

// SubjectsOf lists the policy subjects a principal answers to.
func SubjectsOf(p identity.Principal) []string {
	out := make([]string, 0, len(p.Roles)+1)
	if p.UserID != uuid.Nil {
		out = append(out, "user:"+p.UserID.String())
	}
	for _, r := range p.Roles {
		out = append(out, "role:"+r)
	}
	return out
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
