package appraisal

import (
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/fault"
)

// Scope is what a report covers: every rep of the tenant, the reps of a region's subtree, the
// members of a team, or one rep. Written "tenant", "region:<id>", "team:<id>", "rep:<id>".
type Scope struct {
	Kind string
	ID   uuid.UUID // of the region, team or rep; uuid.Nil for the tenant
}

// The kinds of scope.
const (
	ScopeTenant = "tenant"
	ScopeRegion = "region"
	ScopeTeam   = "team"
	ScopeRep    = "rep"
)

// WholeTenant is the scope of a report of every rep of the tenant.
var WholeTenant = Scope{Kind: ScopeTenant}

// ParseScope reads a scope as written in a request; "" is the whole tenant.
func ParseScope(s, location string) (Scope, error) {
	if s == "" || s == ScopeTenant {
		return WholeTenant, nil
	}
	kind, id, ok := strings.Cut(s, ":")
	parsed, err := uuid.Parse(id)
	if !ok || err != nil || (kind != ScopeRegion && kind != ScopeTeam && kind != ScopeRep) {
		return Scope{}, fault.Field(location, `is "tenant", "region:<id>", "team:<id>" or "rep:<id>"`, s)
	}
	return Scope{Kind: kind, ID: parsed}, nil
}

func (s Scope) String() string {
	if s.Kind == ScopeTenant {
		return ScopeTenant
	}
	return s.Kind + ":" + s.ID.String()
}

// covers reports whether rep r is in the scope. A region covers its whole subtree: r's region
// path holds the ids of every region above it.
func (s Scope) covers(r RepInfo) bool {
	switch s.Kind {
	case ScopeRegion:
		return strings.Contains(r.RegionPath, "/"+s.ID.String()+"/")
	case ScopeTeam:
		return slices.Contains(r.TeamIDs, s.ID)
	case ScopeRep:
		return r.ID == s.ID
	}
	return true
}

// repsIn keeps the reps the scope covers; a scope other than the tenant that covers nobody the
// caller may see is refused, so that a mistyped id is not a silently empty report.
func (s Scope) repsIn(all []RepInfo, location string) ([]RepInfo, error) {
	var out []RepInfo
	for _, r := range all {
		if s.covers(r) {
			out = append(out, r)
		}
	}
	if len(out) == 0 && s.Kind != ScopeTenant {
		return nil, fault.Field(location, "names no "+s.Kind+" with reps you may see", s.String())
	}
	return out, nil
}
