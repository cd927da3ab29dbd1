package orders

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
)

// MaxReplenishmentDays is how far ahead the list of customers due to reorder looks at most.
const MaxReplenishmentDays = 90

// Replenishment is a customer's predicted next order, seen from today in the tenant's zone.
type Replenishment struct {
	CustomerID uuid.UUID
	OwnerID    uuid.UUID // the rep of the customer's latest order
	Prediction
	DaysUntil int // from today to the predicted day; negative when overdue
}

// countedOrder is the SQL condition of an order, in table t, that counts in its customer's
// history: approved once and not cancelled since.
func countedOrder(t string) string {
	return t + ".approved_at IS NOT NULL AND " + t + ".status <> '" + string(Cancelled) + "'"
}

// DueReplenishments lists the customers whose predicted next order falls within withinDays of
// today, or is past, the most overdue first. A customer is placed for access by its latest
// counted order, like that order: its rep sees it, and managers of that order's region, so a
// customer handed to another rep moves to the new rep's list with their first order. The
// prediction reads the customer's whole history, whoever took the earlier orders.
func (s *Service) DueReplenishments(ctx context.Context, withinDays int) ([]Replenishment, error) {
	if withinDays < 0 || withinDays > MaxReplenishmentDays {
		return nil, fault.Field("query.within_days", fmt.Sprintf("must be between 0 and %d days", MaxReplenishmentDays), withinDays)
	}
	loc, err := s.timeZone(ctx)
	if err != nil {
		return nil, err
	}
	today := orderDay(s.now(), loc)
	var out []Replenishment
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, access.KindOrder, orderColumns)
		if err != nil {
			return err
		}
		var customers []uuid.UUID
		err = db.Model(&orderRow{}).Scopes(scope).Where(countedOrder("orders")).
			Where(`NOT EXISTS (SELECT 1 FROM orders newer WHERE newer.tenant_id = orders.tenant_id
				AND newer.customer_id = orders.customer_id AND `+countedOrder("newer")+`
				AND (newer.created_at > orders.created_at OR (newer.created_at = orders.created_at AND newer.id > orders.id)))`).
			Pluck("orders.customer_id", &customers).Error
		if err != nil || len(customers) == 0 {
			return err
		}
		histories, err := orderHistories(db.Where("orders.customer_id IN ?", customers), loc)
		if err != nil {
			return err
		}
		for _, h := range histories {
			p, ok := predictNextOrder(h.days)
			if !ok {
				continue
			}
			if until := daysBetween(today, p.NextOrderDay); until <= withinDays {
				out = append(out, Replenishment{CustomerID: h.customer, OwnerID: h.owner, Prediction: p, DaysUntil: until})
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("due replenishments: %w", err)
	}
	slices.SortFunc(out, func(a, b Replenishment) int {
		return cmp.Or(a.NextOrderDay.Compare(b.NextOrderDay), cmp.Compare(a.CustomerID.String(), b.CustomerID.String()))
	})
	return out, nil
}

// orderHistory is a customer's counted orders reduced to their order days.
type orderHistory struct {
	customer uuid.UUID
	owner    uuid.UUID // the rep of the latest order
	days     []time.Time
}

// orderHistories reads the counted orders that q selects (q narrows orders to some customers),
// one history per customer. Three columns per order: cheap enough to read a tenant's customers
// in one go.
func orderHistories(q *gorm.DB, loc *time.Location) ([]orderHistory, error) {
	var rows []struct {
		CustomerID, OwnerID uuid.UUID
		CreatedAt           time.Time
	}
	err := q.Model(&orderRow{}).Select("orders.customer_id, orders.owner_id, orders.created_at").
		Where(countedOrder("orders")).Order("orders.customer_id, orders.created_at, orders.id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load order history: %w", err)
	}
	var out []orderHistory
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].customer != r.CustomerID {
			out = append(out, orderHistory{customer: r.CustomerID})
		}
		h := &out[len(out)-1]
		h.owner = r.OwnerID // oldest first: the last one read is the latest order's
		h.days = append(h.days, orderDay(r.CreatedAt, loc))
	}
	return out, nil
}
