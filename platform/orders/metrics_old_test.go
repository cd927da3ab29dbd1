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
)

// metricsOld is Metrics as it was before the sums moved into SQL, kept word for word but for the
// names, as the reference that BenchmarkMetrics and TestMetricsAgreesWithOld hold Metrics to. It
// loads every approved order, every due order and all their payments, and every shelf check and
// item of the period into Go.
func metricsOld(ctx context.Context, s *Service, q MetricsQuery) ([]RepMetrics, error) {
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
		if err := collectionOld(db, scope, byRep, reps, fromDay, toDay, q.To); err != nil {
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

// collectionOld fills in Due, Collected and CollectionRate.
func collectionOld(db *gorm.DB, scope func(*gorm.DB) *gorm.DB, byRep map[uuid.UUID]*RepMetrics, reps []uuid.UUID, fromDay, toDay string, to time.Time) error {
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
