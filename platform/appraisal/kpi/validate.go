package kpi

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
)

// levelOf is the level a role is appraised at. The other roles (tenant_admin, data_specialist)
// configure the product and are not appraised.
var levelOf = map[string]Level{
	identity.RoleRep:     LevelRep,
	identity.RoleManager: LevelTeam,
	identity.RoleHQ:      LevelRegion,
}

// Validate reports every problem of a template at once, each at its place in the request body
// ("body.metrics[2].weight"), as one fault.Invalid.
func (t Template) Validate() error {
	var p problems
	if n := utf8.RuneCountInString(strings.TrimSpace(t.Name)); n == 0 || n > MaxNameLen {
		p.add("body.name", "a template needs a name of 1 to %d characters", MaxNameLen)
	}
	if t.Industry != "fmcg" && t.Industry != "industrial" {
		p.add("body.industry", "industry %q is not fmcg or industrial", t.Industry)
	}
	levels := t.AppliesTo.validate(&p)
	t.validateMetrics(levels, &p)
	validateBands(t.Bands, &p)
	return p.err()
}

// validate checks who the template applies to and returns the levels it is measured at.
func (a AppliesTo) validate(p *problems) []Level {
	if len(a.Roles) == 0 {
		p.add("body.applies_to.roles", "name at least one role the template appraises (rep, manager or hq)")
	}
	var levels []Level
	seen := map[string]bool{}
	for i, r := range a.Roles {
		at := fmt.Sprintf("body.applies_to.roles[%d]", i)
		l, ok := levelOf[r]
		switch {
		case !ok:
			p.add(at, "role %q is not appraised: use rep, manager or hq", r)
		case seen[r]:
			p.add(at, "role %q is named twice", r)
		default:
			levels = append(levels, l)
		}
		seen[r] = true
	}
	if len(a.Teams) > MaxTeams {
		p.add("body.applies_to.teams", "a template names at most %d teams", MaxTeams)
		return levels
	}
	teams := map[uuid.UUID]bool{}
	for i, s := range a.Teams {
		at := fmt.Sprintf("body.applies_to.teams[%d]", i)
		id, err := uuid.Parse(s)
		switch {
		case err != nil || id == uuid.Nil:
			p.add(at, "%q is not a team id", s)
		case teams[id]:
			p.add(at, "team %s is named twice", id)
		}
		teams[id] = true
	}
	return levels
}

func (t Template) validateMetrics(levels []Level, p *problems) {
	if len(t.Metrics) == 0 || len(t.Metrics) > MaxMetrics {
		p.add("body.metrics", "a template scores 1 to %d metrics", MaxMetrics)
		if len(t.Metrics) == 0 {
			return
		}
	}
	seen := map[string]bool{}
	sum, weighed := 0, true
	for i, it := range t.Metrics {
		at := fmt.Sprintf("body.metrics[%d]", i)
		m, ok := Lookup(it.Key)
		switch {
		case !ok:
			p.add(at+".key", "%q is not a metric of the library", it.Key)
		case seen[it.Key]:
			p.add(at+".key", "metric %q is scored twice", it.Key)
		}
		seen[it.Key] = true
		for _, l := range levels {
			if ok && !m.At(l) {
				p.add(at+".key", "metric %q is not measured at the %s level the template's roles are appraised at", it.Key, l)
			}
		}
		if it.Weight < 1 || it.Weight > 100 {
			p.add(at+".weight", "weight %d is not 1 to 100 percentage points", it.Weight)
			weighed = false
		}
		sum += it.Weight
		if it.Target != nil && (!finite(*it.Target) || *it.Target < 0) {
			p.add(at+".target", "a target is a number not below 0")
		}
		it.Scoring.validate(at+".scoring", p)
	}
	if weighed && sum != 100 {
		p.add("body.metrics", "the weights sum to %d %%, not 100 %%", sum)
	}
}

func (s Scoring) validate(at string, p *problems) {
	switch s.Mode {
	case Linear:
		if !(s.Cap >= 100 && s.Cap <= MaxCap) { // NaN too
			p.add(at+".cap", "a linear scoring caps completion at 100 to %d %%, not %v", MaxCap, s.Cap)
		}
		if len(s.Steps) > 0 {
			p.add(at+".steps", "steps belong to stepped scoring, not linear")
		}
	case Stepped:
		if s.Cap != 0 {
			p.add(at+".cap", "a cap belongs to linear scoring: a stepped one is capped by its highest step")
		}
		validateSteps(s.Steps, at+".steps", p)
	default:
		p.add(at+".mode", "scoring mode %q is not linear or stepped", s.Mode)
	}
}

func validateSteps(steps []Step, at string, p *problems) {
	if len(steps) == 0 || len(steps) > MaxMetrics {
		p.add(at, "a stepped scoring has 1 to %d steps", MaxMetrics)
		return
	}
	for i, st := range steps {
		sat := fmt.Sprintf("%s[%d]", at, i)
		if !(st.MinCompletion >= 0 && st.MinCompletion <= MaxCompletion) {
			p.add(sat+".min_completion", "min_completion %v is not 0 to %d %%", st.MinCompletion, MaxCompletion)
		} else if i > 0 && st.MinCompletion <= steps[i-1].MinCompletion {
			p.add(sat+".min_completion", "steps go by rising min_completion: %v follows %v", st.MinCompletion, steps[i-1].MinCompletion)
		}
		if !(st.Score >= 0 && st.Score <= MaxCap) {
			p.add(sat+".score", "score %v is not 0 to %d points", st.Score, MaxCap)
		} else if i > 0 && st.Score < steps[i-1].Score {
			// Doing more must never score less.
			p.add(sat+".score", "a higher step scores at least as much: %v follows %v", st.Score, steps[i-1].Score)
		}
	}
}

func validateBands(bands []Band, p *problems) {
	if len(bands) == 0 || len(bands) > 10 {
		p.add("body.bands", "a template has 1 to 10 colour bands")
		return
	}
	for i, b := range bands {
		at := fmt.Sprintf("body.bands[%d]", i)
		switch {
		case i == 0 && b.Min != 0:
			p.add(at+".min", "the first band starts at 0 %%, so that every value has a colour")
		case !(b.Min >= 0 && b.Min <= MaxCompletion):
			p.add(at+".min", "min %v is not 0 to %d %%", b.Min, MaxCompletion)
		case i > 0 && b.Min <= bands[i-1].Min:
			p.add(at+".min", "bands go by rising min: %v follows %v", b.Min, bands[i-1].Min)
		}
		if b.Colour != Red && b.Colour != Amber && b.Colour != Green {
			p.add(at+".colour", "colour %q is not red, amber or green", b.Colour)
		}
	}
}
