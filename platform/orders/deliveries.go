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
)

// clockSkew is how far in the future a phone may date what it records before it is refused.
const clockSkew = 5 * time.Minute

// RecordDelivery records what reached the customer. Deliveries are taken only once the order is
// shipped: shipping is the record that the goods left, and a delivery before it would skip that.
// Each line's quantity may not exceed what is still outstanding on it. When every line is
// delivered in full the order becomes delivered (and paid, if payments already cover it).
func (s *Service) RecordDelivery(ctx context.Context, id uuid.UUID, in NewDelivery) (Order, Delivery, error) {
	p, err := identity.SignedIn(ctx, "record a delivery")
	if err != nil {
		return Order{}, Delivery{}, err
	}
	if in.Note, err = text(in.Note, "body.note", MaxCommentLen, false); err != nil {
		return Order{}, Delivery{}, err
	}
	if len(in.Lines) == 0 {
		return Order{}, Delivery{}, fault.Field("body.lines", "must name at least one line delivered", nil)
	}
	seen := map[int]bool{}
	for i, l := range in.Lines {
		if seen[l.Line] {
			return Order{}, Delivery{}, lineError(i, "line", "appears twice: give each line once with its whole quantity", l.Line)
		}
		seen[l.Line] = true
		if !l.Quantity.IsPositive() || !fits(l.Quantity, Scale) {
			return Order{}, Delivery{}, lineError(i, "quantity", fmt.Sprintf("must be greater than 0, with at most %d decimal places", Scale), l.Quantity.String())
		}
	}
	now := s.now()
	if in.DeliveredAt.IsZero() {
		in.DeliveredAt = now
	}
	if in.DeliveredAt.After(now.Add(clockSkew)) {
		return Order{}, Delivery{}, fault.Field("body.delivered_at", "is in the future", in.DeliveredAt)
	}
	var o Order
	var d Delivery
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if o, _, err = s.loadOrder(ctx, db, id, access.Update, true); err != nil {
			return err
		}
		if o.Status != Shipped {
			return fault.Newf(fault.Conflict, "not_shipped",
				"the order is %s: deliveries are recorded once it is shipped", o.Status)
		}
		if err := loadLines(db, &o); err != nil {
			return err
		}
		d, err = s.deliver(ctx, db, &o, p.UserID, in, "")
		return err
	})
	if err != nil {
		return Order{}, Delivery{}, fmt.Errorf("record delivery of order %s: %w", id, err)
	}
	return o, d, nil
}

// deliver records a delivery of a shipped order whose lines are loaded, and moves the order on
// when it completes it. comment goes into the history of that move.
func (s *Service) deliver(_ context.Context, db *gorm.DB, o *Order, actor uuid.UUID, in NewDelivery, comment string) (Delivery, error) {
	byNo := map[int]*Line{}
	for i := range o.Lines {
		byNo[o.Lines[i].No] = &o.Lines[i]
	}
	now := s.now()
	d := Delivery{ID: identity.NewID(), OrderID: o.ID, DeliveredAt: in.DeliveredAt.UTC(), Note: in.Note, Lines: in.Lines,
		RecordedBy: actor, CreatedAt: now}
	rows := make([]deliveryLineRow, len(in.Lines))
	for i, dl := range in.Lines {
		l, ok := byNo[dl.Line]
		if !ok {
			return Delivery{}, lineError(i, "line", fmt.Sprintf("does not exist: the order has lines 1 to %d", len(o.Lines)), dl.Line)
		}
		if left := l.Remaining(); dl.Quantity.GreaterThan(left) {
			msg := fmt.Sprintf("line %d (%s): %s %s ordered, %s delivered already, so at most %s more, not %s",
				l.No, l.SKU, l.Quantity, l.Unit, l.Delivered, left, dl.Quantity)
			return Delivery{}, fault.New(fault.Conflict, "over_delivery", msg,
				fault.Detail{Location: fmt.Sprintf("body.lines[%d].quantity", i), Message: msg, Value: dl.Quantity.String()})
		}
		l.Delivered = l.Delivered.Add(dl.Quantity)
		rows[i] = deliveryLineRow{DeliveryID: d.ID, OrderID: o.ID, LineNo: dl.Line, Quantity: dl.Quantity}
	}
	err := db.Create(&deliveryRow{ID: d.ID, OrderID: o.ID, DeliveredAt: d.DeliveredAt, Note: d.Note, RecordedBy: actor, CreatedAt: now}).Error
	if err != nil {
		return Delivery{}, fmt.Errorf("store delivery: %w", err)
	}
	if err := db.Create(&rows).Error; err != nil {
		return Delivery{}, fmt.Errorf("store delivered lines: %w", err)
	}
	if len(remaining(*o)) > 0 {
		return d, db.Model(&orderRow{}).Where("id = ?", o.ID).Update("updated_at", now).Error
	}
	if comment == "" {
		comment = "every line delivered in full"
	}
	o.DeliveredAt = &d.DeliveredAt
	if err := s.move(db, o, Delivered, actor, comment, now); err != nil {
		return Delivery{}, err
	}
	return d, s.settleIfPaid(db, o, actor, now)
}

// remaining lists what is still to deliver of each line.
func remaining(o Order) []DeliveredLine {
	var out []DeliveredLine
	for _, l := range o.Lines {
		if left := l.Remaining(); left.IsPositive() {
			out = append(out, DeliveredLine{Line: l.No, Quantity: left})
		}
	}
	return out
}

// Deliveries returns an order's deliveries, oldest first.
func (s *Service) Deliveries(ctx context.Context, id uuid.UUID) ([]Delivery, error) {
	var out []Delivery
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if _, _, err := s.loadOrder(ctx, db, id, access.Read, false); err != nil {
			return err
		}
		var rows []deliveryRow
		if err := db.Where("order_id = ?", id).Order("delivered_at, id").Find(&rows).Error; err != nil {
			return err
		}
		var lines []deliveryLineRow
		if err := db.Where("order_id = ?", id).Order("line_no").Find(&lines).Error; err != nil {
			return err
		}
		byDelivery := map[uuid.UUID][]DeliveredLine{}
		for _, l := range lines {
			byDelivery[l.DeliveryID] = append(byDelivery[l.DeliveryID], DeliveredLine{Line: l.LineNo, Quantity: l.Quantity})
		}
		out = make([]Delivery, len(rows))
		for i, r := range rows {
			out[i] = Delivery{ID: r.ID, OrderID: r.OrderID, DeliveredAt: r.DeliveredAt.UTC(), Note: r.Note,
				Lines: byDelivery[r.ID], RecordedBy: r.RecordedBy, CreatedAt: r.CreatedAt.UTC()}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("deliveries of order %s: %w", id, err)
	}
	return out, nil
}
