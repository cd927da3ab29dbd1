package tenants

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/orders"
)

// An order of the demo is planned whole before it is recorded: its lines and every step of its
// life (submitted by the rep, approved by the manager, shipped and delivered by the back office,
// paid by the customer), each at its time. Steps that fall on or after today have not happened
// yet, which is what leaves the recent orders halfway through the state machine.

// demoOrder is an order as planned.
type demoOrder struct {
	rep   *demoRep
	site  *demoSite
	visit *uuid.UUID // the visit it was taken on
	deal  *demoDeal  // the store listing it is the trial order of
	lines []demoLine
	terms int // payment terms, days
	notes string
	short int // the line (1-based) the first of two deliveries brings only part of; 0: one delivery
	steps []demoStep
	held  bool      // the plan was cut short so that the demo shows a status no other order had
	id    uuid.UUID // the order, once recorded
}

// demoLine is a product ordered, with the quantity of its unit and a discount in percent.
type demoLine struct {
	sku      *demoSKU
	qty      int
	discount int
}

// demoMove is a step of an order's life.
type demoMove int

const (
	moveCreate   demoMove = iota // the rep takes it as a draft
	moveSubmit                   // the rep sends it for approval
	moveSendBack                 // the manager sends it back to draft
	moveApprove                  // the manager approves it: the receivable starts
	moveCancel                   // the manager cancels it
	moveShip                     // the warehouse ships it
	moveDeliver                  // goods arrive; part < 1 brings only part of the short line
	movePay                      // the customer pays part of the total (part 1: the balance)
)

type demoStep struct {
	at     time.Time
	move   demoMove
	note   string
	part   float64
	method orders.PaymentMethod
}

// demoPayer is how a customer pays.
type demoPayer int

const (
	payOnDelivery demoPayer = iota // cash or mobile payment when the goods arrive
	payOnTerms                     // a bank transfer a few days before the due day
	payLate                        // weeks after the due day, sometimes in two parts
)

// demoFate is what becomes of an order beyond the usual path.
type demoFate struct {
	draft    bool   // the rep never submits it (yet)
	sendBack bool   // the manager sends it back once before approving it
	cancel   string // the manager cancels it instead, for this reason
}

// plan lays out the order's steps, from taken (during the visit) and submitted (after it).
func (o *demoOrder) plan(rng *rand.Rand, taken, submitted time.Time, payer demoPayer, fate demoFate) {
	add := func(at time.Time, m demoMove, note string) {
		o.steps = append(o.steps, demoStep{at: at, move: m, note: note, part: 1})
	}
	add(taken, moveCreate, "")
	if fate.draft {
		return
	}
	add(submitted, moveSubmit, "")
	approved := during(rng, workday(submitted, 1), 8.5, 11.5)
	if fate.sendBack {
		add(approved, moveSendBack, pick(rng, demoSendBacks))
		resubmitted := approved.Add(minutes(rng, 90, 240))
		add(resubmitted, moveSubmit, "Checked with the buyer: the quantities stand, they are stocking up for the promotion.")
		approved = during(rng, workday(resubmitted, 1), 8.5, 11.5)
	}
	if fate.cancel != "" {
		add(approved, moveCancel, fate.cancel)
		return
	}
	add(approved, moveApprove, "")
	shipped := during(rng, workday(approved, 1), 7, 10)
	add(shipped, moveShip, "Loaded on the morning truck.")
	delivered := during(rng, workday(shipped, 0), 13, 17.5)
	if rng.Float64() < 0.3 {
		delivered = during(rng, workday(shipped, 1), 9, 12)
	}
	if o.short > 0 {
		o.steps = append(o.steps, demoStep{at: delivered, move: moveDeliver, part: 0.4 + 0.3*rng.Float64(),
			note: "The warehouse was short of one line; the rest follows."})
		delivered = during(rng, workday(delivered, 2+rng.IntN(4)), 9, 16)
		add(delivered, moveDeliver, "The rest of the order, back in stock.")
	} else {
		add(delivered, moveDeliver, "")
	}
	o.planPayments(rng, approved, delivered, payer)
	slices.SortStableFunc(o.steps, func(a, b demoStep) int { return a.at.Compare(b.at) })
}

// planPayments adds the customer's payments: due is the approval's day plus the terms.
func (o *demoOrder) planPayments(rng *rand.Rand, approved, delivered time.Time, payer demoPayer) {
	due := workday(approved, 0).AddDate(0, 0, o.terms)
	pay := func(at time.Time, part float64, m orders.PaymentMethod) {
		if at.Before(approved.Add(time.Hour)) {
			at = delivered.Add(time.Hour)
		}
		o.steps = append(o.steps, demoStep{at: at, move: movePay, part: part, method: m})
	}
	switch payer {
	case payOnDelivery:
		m := orders.MethodMobile
		if demoShopKind(o.site.Name) == "convenience" {
			m = orders.MethodCash
		}
		pay(delivered.Add(minutes(rng, 5, 40)), 1, m)
	case payOnTerms:
		pay(during(rng, due.AddDate(0, 0, -rng.IntN(5)), 10, 16), 1, orders.MethodBankTransfer)
	case payLate:
		if rng.Float64() < 0.4 {
			pay(during(rng, due.AddDate(0, 0, 3+rng.IntN(12)), 10, 16), 0.5, orders.MethodBankTransfer)
			pay(during(rng, due.AddDate(0, 0, 20+rng.IntN(30)), 10, 16), 1, orders.MethodBankTransfer)
		} else {
			pay(during(rng, due.AddDate(0, 0, 6+rng.IntN(40)), 10, 16), 1, orders.MethodBankTransfer)
		}
	}
}

// outcome is where the order stands once its steps before today are done, and whether it then
// owes money past its due day, as the orders service will count it.
func (o *demoOrder) outcome(today time.Time) (status orders.Status, overdue bool) {
	paid, delivered := 0.0, false
	var due time.Time
	for _, st := range o.steps {
		if !st.at.Before(today) {
			break
		}
		switch st.move {
		case moveCreate, moveSendBack:
			status = orders.Draft
		case moveSubmit:
			status = orders.Submitted
		case moveApprove:
			status, due = orders.Approved, workday(st.at, 0).AddDate(0, 0, o.terms)
		case moveCancel:
			status = orders.Cancelled
		case moveShip:
			status = orders.Shipped
		case moveDeliver:
			delivered = delivered || st.part >= 1
		case movePay:
			paid += st.part * (1 - paid)
		}
		if delivered && status == orders.Shipped {
			status = orders.Delivered
		}
		if status == orders.Delivered && paid >= 1 {
			status = orders.Paid
		}
	}
	owing := status == orders.Approved || status == orders.Shipped || status == orders.Delivered
	return status, owing && paid < 1 && due.Before(today)
}

// holdMissing makes sure a newcomer sees every status: for each one no order ends in, the most
// recent order that went past it stops there instead (its next step simply has not come yet),
// unless it is the only one to show its own status; and when nothing is overdue, the latest
// order due long enough ago is left unpaid.
func holdMissing(planned []*demoOrder, today time.Time) {
	newestFirst := slices.Clone(planned)
	slices.Reverse(newestFirst)
	ends := func() map[orders.Status]int {
		n := map[orders.Status]int{}
		for _, o := range planned {
			st, _ := o.outcome(today)
			n[st]++
		}
		return n
	}
	for _, want := range []orders.Status{orders.Draft, orders.Submitted, orders.Approved, orders.Shipped, orders.Delivered} {
		for _, o := range newestFirst {
			n := ends()
			if n[want] > 0 {
				break
			}
			st, _ := o.outcome(today)
			if o.held || o.deal != nil || st == orders.Cancelled || n[st] < 2 {
				continue
			}
			for i := range o.steps {
				cut := &demoOrder{terms: o.terms, steps: o.steps[:i+1]}
				if st, _ := cut.outcome(today); st == want {
					o.steps, o.held = cut.steps, true
					break
				}
			}
		}
	}
	overdue := slices.ContainsFunc(planned, func(o *demoOrder) bool { _, late := o.outcome(today); return late })
	for _, o := range newestFirst {
		if overdue {
			return
		}
		unpaid := &demoOrder{terms: o.terms, steps: slices.DeleteFunc(slices.Clone(o.steps), func(s demoStep) bool { return s.move == movePay })}
		if _, late := unpaid.outcome(today); late && o.deal == nil && !o.held {
			o.steps, o.held, overdue = unpaid.steps, true, true
		}
	}
}

func pick(rng *rand.Rand, from []string) string { return from[rng.IntN(len(from))] }

var demoSendBacks = []string{
	"Please check the quantities with the buyer: this is twice the store's usual order.",
	"The discount is above what we agreed for this store; please confirm it with the buyer.",
}

var demoCancellations = []string{
	"The store manager called: they over-ordered for the promotion and cancel this one.",
	"Duplicate of the order the buyer phoned in the same morning.",
	"The shop closes for renovation until next month; cancelled at the owner's request.",
}
