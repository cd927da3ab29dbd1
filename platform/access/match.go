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

	"github.com/repflow/repflow/platform/identity"
)

// compiled is a ladon policy with its patterns compiled once, when the tenant's index is built.
// Every resource pattern starts with the literal "tenant:<id>:", and an index holds one tenant's
// policies only, so the index checks that prefix by string comparison and compiles the rest, which
// is the same for every tenant: one shared matcher per distinct pattern instead of one per policy
// of every tenant (ladon's own matcher keeps a 512-entry LRU, which thrashes across tenants).
type compiled struct {
	policy    *ladon.DefaultPolicy
	tenant    uuid.UUID
	prefix    string // "tenant:<id>:"
	actions   []pattern
	resources []pattern
}

// pattern is a ladon pattern: a literal compared as a string, the canonical resource shape that
// Policy.Ladon writes ("region:<.*>:rep:<.*>:<kind|kind>:<.*>"), decided by its kind alone, or any
// other pattern as a shared regex. ladon's compiler writes the expression; Go's linear-time engine
// runs it, since ladon's backtracking one (regexp2) spends microseconds on the ".*" groups.
type pattern struct {
	literal string
	kinds   []string // the canonical resource shape's kinds; nil otherwise
	re      *regexp.Regexp
}

var (
	sharedPatterns sync.Map // pattern text -> *regexp.Regexp
	canonicalShape = regexp.MustCompile(`^region:<\.\*>:rep:<\.\*>:<([a-z0-9_]+(?:\|[a-z0-9_]+)*)>:<\.\*>$`)
)

func compilePattern(text string, start, end byte) (pattern, error) {
	if !strings.ContainsRune(text, rune(start)) {
		return pattern{literal: text}, nil
	}
	var p pattern
	if m := canonicalShape.FindStringSubmatch(text); m != nil && start == '<' && end == '>' {
		p.kinds = strings.Split(m[1], "|")
	}
	if re, ok := sharedPatterns.Load(text); ok {
		p.re = re.(*regexp.Regexp)
		return p, nil
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
	p.re = actual.(*regexp.Regexp)
	return p, nil
}

func compile(t uuid.UUID, lp *ladon.DefaultPolicy) (*compiled, error) {
	c := &compiled{policy: lp, tenant: t, prefix: "tenant:" + t.String() + ":"}
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

// decision is one access question. Its ladon request is built only when a condition other than
// repflow's own two, or a non-canonical pattern, needs it: a decision that only meets repflow's
// policies allocates nothing.
type decision struct {
	tenant uuid.UUID
	p      identity.Principal
	a      Action
	r      Resource
	// canonical: the resource name has exactly the fields ResourceName writes (no ':' inside
	// one), so a canonical pattern matches exactly when the kind is one of its kinds.
	canonical bool
	subject   subject // whose policies are being tried
	req       *ladon.Request
}

// subject is a policy subject: a role, or a user.
type subject struct {
	role string
	user uuid.UUID
}

func (s subject) String() string {
	if s.role != "" {
		return "role:" + s.role
	}
	return "user:" + s.user.String()
}

func (d *decision) request() *ladon.Request {
	if d.req == nil {
		d.req = &ladon.Request{
			Action:   string(d.a),
			Resource: ResourceName(d.tenant, d.r),
			Context: ladon.Context{
				ctxRowOwner:        ownerString(d.r.OwnerID),
				ctxRowRegion:       d.r.RegionPath,
				ctxPrincipalUser:   ownerString(d.p.UserID),
				ctxPrincipalRegion: d.p.RegionPath,
			},
		}
	}
	return d.req
}

// matches reports whether the policy applies to the decision (its subject was matched by the index).
func (c *compiled) matches(ctx context.Context, d *decision) bool {
	if !c.matchesAction(string(d.a)) || !c.matchesResource(d) {
		return false
	}
	for key, cond := range c.policy.Conditions {
		if !d.fulfills(ctx, key, cond) {
			return false
		}
	}
	return true
}

// fulfills evaluates one condition. repflow's own two read the decision directly, exactly as their
// Fulfills methods read the request context that ResourceName and request() would write.
func (d *decision) fulfills(ctx context.Context, key string, cond ladon.Condition) bool {
	switch cond.(type) {
	case OwnRowCondition:
		if key == ctxRowOwner {
			return d.r.OwnerID != uuid.Nil && d.r.OwnerID == d.p.UserID
		}
	case RegionSubtreeCondition:
		if key == ctxRowRegion {
			return d.p.RegionPath != "" && strings.HasPrefix(d.r.RegionPath, d.p.RegionPath)
		}
	}
	r := d.request()
	r.Subject = d.subject.String()
	return cond.Fulfills(ctx, r.Context[key], r)
}

func (c *compiled) matchesAction(a string) bool {
	for _, p := range c.actions {
		if (p.re == nil && p.literal == a) || (p.re != nil && p.re.MatchString(a)) {
			return true
		}
	}
	return false
}

func (c *compiled) matchesResource(d *decision) bool {
	for _, p := range c.resources {
		switch {
		case p.kinds != nil && d.canonical:
			if d.tenant != c.tenant { // the "tenant:<id>:" prefix, compared as ids
				return false
			}
			for _, k := range p.kinds {
				if k == string(d.r.Kind) {
					return true
				}
			}
		case p.re == nil:
			if rest, ok := strings.CutPrefix(d.request().Resource, c.prefix); ok && rest == p.literal {
				return true
			}
		default:
			if rest, ok := strings.CutPrefix(d.request().Resource, c.prefix); ok && p.re.MatchString(rest) {
				return true
			}
		}
	}
	return false
}
