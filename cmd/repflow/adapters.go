package main

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/activities"
	"github.com/repflow/repflow/platform/appraisal"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/orders"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/pipeline"
	"github.com/repflow/repflow/platform/visits"
)

// Each domain declares what it needs of a customer; these hand it over from visits, which keeps
// the customers. A customer the caller cannot read is not found, for all of them alike.

type orderCustomers struct{ v *visits.Service }

func (c orderCustomers) Customer(ctx context.Context, id uuid.UUID) (orders.CustomerRef, error) {
	cu, err := c.v.GetCustomer(ctx, id)
	return orders.CustomerRef{ID: cu.ID, OwnerID: cu.OwnerID, RegionID: cu.RegionID}, err
}

type activityCustomers struct{ v *visits.Service }

func (c activityCustomers) Customer(ctx context.Context, id uuid.UUID) (activities.CustomerRef, error) {
	cu, err := c.v.GetCustomer(ctx, id)
	return activities.CustomerRef{ID: cu.ID, Name: cu.Name, OwnerID: cu.OwnerID, RegionID: cu.RegionID}, err
}

// Owners is the visits domain's answer, the one keyAccountSource takes too.
func (c activityCustomers) Owners(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]uuid.UUID, error) {
	return c.v.Owners(ctx, ids)
}

// placeCustomer hands the pipeline a customer's owner and region path.
func placeCustomer(v *visits.Service) func(ctx context.Context, id uuid.UUID) (pipeline.CustomerPlace, error) {
	return func(ctx context.Context, id uuid.UUID) (pipeline.CustomerPlace, error) {
		p, err := v.PlaceCustomer(ctx, id)
		return pipeline.CustomerPlace{OwnerID: p.OwnerID, RegionPath: p.RegionPath}, err
	}
}

// followUp hands the pipeline an opportunity's follow-up as activities measure it.
func followUp(a *activities.Service) func(ctx context.Context, id uuid.UUID, from, to time.Time) (pipeline.Engagement, error) {
	return func(ctx context.Context, id uuid.UUID, from, to time.Time) (pipeline.Engagement, error) {
		f, err := a.FollowUp(ctx, activities.FollowUpQuery{OpportunityID: &id, From: from, To: to})
		return pipeline.Engagement{Touches: f.Touches, TouchesPerWeek: f.TouchesPerWeek, ActivityKinds: f.Kinds, ContactsReached: f.ContactsReached}, err
	}
}

// orderOpportunity hands orders the opportunity an order names, as the pipeline keeps it.
func orderOpportunity(p *pipeline.Service) func(ctx context.Context, id uuid.UUID) (orders.OpportunityRef, error) {
	return func(ctx context.Context, id uuid.UUID) (orders.OpportunityRef, error) {
		customer, status, err := p.CustomerAndStatus(ctx, id)
		return orders.OpportunityRef{CustomerID: customer, Lost: status == pipeline.Lost}, err
	}
}

// reorders hands visit plans the customers due to reorder, as orders predict them; orders are
// built after visits, so the service is looked up at call time.
func reorders(a *app) func(ctx context.Context, within int) (map[uuid.UUID]time.Time, error) {
	return func(ctx context.Context, within int) (map[uuid.UUID]time.Time, error) {
		due, err := a.orders.DueReplenishments(ctx, within)
		if err != nil {
			return nil, err
		}
		out := make(map[uuid.UUID]time.Time, len(due))
		for _, r := range due {
			out[r.CustomerID] = r.NextOrderDay
		}
		return out, nil
	}
}

// targetRep hands the appraisal a user that targets may be set for; an inactive or missing user
// is not found.
func targetRep(o *org.Service) func(ctx context.Context, id uuid.UUID) (appraisal.Rep, error) {
	return func(ctx context.Context, id uuid.UUID) (appraisal.Rep, error) {
		p, err := o.Principal(ctx, id)
		if errors.Is(err, org.ErrUserInactive) {
			return appraisal.Rep{}, fault.NotFoundf("rep")
		}
		return appraisal.Rep{ID: p.UserID, RegionPath: p.RegionPath, IsRep: p.HasRole(identity.RoleRep)}, err
	}
}

// teamMembers hands the appraisal a team's members, as far as the caller may see the team.
func teamMembers(o *org.Service) func(ctx context.Context, team uuid.UUID) ([]uuid.UUID, error) {
	return func(ctx context.Context, team uuid.UUID) ([]uuid.UUID, error) {
		t, err := o.GetTeam(ctx, team)
		return t.MemberIDs, err
	}
}

// regionPath hands the appraisal a region's path, as far as the caller may see the region.
func regionPath(o *org.Service) func(ctx context.Context, region uuid.UUID) (string, error) {
	return func(ctx context.Context, region uuid.UUID) (string, error) {
		r, err := o.GetRegion(ctx, region)
		return r.Path, err
	}
}

// reportReps lists the active reps the caller may see, named with their team and region, for
// the appraisal's reports.
func reportReps(o *org.Service) func(ctx context.Context) ([]appraisal.RepInfo, error) {
	return func(ctx context.Context) ([]appraisal.RepInfo, error) {
		regions, err := o.ListRegions(ctx)
		if err != nil {
			return nil, err
		}
		regionName := map[uuid.UUID]string{}
		for _, r := range regions {
			regionName[r.ID] = r.Name
		}
		teams, err := o.ListTeams(ctx)
		if err != nil {
			return nil, err
		}
		teamOf, teamIDs := map[uuid.UUID]string{}, map[uuid.UUID][]uuid.UUID{}
		for _, t := range teams {
			for _, m := range t.MemberIDs {
				if _, ok := teamOf[m]; !ok {
					teamOf[m] = t.Name
				}
				teamIDs[m] = append(teamIDs[m], t.ID)
			}
		}
		var out []appraisal.RepInfo
		f := org.UserFilter{Role: identity.RoleRep, Status: org.StatusActive, Limit: org.MaxPageSize}
		for {
			page, err := o.ListUsers(ctx, f)
			if err != nil {
				return nil, err
			}
			for _, u := range page.Users {
				out = append(out, appraisal.RepInfo{ID: u.ID, Name: u.Name, Team: teamOf[u.ID], TeamIDs: teamIDs[u.ID], Region: regionName[u.RegionID], RegionPath: u.RegionPath})
			}
			if page.Next == nil {
				return out, nil
			}
			f.After = page.Next
		}
	}
}

// suggestions hands the appraisal's dashboard a rep's next steps: the opportunities the pipeline
// ranks likeliest to close, and the customers today's visit plan finds due, most overdue first
// (of equally overdue ones, those never visited first).
func suggestions(p *pipeline.Service, v *visits.Service) func(ctx context.Context, rep uuid.UUID, today time.Time) ([]appraisal.SuggestedAction, error) {
	return func(ctx context.Context, rep uuid.UUID, today time.Time) ([]appraisal.SuggestedAction, error) {
		likely, err := p.LikelyToClose(ctx, rep, appraisal.MaxActionsPerKind)
		if err != nil && !fault.Is(err, fault.Forbidden) {
			return nil, err
		}
		var out []appraisal.SuggestedAction
		for _, l := range likely {
			out = append(out, appraisal.SuggestedAction{Kind: appraisal.ActionCloseOpportunity, ID: l.ID, Name: l.Name,
				Metrics: []string{"win_rate", "opportunity_conversion_rate", "revenue"}, Stage: l.StageName,
				Probability: l.Probability, Amount: &l.Amount, Currency: l.Currency, ExpectedClose: l.ExpectedClose})
		}
		plan, err := v.PlanDay(ctx, visits.PlanRequest{RepID: rep, Date: today.Format(time.DateOnly)})
		if fault.Is(err, fault.Forbidden) || fault.Is(err, fault.NotFound) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		due := slices.Clone(plan.Due)
		slices.SortStableFunc(due, func(a, b visits.DueCustomer) int {
			if a.OverdueDays != b.OverdueDays {
				return b.OverdueDays - a.OverdueDays
			}
			return cmp.Compare(visitedRank(a), visitedRank(b))
		})
		for _, d := range due[:min(len(due), appraisal.MaxActionsPerKind)] {
			out = append(out, appraisal.SuggestedAction{Kind: appraisal.ActionVisitCustomer, ID: d.CustomerID, Name: plan.Customers[d.CustomerID].Name,
				Metrics: []string{"visits", "coverage_rate"}, Grade: string(d.Grade), OverdueDays: d.OverdueDays, LastVisit: d.LastVisit})
		}
		return out, nil
	}
}

// visitedRank orders a customer never visited (0) before one visited (1).
func visitedRank(d visits.DueCustomer) int {
	if d.LastVisit == nil {
		return 0
	}
	return 1
}
