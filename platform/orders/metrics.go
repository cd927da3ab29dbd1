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
)

// What counts, for the figures the appraisal scores reps on, over a period [From, To):
//   - an order counts for its rep when it was approved in the period and is not cancelled (an
//     approved order may still be cancelled while nothing is paid): Orders is how many, Revenue
//     the sum of their totals, per currency;
//   - Due is the sum of the totals of the rep's orders falling due in the period (their due day,
//     in the tenant's zone, is one of the period's days), not cancelled; Collected is what was
//     received for those orders before To;
//   - CollectionRate is Collected / Due, 1 when nothing fell due. With several currencies it is
//     the mean of each currency's rate weighted by the number of orders due in it (there are no
//     exchange rates here), which is Collected / Due whenever one currency is used;
//   - StoresCovered and DistributionRate follow Distribution over the rep's stores: the rate is
//     the mean over the SKUs checked in the query's reach of the rep's rate, 0 when no store of
//     the rep was checked.

// MetricsQuery selects reps (RepIDs, or every rep of the RegionPath subtree, or every rep the
// caller may see the orders of) and a period [From, To).
type MetricsQuery struct {
	RepIDs     []uuid.UUID
	RegionPath string
	From, To   time.Time
}

// RepMetrics are one rep's order, collection and distribution figures over a period.
type RepMetrics struct {
	RepID            uuid.UUID
	Orders           int
	Revenue          map[string]decimal.Decimal
	Due              map[string]decimal.Decimal
	Collected        map[string]decimal.Decimal
	CollectionRate   float64 // 0..1
	StoresCovered    int
	DistributionRate float64 // 0..1
}

// Metrics is the source of order figures for the appraisal domain, which declares its own
// interface for it; it reads only what the caller may see.
func (s *Service) Metrics(ctx context.Context, q MetricsQuery) ([]RepMetrics, error) {
	if !q.To.After(q.From) {
		return nil, fault.Field("query.to", "must be after from", q.To)
	}
	loc, err := s.timeZone(ctx)
	if err != nil {
		return nil, err
	}
	fromDay, toDay := civilDay(q.From, loc).Format(time.DateOnly), civilDay(q.To, loc).Format(time.DateOnly)
	var out []RepMetrics
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		reps, err := s.visibleReps(ctx, db, q)
		if err != nil || len(reps) == 0 {
			return err
		}
		scope, err := s.warden.Scope(ctx, access.List, access.KindOrder, orderColumns)
		if err != nil {
			return err
		}
		byRep := map[uuid.UUID]*RepMetrics{}
		for _, r := range reps {
			byRep[r] = &RepMetrics{RepID: r, Revenue: map[string]decimal.Decimal{}, Due: map[string]decimal.Decimal{},
				Collected: map[string]decimal.Decimal{}, CollectionRate: 1}
		}
		var approved []orderRow
		err = db.Model(&orderRow{}).Scopes(scope).Where("orders.owner_id IN ? AND orders.status <> ? AND orders.approved_at >= ? AND orders.approved_at < ?",
			reps, string(Cancelled), q.From.UTC(), q.To.UTC()).Find(&approved).Error
		if err != nil {
			return fmt.Errorf("load approved orders: %w", err)
		}
		for _, o := range approved {
			m := byRep[o.OwnerID]
			m.Orders++
			m.Revenue[o.Currency] = m.Revenue[o.Currency].Add(o.Total)
		}
		if err := collection(db, scope, byRep, reps, fromDay, toDay, q.To); err != nil {
			return err
		}
		stores, products, err := s.latestChecks(ctx, db, DistributionQuery{From: q.From, To: q.To, RepIDs: reps})
		if err != nil {
			return err
		}
		sums := map[uuid.UUID]float64{}
		for _, row := range distribution(stores, products, GroupRep) {
			sums[row.RepID] += row.Rate
		}
		for _, st := range stores {
			byRep[st.rep].StoresCovered++
		}
		for rep, sum := range sums {
			byRep[rep].DistributionRate = sum / float64(len(products))
		}
		for _, r := range reps {
			out = append(out, *byRep[r])
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("order metrics: %w", err)
	}
	return out, nil
}

// collection fills in Due, Collected and CollectionRate.
func collection(db *gorm.DB, scope func(*gorm.DB) *gorm.DB, byRep map[uuid.UUID]*RepMetrics, reps []uuid.UUID, fromDay, toDay string, to time.Time) error {
	var due []orderRow
	err := db.Model(&orderRow{}).Scopes(scope).Where("orders.owner_id IN ? AND orders.status <> ? AND orders.due_on >= ? AND orders.due_on < ?",
		reps, string(Cancelled), fromDay, toDay).Find(&due).Error
	if err != nil {
		return fmt.Errorf("load orders due: %w", err)
	}
	if len(due) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(due))
	for i, o := range due {
		ids[i] = o.ID
	}
	var payments []paymentRow
	if err := db.Where("order_id IN ? AND received_at < ?", ids, to.UTC()).Find(&payments).Error; err != nil {
		return fmt.Errorf("load payments: %w", err)
	}
	received := map[uuid.UUID]decimal.Decimal{}
	for _, p := range payments {
		received[p.OrderID] = received[p.OrderID].Add(p.Amount)
	}
	counts := map[uuid.UUID]map[string]int{}
	for _, o := range due {
		m := byRep[o.OwnerID]
		m.Due[o.Currency] = m.Due[o.Currency].Add(o.Total)
		m.Collected[o.Currency] = m.Collected[o.Currency].Add(received[o.ID])
		if counts[o.OwnerID] == nil {
			counts[o.OwnerID] = map[string]int{}
		}
		counts[o.OwnerID][o.Currency]++
	}
	for rep, perCurrency := range counts {
		m := byRep[rep]
		weighted, n := 0.0, 0
		for cur, k := range perCurrency {
			rate := 1.0
			if m.Due[cur].IsPositive() {
				rate = m.Collected[cur].Div(m.Due[cur]).InexactFloat64()
			}
			weighted += rate * float64(k)
			n += k
		}
		m.CollectionRate = weighted / float64(n)
	}
	return nil
}

// userRow is what the metrics need of a user: where they work, for the region subtree.
type userRow struct {
	TenantID uuid.UUID
	ID       uuid.UUID
	RegionID uuid.UUID
}

func (userRow) TableName() string { return "users" }

// visibleReps returns the reps asked for whose orders the caller may list, ordered by id.
func (s *Service) visibleReps(ctx context.Context, db *gorm.DB, q MetricsQuery) ([]uuid.UUID, error) {
	scope, err := s.warden.Scope(ctx, access.List, access.KindOrder, access.Columns{Owner: "users.id", RegionPath: "regions.path"})
	if err != nil {
		return nil, err
	}
	tx := db.Model(&userRow{}).
		Joins("JOIN regions ON regions.tenant_id = users.tenant_id AND regions.id = users.region_id").
		Where("EXISTS (SELECT 1 FROM user_roles ur WHERE ur.tenant_id = users.tenant_id AND ur.user_id = users.id AND ur.role = ?)", identity.RoleRep).
		Scopes(scope)
	if len(q.RepIDs) > 0 {
		tx = tx.Where("users.id IN ?", q.RepIDs)
	}
	if q.RegionPath != "" {
		tx = tx.Where(`regions.path LIKE ? ESCAPE '\'`, likePrefix(q.RegionPath))
	}
	var ids []uuid.UUID
	if err := tx.Order("users.id").Pluck("users.id", &ids).Error; err != nil {
		return nil, fmt.Errorf("load reps: %w", err)
	}
	return ids, nil
}
