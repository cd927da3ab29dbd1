package appraisal

import (
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/appraisal/commission"
	"github.com/repflow/repflow/platform/appraisal/kpi"
)

// Report is an appraisal of a month over a scope (a rep, a team, a region or the tenant), frozen
// when it is made: the figures, scores, rankings and commissions as they were, under the template
// version named. Recomputing makes a new version; a version never changes.
type Report struct {
	ID              uuid.UUID
	Version         int
	Period          string // YYYY-MM
	Scope           string // "tenant", or "region:<id>", "team:<id>", "rep:<id>"
	TemplateID      uuid.UUID
	TemplateVersion int
	Currency        string
	CreatedBy       uuid.UUID
	CreatedAt       time.Time
	Reps            []RepResult // in the order of their total score, best first
}

// RepResult is one rep's line of a report.
type RepResult struct {
	RepID  uuid.UUID
	Name   string
	Team   string // the team's name; "" when the rep is in none
	Region string // the region's name
	Card   kpi.Scorecard
	// Commission is nil when the tenant has no commission plan.
	Commission *commission.Result
	// Ranks by total score, 1 for the best; ties share a rank.
	RankInTeam, RankInRegion, RankInTenant int
}
