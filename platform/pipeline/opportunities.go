package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// MaxContacts bounds the contacts named on one opportunity.
const MaxContacts = 50

// NewOpportunity is what a rep or manager gives to open an opportunity.
type NewOpportunity struct {
	PipelineID    *uuid.UUID // nil: the tenant's first pipeline
	CustomerID    uuid.UUID
	OwnerID       *uuid.UUID // nil: the customer's owner
	Name          string
	Amount        decimal.Decimal
	Currency      string
	ExpectedClose string
	NextStep      string
	ContactIDs    []uuid.UUID
	// Stage is the key of the stage it starts in (empty: the first).
	Stage string
}

// OpportunityChanges are the fields an edit sets; nil leaves a field alone.
type OpportunityChanges struct {
	Name          *string
	Amount        *decimal.Decimal
	Currency      *string
	ExpectedClose *string
	NextStep      *string
	ContactIDs    *[]uuid.UUID
}

// CreateOpportunity opens an opportunity in its pipeline's first (or named) stage and runs that
// stage's rules.
func (s *Service) CreateOpportunity(ctx context.Context, in NewOpportunity) (Opportunity, error) {
	me, err := identity.SignedIn(ctx, "open an opportunity")
	if err != nil {
		return Opportunity{}, err
	}
	var out Opportunity
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		place, err := s.deps.PlaceCustomer(ctx, in.CustomerID)
		if fault.Is(err, fault.NotFound) {
			return fault.Reference("body.customer_id", "there is no such customer", in.CustomerID)
		}
		if err != nil {
			return err
		}
		owner := place.OwnerID
		if in.OwnerID != nil {
			owner = *in.OwnerID
		}
		res := access.Resource{Kind: access.KindOpportunity, OwnerID: owner, RegionPath: place.RegionPath}
		if err := s.warden.Check(ctx, access.Create, res); err != nil {
			return err
		}
		p, err := s.pipelineFor(db, in.PipelineID)
		if err != nil {
			return err
		}
		start := p.Stages[0]
		if in.Stage != "" {
			st, ok := p.stage(in.Stage)
			if !ok || st.Outcome != Open {
				return unknownStage("body.stage", in.Stage, p)
			}
			start = st
		}
		now := s.now()
		o := opportunityRow{ID: identity.NewID(), PipelineID: p.ID, CustomerID: in.CustomerID, OwnerID: owner,
			RegionPath: place.RegionPath, Status: string(Open), CreatedBy: me.UserID, CreatedAt: now}
		ch := OpportunityChanges{Name: &in.Name, Amount: &in.Amount, Currency: &in.Currency,
			ExpectedClose: &in.ExpectedClose, NextStep: &in.NextStep, ContactIDs: &in.ContactIDs}
		if err := s.apply(ctx, &o, ch); err != nil {
			return err
		}
		o.StageID, o.StageEnteredAt, o.LastTouchedAt, o.UpdatedAt = start.ID, now, now, now
		if err := db.Create(&o).Error; err != nil {
			return err
		}
		o.StageID = uuid.Nil // entering the first stage records it as the first move
		if err := s.enter(ctx, db, entry{p: &p, o: &o, to: start, by: &me.UserID, reason: "opened"}); err != nil {
			return err
		}
		out, err = toOpportunity(o, &p, now)
		return err
	})
	if err != nil {
		return Opportunity{}, fmt.Errorf("create opportunity: %w", err)
	}
	return out, nil
}

// pipelineFor returns the named pipeline, or the tenant's first.
func (s *Service) pipelineFor(db *gorm.DB, id *uuid.UUID) (Pipeline, error) {
	if id != nil {
		p, err := findPipeline(db, *id)
		if fault.Is(err, fault.NotFound) {
			return Pipeline{}, fault.Reference("body.pipeline_id", "there is no such pipeline", id)
		}
		return p, err
	}
	var first pipelineRow
	err := db.Order("created_at, id").Take(&first).Error
	if store.IsNotFound(err) {
		return Pipeline{}, fault.New(fault.Conflict, "no_pipeline", "the tenant has no pipeline yet: a tenant admin creates one first")
	}
	if err != nil {
		return Pipeline{}, err
	}
	return loadPipeline(db, first.ID)
}

// apply validates and sets the changed fields of o.
func (s *Service) apply(ctx context.Context, o *opportunityRow, ch OpportunityChanges) error {
	if ch.Name != nil {
		name := strings.TrimSpace(*ch.Name)
		if n := utf8.RuneCountInString(name); n == 0 || n > MaxTitleLen {
			return fault.Field("body.name", fmt.Sprintf("must have 1 to %d characters", MaxTitleLen), *ch.Name)
		}
		o.Name = name
	}
	if ch.Amount != nil {
		if ch.Amount.IsNegative() {
			return fault.Field("body.amount", "cannot be negative", ch.Amount.String())
		}
		if ch.Amount.Exponent() < -4 {
			return fault.Field("body.amount", "has at most 4 decimal places", ch.Amount.String())
		}
		o.Amount = *ch.Amount
	}
	if ch.Currency != nil {
		cur := strings.ToUpper(strings.TrimSpace(*ch.Currency))
		used, err := s.deps.Currencies(ctx)
		if err != nil {
			return err
		}
		if !slices.Contains(used, cur) {
			return fault.Field("body.currency", fmt.Sprintf("%q is not the tenant's: it trades in %s", *ch.Currency, strings.Join(used, ", ")), *ch.Currency)
		}
		o.Currency = cur
	}
	if ch.ExpectedClose != nil {
		if _, err := time.Parse(time.DateOnly, *ch.ExpectedClose); err != nil {
			return fault.Field("body.expected_close", "must be a date written YYYY-MM-DD", *ch.ExpectedClose)
		}
		o.ExpectedClose = *ch.ExpectedClose
	}
	if ch.NextStep != nil {
		if utf8.RuneCountInString(*ch.NextStep) > 1000 {
			return fault.Field("body.next_step", "has at most 1000 characters", "")
		}
		o.NextStep = strings.TrimSpace(*ch.NextStep)
	}
	if ch.ContactIDs != nil {
		ids := nonNil(*ch.ContactIDs)
		if len(ids) > MaxContacts {
			return fault.Field("body.contact_ids", fmt.Sprintf("names more than %d contacts", MaxContacts), "")
		}
		b, _ := json.Marshal(ids)
		o.ContactIDs = string(b)
	}
	return nil
}

// UpdateOpportunity edits an open or closed opportunity's details (not its stage: see Move).
func (s *Service) UpdateOpportunity(ctx context.Context, id uuid.UUID, ch OpportunityChanges) (Opportunity, error) {
	var out Opportunity
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		o, p, err := s.loadOpportunity(ctx, db, id, access.Update)
		if err != nil {
			return err
		}
		if err := s.apply(ctx, &o, ch); err != nil {
			return err
		}
		if err := s.touch(ctx, db, &p, &o); err != nil {
			return err
		}
		out, err = toOpportunity(o, &p, s.now())
		return err
	})
	if err != nil {
		return Opportunity{}, fmt.Errorf("update opportunity %s: %w", id, err)
	}
	return out, nil
}

// Touch records work on an opportunity done elsewhere (an activity logged against it), which
// restarts its idle timers. The caller must be allowed to update it.
func (s *Service) Touch(ctx context.Context, id uuid.UUID) error {
	return s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		o, p, err := s.loadOpportunity(ctx, db, id, access.Update)
		if err != nil {
			return err
		}
		return s.touch(ctx, db, &p, &o)
	})
}

// CustomerAndStatus returns the customer and status of an opportunity the caller may read, for other
// domains' records that name it (an order taken for it); one out of sight is not found.
func (s *Service) CustomerAndStatus(ctx context.Context, id uuid.UUID) (customerID uuid.UUID, status Status, err error) {
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var o opportunityRow
		if err := db.Where("id = ?", id).Take(&o).Error; err != nil {
			if store.IsNotFound(err) {
				return fault.NotFoundf("opportunity")
			}
			return err
		}
		res := access.Resource{Kind: access.KindOpportunity, ID: o.ID, OwnerID: o.OwnerID, RegionPath: o.RegionPath}
		if err := s.warden.CheckRow(ctx, access.Read, res, "opportunity"); err != nil {
			return err
		}
		customerID, status = o.CustomerID, Status(o.Status)
		return nil
	})
	return customerID, status, err
}

// loadOpportunity locks an opportunity the caller may act on with a; one outside the caller's
// scope is not found.
func (s *Service) loadOpportunity(ctx context.Context, db *gorm.DB, id uuid.UUID, a access.Action) (opportunityRow, Pipeline, error) {
	o, err := lockOpportunity(s.store, db, id)
	if store.IsNotFound(err) {
		return o, Pipeline{}, fault.NotFoundf("opportunity")
	}
	if err != nil {
		return o, Pipeline{}, err
	}
	res := access.Resource{Kind: access.KindOpportunity, ID: o.ID, OwnerID: o.OwnerID, RegionPath: o.RegionPath}
	if err := s.warden.CheckRow(ctx, a, res, "opportunity"); err != nil {
		return o, Pipeline{}, err
	}
	p, err := loadPipeline(db, o.PipelineID)
	return o, p, err
}

func toOpportunity(o opportunityRow, p *Pipeline, now time.Time) (Opportunity, error) {
	st, _ := p.stageByID(o.StageID)
	out := Opportunity{ID: o.ID, PipelineID: o.PipelineID, Stage: st, CustomerID: o.CustomerID, OwnerID: o.OwnerID,
		Name: o.Name, Amount: o.Amount, Currency: o.Currency, ExpectedClose: o.ExpectedClose, NextStep: o.NextStep,
		Status: Status(o.Status), OutcomeReason: o.OutcomeReason, StageEnteredAt: o.StageEnteredAt,
		LastTouchedAt: o.LastTouchedAt, ClosedAt: o.ClosedAt, CreatedBy: o.CreatedBy, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
	if err := json.Unmarshal([]byte(o.ContactIDs), &out.ContactIDs); err != nil {
		return Opportunity{}, fmt.Errorf("opportunity %s contacts: %w", o.ID, err)
	}
	end := now
	if o.ClosedAt != nil {
		end = *o.ClosedAt
	}
	out.TimeInStage = end.Sub(o.StageEnteredAt)
	out.OverSLA = st.SLADays > 0 && o.Status == string(Open) && out.TimeInStage > time.Duration(st.SLADays)*24*time.Hour
	return out, nil
}

func unknownStage(location, key string, p Pipeline) error {
	var keys []string
	for _, st := range p.Stages {
		keys = append(keys, st.Key)
	}
	return fault.Field(location, fmt.Sprintf("%q is not a stage of pipeline %q; its stages are %s", key, p.Name, strings.Join(keys, ", ")), key)
}
