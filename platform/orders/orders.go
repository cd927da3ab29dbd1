package orders

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// orderColumns place an order for scopes: owned by its rep, in its customer's region.
var orderColumns = access.Columns{Owner: "orders.owner_id", RegionID: "orders.region_id"}

func orderResource(kind access.Kind, o Order, regionPath string) access.Resource {
	return access.Resource{Kind: kind, ID: o.ID, OwnerID: o.OwnerID, RegionPath: regionPath}
}

// checkOpportunity refuses an order naming an opportunity the caller cannot see, another
// customer's, or a lost one.
func (s *Service) checkOpportunity(ctx context.Context, o Order) error {
	if o.OpportunityID == nil || s.opts.Opportunity == nil {
		return nil
	}
	ref, err := s.opts.Opportunity(ctx, *o.OpportunityID)
	switch {
	case fault.Is(err, fault.NotFound):
		return fault.Reference("body.opportunity_id", "there is no such opportunity", *o.OpportunityID)
	case err != nil:
		return err
	case ref.CustomerID != o.CustomerID:
		return fault.Field("body.opportunity_id", "is another customer's opportunity", o.OpportunityID.String())
	case ref.Lost:
		return fault.Field("body.opportunity_id", "was lost: a lost opportunity takes no orders", o.OpportunityID.String())
	}
	return nil
}

// CreateOrder starts a draft order for a customer the caller can see. The order belongs to the
// customer's rep and region, so the rep and their managers see it whoever typed it in. With the
// client's own id (in.ID), a retry of the same request answers the order its first attempt made,
// as it now stands (created is then false); the same id with other content is a conflict.
func (s *Service) CreateOrder(ctx context.Context, in NewOrder) (Order, bool, error) {
	p, err := identity.SignedIn(ctx, "create an order")
	if err != nil {
		return Order{}, false, err
	}
	id, fingerprint := in.ID, orderFingerprint(p.UserID, in)
	if id == uuid.Nil {
		id, fingerprint = identity.NewID(), ""
	}
	o := Order{ID: id, CustomerID: in.CustomerID, Currency: in.Currency, Status: Draft, VisitID: in.VisitID,
		OpportunityID: in.OpportunityID, PaymentTermsDays: DefaultPaymentTerms, CreatedBy: p.UserID}
	if in.PaymentTermsDays != nil {
		if o.PaymentTermsDays, err = checkTerms(*in.PaymentTermsDays); err != nil {
			return Order{}, false, err
		}
	}
	if o.Notes, err = text(in.Notes, "body.notes", MaxNotesLen, false); err != nil {
		return Order{}, false, err
	}
	if err := checkLineInputs(in.Lines); err != nil {
		return Order{}, false, err
	}
	created := true
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if fingerprint != "" {
			prior, retried, err := s.earlierOrder(ctx, db, id, fingerprint)
			if err != nil || retried {
				o, created = prior, false
				return err
			}
		}
		if err := s.checkCurrency(ctx, o.Currency, "body.currency"); err != nil {
			return err
		}
		c, err := s.customer(ctx, in.CustomerID, "body.customer_id")
		if err != nil {
			return err
		}
		o.OwnerID, o.RegionID = c.OwnerID, c.RegionID
		if err := s.checkOpportunity(ctx, o); err != nil {
			return err
		}
		path, err := regionPath(db, o.RegionID)
		if err != nil {
			return err
		}
		if err := s.warden.Check(ctx, access.Create, orderResource(access.KindOrder, o, path)); err != nil {
			return err
		}
		lines, err := priceLines(db, in.Lines, o.Currency)
		if err != nil {
			return err
		}
		o.setLines(lines)
		o.CreatedAt, o.UpdatedAt = s.now(), s.now()
		row := toOrderRow(o)
		if fingerprint != "" {
			row.Fingerprint = &fingerprint
		}
		if err := db.Create(&row).Error; err != nil {
			if store.IsForeignKeyViolation(err) && o.VisitID != nil {
				return fault.Reference("body.visit_id", "there is no such visit", *o.VisitID)
			}
			return fmt.Errorf("store order: %w", err)
		}
		if err := insertLines(db, o); err != nil {
			return err
		}
		return addTransition(db, o.ID, "", Draft, p.UserID, "", o.CreatedAt)
	})
	if err != nil && fingerprint != "" && store.IsUniqueViolation(err) {
		// A retry of this very request, run at the same moment, stored it first.
		err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
			prior, retried, err := s.earlierOrder(ctx, db, id, fingerprint)
			if err == nil && !retried {
				err = fmt.Errorf("order %s neither stored nor found", id)
			}
			o, created = prior, false
			return err
		})
	}
	if err != nil {
		return Order{}, false, fmt.Errorf("create order: %w", err)
	}
	return o, created, nil
}

// GetOrder returns one order with its lines; one outside the caller's scope is not found.
func (s *Service) GetOrder(ctx context.Context, id uuid.UUID) (Order, error) {
	var o Order
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var err error
		if o, _, err = s.loadOrder(ctx, db, id, access.Read, false); err != nil {
			return err
		}
		return loadLines(db, &o)
	})
	if err != nil {
		return Order{}, fmt.Errorf("get order %s: %w", id, err)
	}
	return o, nil
}

// UpdateDraft changes a draft: its lines (all replaced), terms or notes. Once submitted an order's
// lines are what was agreed: it must be sent back to draft to change them.
func (s *Service) UpdateDraft(ctx context.Context, id uuid.UUID, ch DraftChanges) (Order, error) {
	var terms int
	var err error
	if ch.PaymentTermsDays != nil {
		if terms, err = checkTerms(*ch.PaymentTermsDays); err != nil {
			return Order{}, err
		}
	}
	var notes string
	if ch.Notes != nil {
		if notes, err = text(*ch.Notes, "body.notes", MaxNotesLen, false); err != nil {
			return Order{}, err
		}
	}
	if ch.Lines != nil {
		if err := checkLineInputs(ch.Lines); err != nil {
			return Order{}, err
		}
	}
	var o Order
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if o, _, err = s.loadOrder(ctx, db, id, access.Update, true); err != nil {
			return err
		}
		if o.Status != Draft {
			return fault.Newf(fault.Conflict, "not_draft",
				"the order is %s: only a draft can be changed; a submitted order can be sent back to draft first", o.Status)
		}
		if ch.PaymentTermsDays != nil {
			o.PaymentTermsDays = terms
		}
		if ch.Notes != nil {
			o.Notes = notes
		}
		if ch.Lines != nil {
			lines, err := priceLines(db, ch.Lines, o.Currency)
			if err != nil {
				return err
			}
			o.setLines(lines)
			if err := db.Where("order_id = ?", o.ID).Delete(&lineRow{}).Error; err != nil {
				return fmt.Errorf("replace lines: %w", err)
			}
			if err := insertLines(db, o); err != nil {
				return err
			}
		}
		o.UpdatedAt = s.now()
		err := db.Model(&orderRow{}).Where("id = ?", o.ID).Updates(map[string]any{"payment_terms_days": o.PaymentTermsDays,
			"notes": o.Notes, "gross": o.Gross, "discount": o.Discount, "total": o.Total, "updated_at": o.UpdatedAt}).Error
		if err != nil {
			return err
		}
		return loadLines(db, &o)
	})
	if err != nil {
		return Order{}, fmt.Errorf("update order %s: %w", id, err)
	}
	return o, nil
}

// ListOrders returns the orders the caller may list, newest first, one page at a time.
func (s *Service) ListOrders(ctx context.Context, f OrderFilter) (OrderPage, error) {
	if f.Status != "" && !f.Status.Valid() {
		return OrderPage{}, fault.Field("query.status", "is not an order status", string(f.Status))
	}
	if !f.DueFrom.IsZero() && !f.DueTo.IsZero() && !f.DueTo.After(f.DueFrom) {
		return OrderPage{}, fault.Field("query.due_to", "must be after due_from", f.DueTo)
	}
	loc, err := s.timeZone(ctx)
	if err != nil {
		return OrderPage{}, err
	}
	limit := pageLimit(f.Limit)
	var page OrderPage
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, access.KindOrder, orderColumns)
		if err != nil {
			return err
		}
		q := db.Model(&orderRow{}).Scopes(scope)
		if f.Status != "" {
			q = q.Where("orders.status = ?", string(f.Status))
		}
		if f.CustomerID != nil {
			q = q.Where("orders.customer_id = ?", *f.CustomerID)
		}
		if f.OwnerID != nil {
			q = q.Where("orders.owner_id = ?", *f.OwnerID)
		}
		if !f.From.IsZero() {
			q = q.Where("orders.created_at >= ?", f.From.UTC())
		}
		if !f.To.IsZero() {
			q = q.Where("orders.created_at < ?", f.To.UTC())
		}
		if !f.CountedFrom.IsZero() || !f.CountedTo.IsZero() {
			q = q.Where("orders.status <> ? AND orders.approved_at IS NOT NULL", string(Cancelled))
		}
		if !f.CountedFrom.IsZero() {
			q = q.Where("orders.approved_at >= ?", f.CountedFrom.UTC())
		}
		if !f.CountedTo.IsZero() {
			q = q.Where("orders.approved_at < ?", f.CountedTo.UTC())
		}
		if !f.DueFrom.IsZero() || !f.DueTo.IsZero() {
			q = fallingDue(q, f.DueFrom, f.DueTo, loc)
		}
		if f.After != nil {
			q = q.Where("orders.id < ?", *f.After)
		}
		var rows []orderRow
		if err := q.Order("orders.id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) > limit {
			rows = rows[:limit]
			last := rows[len(rows)-1].ID
			page.Next = &last
		}
		page.Orders = make([]Order, len(rows))
		for i, r := range rows {
			page.Orders[i] = toOrder(r)
		}
		if f.DueTo.IsZero() {
			return nil
		}
		page.Collected, err = collectedBefore(db, page.Orders, f.DueTo)
		return err
	})
	if err != nil {
		return OrderPage{}, fmt.Errorf("list orders: %w", err)
	}
	return page, nil
}

// collectedBefore is what was received for each of orders before to, as the collection figures
// count it (paidBefore); summed here because SQLite cannot sum money (see sumPerRep).
func collectedBefore(db *gorm.DB, orders []Order, to time.Time) (map[uuid.UUID]decimal.Decimal, error) {
	out := make(map[uuid.UUID]decimal.Decimal, len(orders))
	ids := make([]uuid.UUID, len(orders))
	for i, o := range orders {
		ids[i], out[o.ID] = o.ID, decimal.Zero
	}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID     uuid.UUID
		Amount decimal.Decimal
	}
	err := paidBefore(db.Model(&orderRow{}).Where("orders.id IN ?", ids), to).Select("orders.id, payments.amount").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("sum payments: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = out[r.ID].Add(r.Amount)
	}
	return out, nil
}

// loadOrder loads an order (locked for update when lock is set) and asks the warden whether the
// caller may `a` it; one outside the caller's scope is not found, like a missing one. It returns
// the path of the order's region too, for decisions on other kinds.
func (s *Service) loadOrder(ctx context.Context, db *gorm.DB, id uuid.UUID, a access.Action, lock bool) (Order, string, error) {
	q := db
	if lock {
		q = s.locked(db)
	}
	var r orderRow
	err := q.Where("id = ?", id).Take(&r).Error
	if store.IsNotFound(err) {
		return Order{}, "", fault.NotFoundf("order")
	}
	if err != nil {
		return Order{}, "", fmt.Errorf("load order: %w", err)
	}
	o := toOrder(r)
	path, err := regionPath(db, o.RegionID)
	if err != nil {
		return Order{}, "", err
	}
	if err := s.warden.CheckRow(ctx, a, orderResource(access.KindOrder, o, path), "order"); err != nil {
		return Order{}, "", err
	}
	return o, path, nil
}

// setLines makes lines o's, with the order's sums.
func (o *Order) setLines(lines []Line) {
	o.Lines = lines
	o.Gross, o.Discount, o.Total = decimal.Zero, decimal.Zero, decimal.Zero
	for _, l := range lines {
		o.Gross = o.Gross.Add(l.Gross)
		o.Discount = o.Discount.Add(l.Discount)
		o.Total = o.Total.Add(l.Net)
	}
}

func insertLines(db *gorm.DB, o Order) error {
	if len(o.Lines) == 0 {
		return nil
	}
	rows := make([]lineRow, len(o.Lines))
	for i, l := range o.Lines {
		rows[i] = lineRow{OrderID: o.ID, LineNo: l.No, ProductID: l.ProductID, Quantity: l.Quantity, UnitPrice: l.UnitPrice,
			DiscountPct: l.DiscountPct, Gross: l.Gross, Discount: l.Discount, Net: l.Net}
	}
	if err := db.Create(&rows).Error; err != nil {
		return fmt.Errorf("store order lines: %w", err)
	}
	return nil
}

func checkTerms(days int) (int, error) {
	if days < 0 || days > 365 {
		return 0, fault.Field("body.payment_terms_days", "must be between 0 and 365 days", days)
	}
	return days, nil
}
