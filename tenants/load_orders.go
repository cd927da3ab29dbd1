package tenants

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/orders"
)

// An order of the load tenant is taken during a visit and lives as the demo's do: submitted
// after the visit, approved (or, one in fifty, cancelled) by the rep's manager the next working
// morning, shipped the working day after by the back office and delivered that afternoon, then
// paid: convenience stores in cash on delivery, the others by bank transfer around the due day,
// some late, one in twenty not at all. Each step happens only if it falls before the data ends,
// which leaves the last days' orders halfway through. Lines are priced by orders.PriceLine.

// orderLife is an order's steps as recorded: each moves the order to a status.
type orderLife struct {
	g     *loadGen
	b     *loadBatch
	order *loadOrder
}

// move records the order's step to status `to` at `at`, unless that is after the data ends.
func (l orderLife) move(at time.Time, to orders.Status, actor uuid.UUID, comment string) bool {
	if !at.Before(l.g.to) {
		return false
	}
	o := l.order
	var from *string
	if o.status != "" {
		f := o.status
		from = &f
	}
	l.b.transitions = append(l.b.transitions, loadTransition{id: identity.NewID(), order: o.id, from: from, to: string(to),
		actor: actor, comment: comment, at: at})
	o.status, o.updated = string(to), at
	return true
}

// takeOrder takes an order of 3 to 8 of the shop's lines on the visit and lives it.
func (g *loadGen) takeOrder(rng *rand.Rand, b *loadBatch, r *loadRep, s loadStop) {
	c := s.shop
	o := &loadOrder{id: identity.NewID(), customer: c, visit: s.id, terms: c.terms, created: s.in.Add(minutes(rng, 1, 4)),
		gross: decimal.Zero, discount: decimal.Zero, paid: decimal.Zero}
	first := len(b.lines)
	stocked := c.carries
	if len(stocked) == 0 {
		stocked = sample(rng, len(g.catalogue), 8) // a first order
	}
	for i, j := range sample(rng, len(stocked), 3+rng.IntN(6)) {
		p := g.catalogue[stocked[j]]
		qty := decimal.NewFromInt(int64(1 + rng.IntN(12)))
		off := decimal.Zero
		if rng.Float64() < 0.3 {
			off = decimal.NewFromInt([]int64{2, 3, 5, 8}[rng.IntN(4)])
		}
		priced := orders.PriceLine(qty, p.price, off, "CNY")
		b.lines = append(b.lines, loadLine{order: o.id, no: i + 1, product: p.id, quantity: qty, price: p.price, discountPct: off,
			gross: priced.Gross, discount: priced.Discount, net: priced.Net})
		o.gross, o.discount = o.gross.Add(priced.Gross), o.discount.Add(priced.Discount)
	}
	o.total = o.gross.Sub(o.discount)
	orderLife{g: g, b: b, order: o}.live(rng, r, s.out, b.lines[first:])
	if o.approved != nil && o.status != string(orders.Cancelled) {
		r.tally.Orders++
		r.tally.Revenue = r.tally.Revenue.Add(o.total)
	}
	b.orders = append(b.orders, *o)
}

// live records the order's steps from its creation during the visit that ended at visitEnd.
func (l orderLife) live(rng *rand.Rand, r *loadRep, visitEnd time.Time, lines []loadLine) {
	o, g := l.order, l.g
	l.move(o.created, orders.Draft, r.id, "")
	if rng.Float64() < 0.01 {
		return // the rep never submits it
	}
	if !l.move(visitEnd.Add(minutes(rng, 2, 20)), orders.Submitted, r.id, "") {
		return
	}
	decided := during(rng, workday(o.updated, 1), 8.5, 11.5)
	if rng.Float64() < 0.02 {
		l.move(decided, orders.Cancelled, r.manager, pick(rng, demoCancellations))
		return
	}
	if !l.move(decided, orders.Approved, r.manager, "") {
		return
	}
	y, m, d := decided.Date()
	due := time.Date(y, m, d+o.terms, 0, 0, 0, 0, demoZone)
	dueOn := due.Format(time.DateOnly)
	o.approved, o.dueOn = &decided, &dueOn
	if !l.move(during(rng, workday(decided, 1), 7, 10), orders.Shipped, g.admin, "Loaded on the morning truck.") {
		return
	}
	delivered := during(rng, workday(o.updated, 0), 13, 17.5)
	if !delivered.Before(g.to) {
		return
	}
	delivery := loadDelivery{id: identity.NewID(), order: o.id, at: delivered, by: g.admin}
	l.b.deliveries = append(l.b.deliveries, delivery)
	for _, line := range lines {
		l.b.deliveryLines = append(l.b.deliveryLines, loadDeliveryLine{delivery: delivery.id, order: o.id, no: line.no, quantity: line.quantity})
	}
	o.delivered = &delivered
	l.move(delivered, orders.Delivered, g.admin, "every line delivered in full")
	l.pay(rng, due, delivered)
}

// pay records the customer's payment of the whole order, which makes it paid.
func (l orderLife) pay(rng *rand.Rand, due, delivered time.Time) {
	o := l.order
	p := loadPayment{id: identity.NewID(), order: o.id, amount: o.total, method: string(orders.MethodBankTransfer), by: l.g.admin}
	switch x := rng.Float64(); {
	case o.terms == 0:
		p.received, p.method = delivered.Add(minutes(rng, 5, 40)), string(orders.MethodCash)
		if x < 0.3 {
			p.method = string(orders.MethodMobile)
		}
	case x < 0.8:
		p.received = during(rng, due.AddDate(0, 0, -rng.IntN(5)), 10, 16)
	case x < 0.95:
		p.received = during(rng, due.AddDate(0, 0, 3+rng.IntN(18)), 10, 16)
	default:
		return // overdue
	}
	if p.method == string(orders.MethodBankTransfer) {
		// Nobody pays on terms before the goods arrive.
		if early := delivered.Add(time.Hour); p.received.Before(early) {
			p.received = early
		}
		p.reference = fmt.Sprintf("TRF%s%06d", p.received.Format("20060102"), rng.IntN(1_000_000))
	}
	p.recorded = p.received.Add(minutes(rng, 2, 30))
	if !p.recorded.Before(l.g.to) {
		return
	}
	l.b.payments = append(l.b.payments, p)
	o.paid = o.total
	l.move(p.recorded, orders.Paid, l.g.admin, "paid in full")
}
