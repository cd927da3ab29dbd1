package tenants

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/orders"
	"github.com/repflow/repflow/platform/visits"
)

// recordVisitOrders records the life of each order taken on a visit.
func (s *demoSales) recordVisitOrders() error {
	planned := s.planVisitOrders()
	for _, o := range planned {
		if err := s.recordOrder(o); err != nil {
			return err
		}
	}
	return nil
}

// planVisitOrders has the reps take orders on about a third of their visits (the shops order by
// phone too): on the last day a few are still drafts, now and then the manager sends one back
// or cancels it, and a few come in two deliveries.
func (s *demoSales) planVisitOrders() []*demoOrder {
	rng := rand.New(rand.NewPCG(demoSeed, 4))
	last := s.hist.visits[len(s.hist.visits)-1].stop.day
	var planned []*demoOrder
	for _, v := range s.hist.visits {
		if rng.Float64() >= 0.35 {
			continue
		}
		o := &demoOrder{rep: v.rep, site: v.stop.site, visit: &v.visit.ID, terms: demoTerms(v.stop.site)}
		if o.lines = s.orderLines(rng, v.stop.site, v.stop.checkIn); len(o.lines) == 0 {
			continue
		}
		if len(o.lines) > 1 && rng.Float64() < 0.15 {
			o.short = 1 + rng.IntN(len(o.lines))
		}
		if rng.Float64() < 0.15 {
			o.notes = pick(rng, demoOrderNotes)
		}
		n := len(planned)
		fate := demoFate{draft: v.stop.day == last && n%3 == 0, sendBack: rng.Float64() < 0.06}
		if n%20 == 9 && v.stop.leave.Before(s.hist.today.AddDate(0, 0, -10)) {
			fate = demoFate{cancel: demoCancellations[n%len(demoCancellations)]}
		}
		taken := v.stop.checkIn.Add(time.Duration(float64(v.stop.leave.Sub(v.stop.checkIn)) * (0.3 + 0.5*rng.Float64())))
		o.plan(rng, taken, v.stop.leave.Add(minutes(rng, 2, 20)), s.payerOf(v.stop.site), fate)
		planned = append(planned, o)
	}
	holdMissing(planned, s.hist.today)
	return planned
}

// orderLines picks one to four of the products the shop carries at t, in quantities that fit
// the kind and size of shop; the big supermarkets get a small discount on some lines.
func (s *demoSales) orderLines(rng *rand.Rand, site *demoSite, t time.Time) []demoLine {
	var carried []*demoSKU
	for _, p := range demoCatalogue {
		if s.shelves.carries(site, p, t) {
			carried = append(carried, p)
		}
	}
	if len(carried) == 0 {
		return nil
	}
	lo, hi := 1, 5
	switch kind := demoShopKind(site.Name); {
	case kind == "restaurant":
		lo, hi = 2, 8
	case kind == "supermarket" && site.Grade == visits.GradeA:
		lo, hi = 10, 36
	case kind == "supermarket":
		lo, hi = 4, 20
	}
	var lines []demoLine
	for _, i := range rng.Perm(len(carried))[:1+rng.IntN(min(4, len(carried)))] {
		l := demoLine{sku: carried[i], qty: lo + rng.IntN(hi-lo+1)}
		if site.Grade == visits.GradeA && rng.Float64() < 0.3 {
			l.discount = 3 + 2*rng.IntN(2)
		}
		lines = append(lines, l)
	}
	return lines
}

// demoTerms are a shop's payment terms: supermarkets take a month, restaurants a fortnight,
// convenience stores a week.
func demoTerms(site *demoSite) int {
	switch demoShopKind(site.Name) {
	case "restaurant":
		return 15
	case "convenience":
		return 7
	}
	return orders.DefaultPaymentTerms
}

// payerOf is how a shop pays, the same for all its orders: most pay on time, about one in four
// is late, which is what fills the receivables report.
func (s *demoSales) payerOf(site *demoSite) demoPayer {
	i := slices.Index(s.hist.sites, site)
	switch {
	case i%4 == 1:
		return payLate
	case demoShopKind(site.Name) == "supermarket":
		return payOnTerms
	}
	return payOnDelivery
}

// recordOrder records the planned steps of an order that have happened, each at its time.
func (s *demoSales) recordOrder(o *demoOrder) error {
	var cur orders.Order
	manager := s.managerOf(o.rep)
	for _, st := range o.steps {
		if !s.at(st.at) {
			break
		}
		var err error
		switch st.move {
		case moveCreate:
			in := orders.NewOrder{CustomerID: o.site.ID, Currency: s.currency, VisitID: o.visit, PaymentTermsDays: &o.terms, Notes: o.notes}
			if o.deal != nil {
				in.OpportunityID = &o.deal.id
			}
			for _, l := range o.lines {
				in.Lines = append(in.Lines, orders.LineInput{ProductID: s.products[l.sku], Quantity: decimal.NewFromInt(int64(l.qty)),
					DiscountPct: decimal.NewFromInt(int64(l.discount))})
			}
			cur, _, err = s.orders.CreateOrder(o.rep.ctx, in)
			o.id = cur.ID
		case moveSubmit:
			cur, err = s.orders.Transition(o.rep.ctx, cur.ID, orders.Submitted, st.note)
		case moveSendBack:
			cur, err = s.orders.Transition(manager, cur.ID, orders.Draft, st.note)
		case moveApprove:
			cur, err = s.orders.Transition(manager, cur.ID, orders.Approved, st.note)
		case moveCancel:
			cur, err = s.orders.Transition(manager, cur.ID, orders.Cancelled, st.note)
		case moveShip:
			cur, err = s.orders.Transition(s.admin, cur.ID, orders.Shipped, st.note)
		case moveDeliver:
			cur, _, err = s.orders.RecordDelivery(s.admin, cur.ID, orders.NewDelivery{DeliveredAt: st.at, Note: st.note,
				Lines: delivery(cur, o.short, st.part)})
		case movePay:
			cur, err = s.pay(cur, st)
		}
		if err != nil {
			return fmt.Errorf("order of %s for %s: %w", o.rep.user.Email, o.site.Name, err)
		}
	}
	return nil
}

// delivery is what one delivery brings: everything outstanding, except that a partial delivery
// brings only part of the short line.
func delivery(o orders.Order, short int, part float64) []orders.DeliveredLine {
	var out []orders.DeliveredLine
	for _, l := range o.Lines {
		left := l.Remaining()
		if part < 1 && l.No == short {
			left = l.Quantity.Mul(decimal.NewFromFloat(part)).Floor()
		}
		if left.IsPositive() {
			out = append(out, orders.DeliveredLine{Line: l.No, Quantity: left})
		}
	}
	return out
}

// pay records a payment of part of the order's total, or of its balance.
func (s *demoSales) pay(o orders.Order, st demoStep) (orders.Order, error) {
	amount := o.Balance()
	if st.part < 1 {
		amount = decimal.Min(amount, o.Total.Mul(decimal.NewFromFloat(st.part)).Round(2))
	}
	if !amount.IsPositive() {
		return o, nil
	}
	prefix := map[orders.PaymentMethod]string{orders.MethodCash: "RCPT", orders.MethodMobile: "WXPAY", orders.MethodBankTransfer: "BANK"}
	ref := fmt.Sprintf("%s-%06d", prefix[st.method], s.rng.IntN(1000000))
	paid, _, _, err := s.orders.RecordPayment(s.admin, o.ID, orders.NewPayment{ID: identity.NewID(), Amount: amount, ReceivedAt: st.at,
		Method: st.method, Reference: ref})
	return paid, err
}

var demoOrderNotes = []string{
	"Deliver before the weekend promotion, please.",
	"Goods entrance at the back; the dock closes at 16:00.",
	"Call the store manager half an hour before delivery.",
}
