package orders

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
	"github.com/repflow/repflow/platform/money"
)

// Status is where an order stands.
type Status string

// The statuses, in the order an order goes through them.
const (
	Draft     Status = "draft"
	Submitted Status = "submitted"
	Approved  Status = "approved"
	Shipped   Status = "shipped"
	Delivered Status = "delivered"
	Paid      Status = "paid"
	Cancelled Status = "cancelled"
)

// Statuses lists every status.
var Statuses = []Status{Draft, Submitted, Approved, Shipped, Delivered, Paid, Cancelled}

// Valid reports whether s is a status.
func (s Status) Valid() bool {
	_, ok := nextStatuses[s]
	return ok
}

// nextStatuses is the state machine: where an order may go from each status.
//
//   - draft → submitted: the rep sends it for approval (it needs a line); draft → cancelled.
//   - submitted → approved: a manager with the order-approval right, never the order's own rep
//     nor whoever created it. submitted → draft sends it back for changes; submitted → cancelled.
//   - approved → shipped, or approved → cancelled (only while no payment has been received).
//   - shipped → delivered: deliveries record what arrived, line by line; the order becomes
//     delivered when every line is delivered in full. Asking for "delivered" by hand records one
//     delivery of everything still outstanding.
//   - delivered → paid: never by hand; the order becomes paid when payments cover its total.
//
// Paid and cancelled are final. Cancelling needs a comment saying why.
var nextStatuses = map[Status][]Status{
	Draft:     {Submitted, Cancelled},
	Submitted: {Approved, Draft, Cancelled},
	Approved:  {Shipped, Cancelled},
	Shipped:   {Delivered},
	Delivered: {Paid},
	Paid:      {},
	Cancelled: {},
}

// Next lists the statuses an order in s may go to.
func (s Status) Next() []Status { return append([]Status(nil), nextStatuses[s]...) }

// CanGo reports whether the state machine has the step from → to.
func CanGo(from, to Status) bool {
	for _, n := range nextStatuses[from] {
		if n == to {
			return true
		}
	}
	return false
}

// refuseTransition is the 409 of a step the state machine does not have: it names where the order
// is and where it may go.
func refuseTransition(from, to Status) error {
	next := nextStatuses[from]
	var msg string
	if len(next) == 0 {
		msg = fmt.Sprintf("the order is %s, which is final: it cannot become %s", from, to)
	} else {
		names := make([]string, len(next))
		for i, n := range next {
			names[i] = string(n)
		}
		msg = fmt.Sprintf("the order is %s: it can go to %s from there, not to %s", from, strings.Join(names, " or "), to)
	}
	return fault.New(fault.Conflict, "invalid_transition", msg,
		fault.Detail{Location: "body.to", Message: msg, Value: string(to)})
}

// Transition moves an order to status to, with a comment that goes into its history.
func (s *Service) Transition(ctx context.Context, id uuid.UUID, to Status, comment string) (Order, error) {
	p, err := identity.SignedIn(ctx, "change an order's status")
	if err != nil {
		return Order{}, err
	}
	if !to.Valid() {
		return Order{}, fault.Field("body.to", "is not an order status", string(to))
	}
	if comment, err = text(comment, "body.comment", MaxCommentLen, to == Cancelled); err != nil {
		return Order{}, err
	}
	var o Order
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var path string
		if o, path, err = s.loadOrder(ctx, db, id, access.Read, true); err != nil {
			return err
		}
		if !CanGo(o.Status, to) {
			return refuseTransition(o.Status, to)
		}
		if err := s.mayTransition(ctx, p, o, path, to); err != nil {
			return err
		}
		if err := loadLines(db, &o); err != nil {
			return err
		}
		now := s.now()
		switch to {
		case Submitted:
			if len(o.Lines) == 0 {
				return fault.New(fault.Conflict, "no_lines", "the order has no lines: add at least one before submitting it")
			}
		case Approved:
			loc, err := s.timeZone(ctx)
			if err != nil {
				return err
			}
			o.ApprovedAt = &now
			o.DueOn = civilDay(now, loc).AddDate(0, 0, o.PaymentTermsDays).Format(time.DateOnly)
		case Cancelled:
			if o.Paid.IsPositive() {
				return fault.Newf(fault.Conflict, "has_payments",
					"%s %s has been received for the order, so it cannot be cancelled", money.Format(o.Paid, o.Currency), o.Currency)
			}
		case Delivered:
			_, err := s.deliver(ctx, db, &o, p.UserID, NewDelivery{DeliveredAt: now, Note: comment, Lines: remaining(o)}, comment)
			return err
		case Paid:
			return fault.New(fault.Conflict, "paid_by_payments", fmt.Sprintf(
				"a delivered order becomes paid by itself when payments cover its balance (%s %s): record a payment",
				money.Format(o.Balance(), o.Currency), o.Currency), fault.Detail{Location: "body.to", Message: "is reached by payments", Value: string(to)})
		}
		if err := s.move(db, &o, to, p.UserID, comment, now); err != nil {
			return err
		}
		// Approving adds to the customer's order history and cancelling an approved order takes
		// from it: either changes the prediction, so a new timer replaces the customer's last.
		if to == Approved || (to == Cancelled && o.ApprovedAt != nil) {
			return s.scheduleReplenishment(ctx, db, o.CustomerID)
		}
		return nil
	})
	if err != nil {
		return Order{}, fmt.Errorf("move order %s to %s: %w", id, to, err)
	}
	return o, nil
}

// mayTransition decides whether p may take o to `to`: approving needs the approval right, and
// nobody approves an order that is their own or that they created; every other step is an update.
func (s *Service) mayTransition(ctx context.Context, p identity.Principal, o Order, path string, to Status) error {
	if to != Approved {
		return s.warden.Check(ctx, access.Update, orderResource(access.KindOrder, o, path))
	}
	if err := s.warden.Check(ctx, access.Create, orderResource(access.KindOrderApproval, o, path)); err != nil {
		return err
	}
	if o.OwnerID == p.UserID || o.CreatedBy == p.UserID {
		return fault.New(fault.Forbidden, "own_order", "nobody approves an order they own or created: another manager must")
	}
	return nil
}

// move records o's step to `to` and makes it so. Callers have checked the step is allowed.
func (s *Service) move(db *gorm.DB, o *Order, to Status, actor uuid.UUID, comment string, at time.Time) error {
	from := o.Status
	o.Status, o.UpdatedAt = to, at
	if err := addTransition(db, o.ID, from, to, actor, comment, at); err != nil {
		return err
	}
	changes := map[string]any{"status": string(to), "updated_at": at}
	if to == Approved {
		changes["approved_at"], changes["due_on"] = o.ApprovedAt, o.DueOn
	}
	if to == Delivered {
		changes["delivered_at"] = o.DeliveredAt
	}
	res := db.Model(&orderRow{}).Where("id = ? AND status = ?", o.ID, string(from)).Updates(changes)
	if res.Error != nil {
		return fmt.Errorf("update order status: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return fault.New(fault.Conflict, "concurrent_change", "someone changed the order at the same moment: reload it and try again")
	}
	return nil
}

func addTransition(db *gorm.DB, order uuid.UUID, from, to Status, actor uuid.UUID, comment string, at time.Time) error {
	r := transitionRow{ID: identity.NewID(), OrderID: order, ToStatus: string(to), ActorID: actor, Comment: comment, At: at}
	if from != "" {
		f := string(from)
		r.FromStatus = &f
	}
	if err := db.Create(&r).Error; err != nil {
		return fmt.Errorf("store transition: %w", err)
	}
	return nil
}

// Transitions returns an order's history, oldest first.
func (s *Service) Transitions(ctx context.Context, id uuid.UUID) ([]Transition, error) {
	var out []Transition
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if _, _, err := s.loadOrder(ctx, db, id, access.Read, false); err != nil {
			return err
		}
		var rows []transitionRow
		if err := db.Where("order_id = ?", id).Order("at, id").Find(&rows).Error; err != nil {
			return err
		}
		out = make([]Transition, len(rows))
		for i, r := range rows {
			out[i] = Transition{ID: r.ID, To: Status(r.ToStatus), ActorID: r.ActorID, Comment: r.Comment, At: r.At.UTC()}
			if r.FromStatus != nil {
				out[i].From = Status(*r.FromStatus)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("history of order %s: %w", id, err)
	}
	return out, nil
}
