package orders

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
)

// Reminders delivers a reminder to a user's inbox. key makes it unique: a second reminder with a
// key already delivered is dropped, so a timer worked twice reminds once. cmd wires it to the
// pipeline domain's reminder inbox (GET /api/v1/reminders).
type Reminders interface {
	Remind(ctx context.Context, userID uuid.UUID, kind, message, key string) error
}

// ReminderReplenishmentDue is the kind of the reminder that a customer is due to reorder.
const ReminderReplenishmentDue = "replenishment_due"

// ReplenishmentLeadDays is how many days before the predicted order day its rep is reminded: two
// leave room to fit a visit or a call into the week's route before the shelf runs out.
const ReplenishmentLeadDays = 2

// reminderHour is the hour, in the tenant's zone, at which the reminder is due: the start of a
// rep's day, when the day's route is planned.
const reminderHour = 8

// replenishmentDue is the timer of one prediction. It carries the prediction it was set for:
// every approval (and cancellation of an approved order) sets a timer for the new prediction, so
// when an older timer fires its prediction no longer holds and it does nothing.
type replenishmentDue struct {
	jobs.Tenant
	CustomerID   uuid.UUID `json:"customer_id"`
	LastOrderDay string    `json:"last_order_day"` // YYYY-MM-DD
	PredictedDay string    `json:"predicted_day"`  // YYYY-MM-DD
}

func (replenishmentDue) Kind() string { return "orders.replenishment_due" }

// scheduleReplenishment sets the timer of the customer's prediction as the transaction of ctx
// leaves it: the timer exists only if that transaction commits.
func (s *Service) scheduleReplenishment(ctx context.Context, db *gorm.DB, customer uuid.UUID) error {
	if s.queue == nil {
		return nil
	}
	loc, err := s.timeZone(ctx)
	if err != nil {
		return err
	}
	h, err := customerHistory(db, customer, loc)
	if err != nil {
		return err
	}
	p, ok := predictNextOrder(h.days)
	if !ok {
		return nil
	}
	args := replenishmentDue{Tenant: jobs.Tenant{TenantID: identity.TenantID(ctx)}, CustomerID: customer,
		LastOrderDay: p.LastOrderDay.Format(time.DateOnly), PredictedDay: p.NextOrderDay.Format(time.DateOnly)}
	// A time already past (a late approval) fires at once.
	return s.queue.Enqueue(ctx, args, remindAt(p.NextOrderDay, loc))
}

// remindAt is when the rep hears of a predicted order day: ReplenishmentLeadDays before it, at
// reminderHour in the tenant's zone.
func remindAt(predicted time.Time, loc *time.Location) time.Time {
	y, m, d := predicted.AddDate(0, 0, -ReplenishmentLeadDays).Date()
	return time.Date(y, m, d, reminderHour, 0, 0, 0, loc)
}

// onReplenishmentDue works a timer inside its tenant's transaction: it recomputes the prediction
// and reminds the rep of the customer's latest order, unless the prediction changed since the
// timer was set (the customer ordered again, or an order was cancelled: that change set its own
// timer). Without Reminders it does nothing.
func (s *Service) onReplenishmentDue(ctx context.Context, a replenishmentDue) error {
	if s.reminders == nil {
		return nil
	}
	return s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		loc, err := s.timeZone(ctx)
		if err != nil {
			return err
		}
		h, err := customerHistory(db, a.CustomerID, loc)
		if err != nil {
			return err
		}
		p, ok := predictNextOrder(h.days)
		last, next := p.LastOrderDay.Format(time.DateOnly), p.NextOrderDay.Format(time.DateOnly)
		if !ok || last != a.LastOrderDay || next != a.PredictedDay {
			return nil
		}
		// One reminder per customer and predicted day, however often its timers fire. The inbox
		// scopes keys by kind, so the kind is not repeated here.
		key := a.CustomerID.String() + ":" + next
		msg := fmt.Sprintf("customer %s usually reorders every %d days and last ordered on %s: its next order is expected on %s",
			a.CustomerID, p.IntervalDays, last, next)
		return s.reminders.Remind(ctx, h.owner, ReminderReplenishmentDue, msg, key)
	})
}

// customerHistory is one customer's order history (empty when it has no counted order).
func customerHistory(db *gorm.DB, customer uuid.UUID, loc *time.Location) (orderHistory, error) {
	hs, err := orderHistories(db.Where("orders.customer_id = ?", customer), loc)
	if err != nil || len(hs) == 0 {
		return orderHistory{customer: customer}, err
	}
	return hs[0], nil
}
