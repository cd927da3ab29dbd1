// Package report is the appraisal report as it is frozen: a month over a scope, per rep the
// scorecard, commission and ranks, and the difference between two versions. The appraisal
// service makes and stores it; the exports read it.
package report

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
	ID              uuid.UUID `json:"id"`
	Version         int       `json:"version"`
	Period          string    `json:"period"` // YYYY-MM or YYYY-Qn
	Scope           string    `json:"scope"`  // "tenant", "region:<id>", "team:<id>" or "rep:<id>"
	TemplateID      uuid.UUID `json:"template_id"`
	TemplateVersion int       `json:"template_version"`
	Currency        string    `json:"currency,omitempty"` // of the commissions
	// CommissionPlanVersion is the plan version the commissions were paid by; 0 for none (no plan,
	// or one that pays on the other kind of period).
	CommissionPlanVersion int       `json:"commission_plan_version,omitempty"`
	CreatedBy             uuid.UUID `json:"created_by"`
	CreatedAt             time.Time `json:"created_at"`
	// Scheduled: made by the schedule, as CreatedBy (the tenant's administrator).
	Scheduled bool        `json:"scheduled,omitempty"`
	Reps      []RepResult `json:"reps"` // in the order of their total score, best first
}

// RepResult is one rep's line of a report.
type RepResult struct {
	RepID  uuid.UUID     `json:"rep_id"`
	Name   string        `json:"name"`
	Team   string        `json:"team"`   // the team's name; "" when the rep is in none
	Region string        `json:"region"` // the region's name
	Card   kpi.Scorecard `json:"scorecard"`
	// Commission is nil when the report pays by no plan (CommissionPlanVersion 0).
	Commission *commission.Result `json:"commission,omitempty"`
	// Ranks by total score, 1 for the best, ties sharing a rank: Rank among every rep of the
	// report (of the tenant, the region's subtree, the team), the others among the report's reps
	// of the rep's team and of the rep's own region.
	Rank         int `json:"rank"`
	RankInTeam   int `json:"rank_in_team"`
	RankInRegion int `json:"rank_in_region"`
}
