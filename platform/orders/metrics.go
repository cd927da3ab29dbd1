package orders

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
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
	ctx = store.Analytical(ctx)
	if !q.To.After(q.From) {
		return nil, fault.Field("query.to", "must be after from", q.To)
	}
	loc, err := s.timeZone(ctx)
	if err != nil {
		return nil, err
	}
	var out []RepMetrics
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		reps, err := s.visibleReps(ctx, db, q)
		if err != nil || len(reps) == 0 {
			return err
		}
		byRep := make(map[uuid.UUID]*RepMetrics, len(reps))
		for _, r := range reps {
			byRep[r] = &RepMetrics{RepID: r, Revenue: map[string]decimal.Decimal{}, Due: map[string]decimal.Decimal{},
				Collected: map[string]decimal.Decimal{}, CollectionRate: 1}
		}
		if err := s.orderFigures(ctx, db, q, loc, reps, byRep); err != nil {
			return err
		}
		if err := s.coverage(ctx, db, q.From, q.To, reps, byRep); err != nil {
			return err
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

// orderFigures fills in the order and collection figures of the reps.
func (s *Service) orderFigures(ctx context.Context, db *gorm.DB, q MetricsQuery, loc *time.Location, reps []uuid.UUID, byRep map[uuid.UUID]*RepMetrics) error {
	scope, err := s.warden.Scope(ctx, access.List, access.KindOrder, orderColumns)
	if err != nil {
		return err
	}
	// A fresh statement each time: a gorm chain gathers conditions in place.
	ofReps := func() *gorm.DB { return db.Model(&orderRow{}).Scopes(scope).Where("orders.owner_id IN ?", reps) }
	approved := ofReps().Where("orders.status <> ? AND orders.approved_at >= ? AND orders.approved_at < ?", string(Cancelled), q.From.UTC(), q.To.UTC())
	due := func() *gorm.DB { return fallingDue(ofReps(), q.From, q.To, loc) }
	inSQL := s.store.Dialect() == store.Postgres
	if err := revenue(approved, inSQL, byRep); err != nil {
		return err
	}
	return collection(due, inSQL, q.To, byRep)
}

// fallingDue keeps the orders of q falling due in [from, to), as the collection figures count
// them: not cancelled, with their due day (a day in the tenant's zone loc) one of the days from
// from's to the one before to's. A zero bound leaves that side open (the orders list filters
// with it too).
func fallingDue(q *gorm.DB, from, to time.Time, loc *time.Location) *gorm.DB {
	q = q.Where("orders.status <> ? AND orders.due_on IS NOT NULL", string(Cancelled))
	if !from.IsZero() {
		q = q.Where("orders.due_on >= ?", civilDay(from, loc).Format(time.DateOnly))
	}
	if !to.IsZero() {
		q = q.Where("orders.due_on < ?", civilDay(to, loc).Format(time.DateOnly))
	}
	return q
}

// paidBefore joins the orders of due to the payments received for them before to: what the
// collection figures count as collected.
func paidBefore(due *gorm.DB, to time.Time) *gorm.DB {
	// CROSS JOIN keeps orders the outer loop on SQLite, which would otherwise scan payments and
	// probe orders once per rep asked for; PostgreSQL orders it like any join.
	return due.Joins("CROSS JOIN payments").
		Where("payments.tenant_id = orders.tenant_id AND payments.order_id = orders.id AND payments.received_at < ?", to.UTC())
}

// repAmount is an amount of one rep's orders in one currency: the sum of N rows.
type repAmount struct {
	OwnerID  uuid.UUID
	Currency string
	N        int
	Amount   decimal.Decimal
}

// sumPerRep sums amount, a money column of tx's rows (orders, maybe joined), per owner and
// currency. PostgreSQL sums NUMERIC exactly, so with inSQL the database groups the rows. SQLite
// stores money as TEXT, and its SUM of text is a float, which money must never pass through:
// there each row comes back on its own (N = 1), narrow, for the caller's decimals to add. The
// caller adds rows up either way, so one fold serves both.
func sumPerRep(tx *gorm.DB, amount string, inSQL bool) ([]repAmount, error) {
	if inSQL {
		tx = tx.Select("orders.owner_id, orders.currency, COUNT(*) AS n, SUM(" + amount + ") AS amount").
			Group("orders.owner_id, orders.currency")
	} else {
		tx = tx.Select("orders.owner_id, orders.currency, 1 AS n, " + amount + " AS amount")
	}
	var rows []repAmount
	return rows, tx.Scan(&rows).Error
}

// revenue fills in Orders and Revenue from the orders approved in the period.
func revenue(approved *gorm.DB, inSQL bool, byRep map[uuid.UUID]*RepMetrics) error {
	rows, err := sumPerRep(approved, "orders.total", inSQL)
	if err != nil {
		return fmt.Errorf("sum approved orders: %w", err)
	}
	for _, r := range rows {
		m := byRep[r.OwnerID]
		m.Orders += r.N
		m.Revenue[r.Currency] = m.Revenue[r.Currency].Add(r.Amount)
	}
	return nil
}

// collection fills in Due, Collected and CollectionRate from the orders falling due in the
// period and what was received for them before to.
func collection(due func() *gorm.DB, inSQL bool, to time.Time, byRep map[uuid.UUID]*RepMetrics) error {
	owed, err := sumPerRep(due(), "orders.total", inSQL)
	if err != nil {
		return fmt.Errorf("sum orders due: %w", err)
	}
	received, err := sumPerRep(paidBefore(due(), to), "payments.amount", inSQL)
	if err != nil {
		return fmt.Errorf("sum payments: %w", err)
	}
	counts := map[uuid.UUID]map[string]int{}
	for _, r := range owed {
		m := byRep[r.OwnerID]
		m.Due[r.Currency] = m.Due[r.Currency].Add(r.Amount)
		if _, ok := m.Collected[r.Currency]; !ok {
			m.Collected[r.Currency] = decimal.Zero // a currency due shows what was collected in it, if nothing
		}
		if counts[r.OwnerID] == nil {
			counts[r.OwnerID] = map[string]int{}
		}
		counts[r.OwnerID][r.Currency] += r.N
	}
	for _, r := range received {
		m := byRep[r.OwnerID]
		m.Collected[r.Currency] = m.Collected[r.Currency].Add(r.Amount)
	}
	for rep, perCurrency := range counts {
		byRep[rep].CollectionRate = collectionRate(byRep[rep], perCurrency)
	}
	return nil
}

// collectionRate is the mean of each currency's Collected / Due weighted by the orders due in it.
func collectionRate(m *RepMetrics, dueOrders map[string]int) float64 {
	weighted, n := 0.0, 0
	for cur, k := range dueOrders {
		rate := 1.0
		if m.Due[cur].IsPositive() {
			rate = m.Collected[cur].Div(m.Due[cur]).InexactFloat64()
		}
		weighted += rate * float64(k)
		n += k
	}
	return weighted / float64(n)
}

// coverage fills in StoresCovered and DistributionRate as Distribution grouped by rep would, with
// counts made in the database instead of every check and item of the period loaded into Go. A
// rep's stores are those whose latest check in the query's reach is the rep's (on a tie the
// greatest id, as latestChecks). Distribution's rate of an SKU over them is carrying / covered,
// so the mean over the K SKUs that the reach's checks list is the count of present items on
// those latest checks over covered × K.
func (s *Service) coverage(ctx context.Context, db *gorm.DB, from, to time.Time, reps []uuid.UUID, byRep map[uuid.UUID]*RepMetrics) error {
	scope, err := s.warden.Scope(ctx, access.List, access.KindShelfCheck, shelfColumns)
	if err != nil {
		return err
	}
	reach := func(tx *gorm.DB) *gorm.DB {
		return tx.Scopes(scope).Where("shelf_checks.checked_at >= ? AND shelf_checks.checked_at < ? AND shelf_checks.owner_id IN ?",
			from.UTC(), to.UTC(), reps)
	}
	var skus []uuid.UUID
	err = reach(db.Model(&shelfItemRow{}).
		Joins("JOIN shelf_checks ON shelf_checks.tenant_id = shelf_check_items.tenant_id AND shelf_checks.id = shelf_check_items.check_id")).
		Distinct("shelf_check_items.product_id").Pluck("shelf_check_items.product_id", &skus).Error
	if err != nil {
		return fmt.Errorf("list SKUs checked: %w", err)
	}
	ranked := reach(db.Model(&shelfCheckRow{})).Select(`shelf_checks.tenant_id, shelf_checks.id, shelf_checks.owner_id,
		ROW_NUMBER() OVER (PARTITION BY shelf_checks.customer_id ORDER BY shelf_checks.checked_at DESC, shelf_checks.id DESC) AS recency`)
	var rows []struct {
		OwnerID         uuid.UUID
		Stores, Present int
	}
	// The present items are counted check by check, through the items' primary key: a join
	// would have to be grouped by check again to count the stores.
	err = db.Table("(?) AS latest", ranked).
		Select(`latest.owner_id, COUNT(*) AS stores, SUM((SELECT COUNT(*) FROM shelf_check_items
			WHERE shelf_check_items.tenant_id = latest.tenant_id AND shelf_check_items.check_id = latest.id
				AND shelf_check_items.present)) AS present`).
		Where("latest.recency = 1").Group("latest.owner_id").Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("count stores covered: %w", err)
	}
	for _, r := range rows {
		m := byRep[r.OwnerID]
		m.StoresCovered = r.Stores
		if len(skus) > 0 {
			m.DistributionRate = float64(r.Present) / float64(r.Stores) / float64(len(skus))
		}
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

// CustomersOrdered says which of customers placed an order in [from, to) that counts: approved
// in the period and not cancelled, as the order figures count it, among the orders the caller may
// list. Key-account retention is judged on it, with the activities.
func (s *Service) CustomersOrdered(ctx context.Context, customers []uuid.UUID, from, to time.Time) (map[uuid.UUID]bool, error) {
	if !to.After(from) {
		return nil, fault.Field("query.to", "must be after from", to)
	}
	out := make(map[uuid.UUID]bool, len(customers))
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, access.KindOrder, orderColumns)
		if err != nil {
			return err
		}
		for chunk := range slices.Chunk(customers, 5000) { // well under the 65,535 parameters of a statement
			var ordered []uuid.UUID
			err := db.Model(&orderRow{}).Scopes(scope).Distinct("orders.customer_id").
				Where("orders.customer_id IN ? AND orders.status <> ? AND orders.approved_at >= ? AND orders.approved_at < ?",
					chunk, string(Cancelled), from.UTC(), to.UTC()).
				Pluck("orders.customer_id", &ordered).Error
			if err != nil {
				return fmt.Errorf("find customers who ordered: %w", err)
			}
			for _, c := range ordered {
				out[c] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("customers ordered: %w", err)
	}
	return out, nil
}
