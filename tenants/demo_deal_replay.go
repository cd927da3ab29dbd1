package tenants

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/pipeline"
)

// recordDeals records the planned store listings: each opportunity opened, its tasks done and
// its moves made at their times, its trial order taken and moved on, and the shelf check after
// the trial's delivery.
func (s *demoSales) recordDeals() error {
	rng := rand.New(rand.NewPCG(demoSeed, 6))
	for _, d := range s.deals {
		if err := s.recordDeal(rng, d); err != nil {
			return fmt.Errorf("listing of %s at %s: %w", d.sku.name, d.site.Name, err)
		}
	}
	return nil
}

// recordDeal opens the listing as its rep, with the shop's contacts, and takes it through its
// stages.
func (s *demoSales) recordDeal(rng *rand.Rand, d *demoDeal) error {
	opened := d.stages[0].at
	s.at(opened)
	var contacts []uuid.UUID
	for _, c := range s.contacts[d.site] {
		contacts = append(contacts, c.ID)
	}
	opp, err := s.pipeline.CreateOpportunity(d.rep.ctx, pipeline.NewOpportunity{CustomerID: d.site.ID,
		Name: d.sku.name + " at " + d.site.Name, Amount: d.amount(), Currency: s.currency,
		ExpectedClose: opened.AddDate(0, 0, 45).In(demoZone).Format(time.DateOnly), ContactIDs: contacts,
		NextStep: cmp.Or(d.nextStep, "Qualify the store and meet the buyer.")})
	if err != nil {
		return err
	}
	d.id = opp.ID
	for i, st := range d.stages {
		if err := s.workStage(rng, d, st); err != nil {
			return err
		}
		if i+1 == len(d.stages) {
			break
		}
		next := d.stages[i+1]
		if !s.at(next.at) {
			return nil
		}
		reason := ""
		if next.key == "won" || next.key == "lost" {
			reason = d.reason
		}
		if _, err := s.pipeline.MoveOpportunity(d.rep.ctx, d.id, pipeline.Move{Stage: next.key, Reason: reason}); err != nil {
			return fmt.Errorf("move to %s: %w", next.key, err)
		}
	}
	return nil
}

// workStage does the work of a stage the deal is in, in time order: the trial order, the
// manager's fee approval, the owner's tasks and the shelf check after the trial's delivery.
func (s *demoSales) workStage(rng *rand.Rand, d *demoDeal, st demoStage) error {
	if st.key == "trial_order" && d.trial != nil {
		if err := s.recordOrder(d.trial); err != nil {
			return err
		}
		if !st.checked.IsZero() {
			if err := s.recordShelfCheck(rng, d.rep, d.site, nil, st.checked); err != nil {
				return err
			}
		}
	}
	// The tenant admin sees the rep's tasks and the manager's alike.
	page, err := s.pipeline.ListTasks(s.admin, pipeline.TaskFilter{OpportunityID: &d.id, Status: pipeline.TaskOpen, Limit: pipeline.MaxPageSize})
	if err != nil {
		return err
	}
	type completion struct {
		at   time.Time
		by   context.Context
		task pipeline.Task
	}
	var work []completion
	for _, t := range page.Tasks {
		c := completion{at: st.done, by: d.rep.ctx, task: t}
		switch {
		case !t.Required:
			c.at, c.by = st.fee, s.managerOf(d.rep)
		case t.OwnerID != d.rep.user.ID:
			// A required task of the manager's (the industrial template's pricing approval).
			c.by = s.managerOf(d.rep)
		case strings.HasPrefix(t.Title, "Shelf check"):
			c.at = st.checked
			if !c.at.IsZero() {
				c.at = c.at.Add(minutes(rng, 5, 20))
			}
		}
		if !c.at.IsZero() {
			work = append(work, c)
		}
	}
	// In time order, so that the opportunity's last touch only moves forward.
	slices.SortStableFunc(work, func(a, b completion) int { return a.at.Compare(b.at) })
	for _, c := range work {
		if !s.at(c.at) {
			break
		}
		if _, err := s.pipeline.CompleteTask(c.by, c.task.ID); err != nil {
			return fmt.Errorf("complete %q: %w", c.task.Title, err)
		}
	}
	return nil
}
