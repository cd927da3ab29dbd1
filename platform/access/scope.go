package access

import (
	"context"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
)

// Relative to a principal, a row falls in one of four classes: owned by them or not, inside their
// region subtree or not. Policies reach rows only through these two facts (their scope is tenant,
// region or own), so deciding one representative row per class decides every row, and the allowed
// classes become the query's WHERE clause. That is why lists and single reads always agree.
type rowClass struct{ own, inRegion bool }

// outsideRegion is a region path no principal's subtree contains: paths start with "/<uuid>/".
const outsideRegion = "/~outside/"

// otherRep stands for "some rep who is not the principal".
var otherRep = uuid.Max

// Scope limits a query on kind k to the rows the principal may `a`. Use it as db.Scopes(scope).
// It fails with Forbidden when the principal may see no row of k at all.
func (w *Warden) Scope(ctx context.Context, a Action, k Kind, cols Columns) (func(*gorm.DB) *gorm.DB, error) {
	p, ix, err := w.principalIndex(ctx)
	if err != nil {
		return nil, err
	}
	var allowed, possible []rowClass
	for _, own := range []bool{true, false} {
		for _, in := range []bool{true, false} {
			c := rowClass{own, in}
			if (own && cols.Owner == "") || (in && !hasRegion(cols, p)) {
				continue // no row of k can be in this class
			}
			possible = append(possible, c)
			if ix.Allows(ctx, p, a, representative(p, k, c)) {
				allowed = append(allowed, c)
			}
		}
	}
	switch {
	case len(allowed) == 0:
		return nil, forbidden(a, k)
	case len(allowed) == len(possible):
		return func(db *gorm.DB) *gorm.DB { return db }, nil
	}
	where, args := classFilter(allowed, possible, cols, p)
	return func(db *gorm.DB) *gorm.DB { return db.Where(where, args...) }, nil
}

func hasRegion(cols Columns, p identity.Principal) bool {
	return (cols.RegionID != "" || cols.RegionPath != "") && p.RegionPath != ""
}

func representative(p identity.Principal, k Kind, c rowClass) Resource {
	r := Resource{Kind: k, OwnerID: otherRep, RegionPath: outsideRegion}
	if c.own {
		r.OwnerID = p.UserID
	}
	if c.inRegion {
		r.RegionPath = p.RegionPath
	}
	return r
}

// classFilter writes the allowed classes as SQL, dropping a fact the answer does not depend on.
func classFilter(allowed, possible []rowClass, cols Columns, p identity.Principal) (string, []any) {
	has := func(c rowClass) bool {
		for _, a := range allowed {
			if a == c {
				return true
			}
		}
		return false
	}
	isPossible := func(c rowClass) bool {
		for _, a := range possible {
			if a == c {
				return true
			}
		}
		return false
	}
	// dependsOnOwn: some region value where flipping ownership flips the answer.
	dependsOnOwn, dependsOnRegion := false, false
	for _, c := range possible {
		flipOwn := rowClass{!c.own, c.inRegion}
		if isPossible(flipOwn) && has(c) != has(flipOwn) {
			dependsOnOwn = true
		}
		flipRegion := rowClass{c.own, !c.inRegion}
		if isPossible(flipRegion) && has(c) != has(flipRegion) {
			dependsOnRegion = true
		}
	}
	ownSQL, ownArgs := cols.Owner+" = ?", []any{p.UserID}
	regionSQL, regionArgs := regionCondition(cols, p)
	var terms []string
	var args []any
	for _, c := range allowed {
		var parts []string
		if dependsOnOwn {
			if c.own {
				parts = append(parts, ownSQL)
			} else {
				parts = append(parts, "NOT ("+ownSQL+")")
			}
			args = append(args, ownArgs...)
		}
		if dependsOnRegion {
			if c.inRegion {
				parts = append(parts, regionSQL)
			} else {
				parts = append(parts, "NOT ("+regionSQL+")")
			}
			args = append(args, regionArgs...)
		}
		if len(parts) > 0 {
			terms = append(terms, "("+strings.Join(parts, " AND ")+")")
		}
	}
	return "(" + strings.Join(dedupe(terms, &args), " OR ") + ")", args
}

// dedupe leaves terms as they are: duplicates only arise when a fact was dropped, and then every
// remaining term is distinct by construction, except identical ones which we collapse here.
func dedupe(terms []string, args *[]any) []string {
	if len(terms) < 2 {
		return terms
	}
	seen := map[string]bool{}
	out := terms[:0]
	var outArgs []any
	i := 0
	for _, t := range terms {
		n := strings.Count(t, "?")
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
			outArgs = append(outArgs, (*args)[i:i+n]...)
		}
		i += n
	}
	*args = outArgs
	return out
}

// regionCondition: the row's region lies in the principal's subtree. The regions subquery names
// the tenant itself, because tenant filtering applies to a statement's own table only.
func regionCondition(cols Columns, p identity.Principal) (string, []any) {
	if cols.RegionPath != "" {
		return cols.RegionPath + " LIKE ?", []any{p.RegionPath + "%"}
	}
	return cols.RegionID + " IN (SELECT id FROM regions WHERE regions.tenant_id = ? AND regions.path LIKE ?)",
		[]any{p.TenantID, p.RegionPath + "%"}
}
