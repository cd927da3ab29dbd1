package orders

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/money"
)

// payable are the statuses in which an order takes payments: once approved (the customer owes it
// from then, and may pay ahead of delivery) until it is paid.
var payable = []string{string(Approved), string(Shipped), string(Delivered)}

// RecordPayment records money received for an order, in the order's currency. A payment larger
// than the balance is refused (no overpayment, no credit notes here). A delivered order whose
// balance reaches zero becomes paid.
//
// The payment's id is the phone's: a retry with the same id and the same content answers the
// stored payment and the order as it now stands (created is then false), whatever happened to the
// order since, and records nothing; the same id with other content is a conflict.
func (s *Service) RecordPayment(ctx context.Context, id uuid.UUID, in NewPayment) (o Order, pay Payment, created bool, err error) {
	p, err := identity.SignedIn(ctx, "record a payment")
	if err != nil {
		return Order{}, Payment{}, false, err
	}
	if in.ID == uuid.Nil {
		return Order{}, Payment{}, false, fault.Field("body.id", "is required: the phone's own UUID for the payment", nil)
	}
	if !in.Amount.IsPositive() {
		return Order{}, Payment{}, false, fault.Field("body.amount", "must be greater than 0", in.Amount.String())
	}
	if !in.Method.Valid() {
		return Order{}, Payment{}, false, fault.Field("body.method", "must be cash, bank_transfer, card, cheque, mobile or other", string(in.Method))
	}
	if in.Reference, err = text(in.Reference, "body.reference", MaxRefLen, false); err != nil {
		return Order{}, Payment{}, false, err
	}
	// The fingerprint is taken before defaults are filled in: a retry leaving out received_at
	// must match the first attempt, which also left it out.
	fingerprint := paymentFingerprint(id, p.UserID, in)
	now := s.now()
	if in.ReceivedAt.IsZero() {
		in.ReceivedAt = now
	}
	if in.ReceivedAt.After(now.Add(clockSkew)) {
		return Order{}, Payment{}, false, fault.Field("body.received_at", "is in the future", in.ReceivedAt)
	}
	pay = Payment{ID: in.ID, OrderID: id, Amount: in.Amount, ReceivedAt: in.ReceivedAt.UTC(), Method: in.Method,
		Reference: in.Reference, RecordedBy: p.UserID, CreatedAt: now}
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if o, _, err = s.loadOrder(ctx, db, id, access.Update, true); err != nil {
			return err
		}
		// Under the order's lock, so a concurrent retry of this payment waits and finds it here.
		prior, retried, err := earlierPayment(db, in.ID, fingerprint)
		if err != nil {
			return err
		}
		if retried {
			pay = prior
			return loadLines(db, &o)
		}
		if o.Status != Approved && o.Status != Shipped && o.Status != Delivered {
			return fault.Newf(fault.Conflict, "not_payable",
				"the order is %s: payments are taken from its approval until it is paid", o.Status)
		}
		units := money.Places(o.Currency)
		if !fits(in.Amount, units) {
			return fault.Field("body.amount", fmt.Sprintf("has more than %d decimal places, the smallest unit of %s", units, o.Currency), in.Amount.String())
		}
		if balance := o.Balance(); in.Amount.GreaterThan(balance) {
			msg := fmt.Sprintf("%s %s is more than the balance of %s %s: overpayment is refused",
				money.Format(in.Amount, o.Currency), o.Currency, money.Format(balance, o.Currency), o.Currency)
			return fault.New(fault.Conflict, "overpayment", msg, fault.Detail{Location: "body.amount", Message: msg, Value: in.Amount.String()})
		}
		if pay, created, err = insertPayment(db, pay, fingerprint); err != nil {
			return err
		}
		if !created {
			return loadLines(db, &o)
		}
		o.Paid, o.UpdatedAt = o.Paid.Add(in.Amount), now
		err = db.Model(&orderRow{}).Where("id = ?", o.ID).Updates(map[string]any{"amount_paid": o.Paid, "updated_at": now}).Error
		if err != nil {
			return fmt.Errorf("update amount paid: %w", err)
		}
		if err := s.settleIfPaid(db, &o, p.UserID, now); err != nil {
			return err
		}
		return loadLines(db, &o)
	})
	if err != nil {
		return Order{}, Payment{}, false, fmt.Errorf("record payment for order %s: %w", id, err)
	}
	return o, pay, created, nil
}

// settleIfPaid makes a delivered order with nothing left to pay paid.
func (s *Service) settleIfPaid(db *gorm.DB, o *Order, actor uuid.UUID, at time.Time) error {
	if o.Status != Delivered || o.Balance().IsPositive() {
		return nil
	}
	return s.move(db, o, Paid, actor, "paid in full", at)
}

// Payments returns an order's payments, oldest first.
func (s *Service) Payments(ctx context.Context, id uuid.UUID) ([]Payment, error) {
	var out []Payment
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if _, _, err := s.loadOrder(ctx, db, id, access.Read, false); err != nil {
			return err
		}
		var rows []paymentRow
		if err := db.Where("order_id = ?", id).Order("received_at, id").Find(&rows).Error; err != nil {
			return err
		}
		out = make([]Payment, len(rows))
		for i, r := range rows {
			out[i] = toPayment(r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("payments of order %s: %w", id, err)
	}
	return out, nil
}

// ReceivableFilter narrows OverdueReceivables.
type ReceivableFilter struct {
	OwnerID    *uuid.UUID
	CustomerID *uuid.UUID
	Limit      int
	After      *uuid.UUID // keyset cursor: the last order of the previous page
}

// ReceivablePage is one page of overdue receivables, the longest overdue first.
type ReceivablePage struct {
	Receivables []Receivable
	Next        *uuid.UUID
}

// OverdueReceivables lists the orders the caller may see that still owe money after their due
// day: approved, shipped or delivered, with a balance, and a due day before today in the
// tenant's zone. Days overdue count whole calendar days since the due day.
func (s *Service) OverdueReceivables(ctx context.Context, f ReceivableFilter) (ReceivablePage, error) {
	limit := pageLimit(f.Limit)
	loc, err := s.timeZone(ctx)
	if err != nil {
		return ReceivablePage{}, err
	}
	today := civilDay(s.now(), loc)
	var page ReceivablePage
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, access.KindOrder, orderColumns)
		if err != nil {
			return err
		}
		// The cast pre-filters on the balance; the decimal check below is the exact one.
		q := db.Model(&orderRow{}).Scopes(scope).
			Where("orders.status IN ? AND orders.due_on < ?", payable, today.Format(time.DateOnly)).
			Where("CAST(orders.amount_paid AS NUMERIC) < CAST(orders.total AS NUMERIC)")
		if f.OwnerID != nil {
			q = q.Where("orders.owner_id = ?", *f.OwnerID)
		}
		if f.CustomerID != nil {
			q = q.Where("orders.customer_id = ?", *f.CustomerID)
		}
		if f.After != nil {
			var last orderRow
			if err := db.Where("id = ?", *f.After).Take(&last).Error; err != nil || last.DueOn == nil {
				return fault.Field("query.cursor", "is not the next_cursor of a receivables page", f.After.String())
			}
			q = q.Where("(orders.due_on > ? OR (orders.due_on = ? AND orders.id > ?))", *last.DueOn, *last.DueOn, last.ID)
		}
		var rows []orderRow
		if err := q.Order("orders.due_on, orders.id").Limit(limit + 1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) > limit {
			rows = rows[:limit]
			last := rows[len(rows)-1].ID
			page.Next = &last
		}
		for _, r := range rows {
			o := toOrder(r)
			if !o.Balance().IsPositive() {
				continue
			}
			due, err := time.ParseInLocation(time.DateOnly, o.DueOn, loc)
			if err != nil {
				return fmt.Errorf("order %s: stored due day %q: %w", o.ID, o.DueOn, err)
			}
			page.Receivables = append(page.Receivables, Receivable{Order: o, Balance: o.Balance(), DaysOverdue: daysBetween(due, today)})
		}
		return nil
	})
	if err != nil {
		return ReceivablePage{}, fmt.Errorf("overdue receivables: %w", err)
	}
	return page, nil
}

// daysBetween counts calendar days from a to b, both midnights of one zone (a day with a
// daylight-saving change is still one day).
func daysBetween(a, b time.Time) int {
	ua := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	ub := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(ub.Sub(ua).Hours() / 24)
}
