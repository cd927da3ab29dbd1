package pipeline

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
)

// Move is a person moving an opportunity to another stage.
type Move struct {
	Stage string // key
	// Reason is required to close an opportunity (why it was won or lost), optional otherwise.
	Reason string
}

// MoveOpportunity moves an open opportunity to another stage of its pipeline: refused while the
// stage it leaves has required tasks open (the fault lists them), and for a closed opportunity.
// Entering the stage runs its rules.
func (s *Service) MoveOpportunity(ctx context.Context, id uuid.UUID, m Move) (Opportunity, error) {
	me, err := identity.SignedIn(ctx, "move an opportunity")
	if err != nil {
		return Opportunity{}, err
	}
	var out Opportunity
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		o, p, err := s.loadOpportunity(ctx, db, id, access.Update)
		if err != nil {
			return err
		}
		to, ok := p.stage(m.Stage)
		if !ok {
			return unknownStage("body.stage", m.Stage, p)
		}
		if o.Status != string(Open) {
			return fault.Newf(fault.Conflict, "opportunity_closed", "the opportunity was %s on %s: a closed opportunity does not move",
				o.Status, o.ClosedAt.Format("2006-01-02"))
		}
		if to.ID == o.StageID {
			return fault.Newf(fault.Conflict, "same_stage", "the opportunity is already in stage %q", to.Key)
		}
		m.Reason = strings.TrimSpace(m.Reason)
		if to.Outcome != Open && m.Reason == "" {
			return fault.Field("body.reason", fmt.Sprintf("must say why the opportunity was %s", to.Outcome), "")
		}
		if len(m.Reason) > 1000 {
			return fault.Field("body.reason", "has at most 1000 characters", "")
		}
		if err := refuseOpenRequired(db, &o, p); err != nil {
			return err
		}
		if err := s.enter(ctx, db, entry{p: &p, o: &o, to: to, by: &me.UserID, reason: m.Reason}); err != nil {
			return err
		}
		out, err = toOpportunity(o, &p, s.now())
		return err
	})
	if err != nil {
		return Opportunity{}, fmt.Errorf("move opportunity %s: %w", id, err)
	}
	return out, nil
}

// refuseOpenRequired names the required tasks that keep the opportunity in its stage.
func refuseOpenRequired(db *gorm.DB, o *opportunityRow, p Pipeline) error {
	open, err := openRequired(db, o)
	if err != nil || len(open) == 0 {
		return err
	}
	st, _ := p.stageByID(o.StageID)
	details := make([]fault.Detail, len(open))
	titles := make([]string, len(open))
	for i, t := range open {
		titles[i] = fmt.Sprintf("%q", t.Title)
		details[i] = fault.Detail{Location: "task:" + t.ID.String(), Message: "required task still open: " + t.Title, Value: t.ID.String()}
	}
	return fault.New(fault.Conflict, "required_tasks_open",
		fmt.Sprintf("stage %q cannot be left while its required tasks are open: %s", st.Key, strings.Join(titles, ", ")), details...)
}

// GetOpportunity returns one opportunity with its stage history.
func (s *Service) GetOpportunity(ctx context.Context, id uuid.UUID) (Opportunity, error) {
	var out Opportunity
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		o, p, err := s.loadOpportunity(ctx, db, id, access.Read)
		if err != nil {
			return err
		}
		now := s.now()
		if out, err = toOpportunity(o, &p, now); err != nil {
			return err
		}
		var moves []moveRow
		if err := db.Where("opportunity_id = ?", id).Order("moved_at, id").Find(&moves).Error; err != nil {
			return err
		}
		out.History = history(moves, &p, o, now)
		out.Engagement, err = s.engagement(ctx, o, now)
		return err
	})
	if err != nil {
		return Opportunity{}, fmt.Errorf("get opportunity %s: %w", id, err)
	}
	return out, nil
}

// maxFollowUp is the longest period the follow-up is measured over (the activities domain's
// limit): an opportunity open longer is measured over its latest 400 days.
const maxFollowUp = 400 * 24 * time.Hour

// engagement measures the opportunity's follow-up from its opening until now, or its close.
func (s *Service) engagement(ctx context.Context, o opportunityRow, now time.Time) (*Engagement, error) {
	if s.deps.FollowUp == nil {
		return nil, nil
	}
	to := now
	if o.ClosedAt != nil {
		to = *o.ClosedAt
	}
	to = to.Add(time.Second) // the period is half-open; the last touch counts
	from := o.CreatedAt
	if to.Sub(from) > maxFollowUp {
		from = to.Add(-maxFollowUp)
	}
	e, err := s.deps.FollowUp(ctx, o.ID, from, to)
	if err != nil {
		return nil, fmt.Errorf("follow-up: %w", err)
	}
	return &e, nil
}

// history turns stored moves into the path through the pipeline, with the time spent in each
// stage: until the next move, or until now (or the close) for the last.
func history(moves []moveRow, p *Pipeline, o opportunityRow, now time.Time) []StageMove {
	out := make([]StageMove, len(moves))
	for i, m := range moves {
		to, _ := p.stageByID(m.ToStageID)
		out[i] = StageMove{ToStage: to.Key, MovedAt: m.MovedAt, MovedBy: m.MovedBy, Reason: m.Reason}
		if m.FromStageID != nil {
			from, _ := p.stageByID(*m.FromStageID)
			out[i].FromStage = &from.Key
		}
		end := now
		if i+1 < len(moves) {
			end = moves[i+1].MovedAt
		} else if o.ClosedAt != nil {
			end = *o.ClosedAt
		}
		out[i].TimeInStage = end.Sub(m.MovedAt)
	}
	return out
}
