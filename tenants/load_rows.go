package tenants

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/activities"
	"github.com/repflow/repflow/platform/visits"
)

// The rows the load generator writes, one type per table, with the columns of the table's
// migration (0005 customers, 0007 visits, 0008 orders, 0009 activities) and the values its
// service stores in them: statuses, verdicts as JSON, revision numbers, due days as text.

var (
	customersTable = loadTable{"customers", []string{"id", "name", "contact_name", "phone", "address", "grade", "owner_id",
		"region_id", "lat", "lon", "fence_kind", "fence_radius", "fence_polygon", "created_at", "updated_at"}}
	visitsTable = loadTable{"visits", []string{"id", "rep_id", "customer_id", "region_id", "source", "client_id", "status",
		"started_at", "ended_at", "checkin_lat", "checkin_lon", "checkin_accuracy", "checkin_device_time", "checkin_mock",
		"checkin_provider", "checkout_lat", "checkout_lon", "checkout_accuracy", "checkout_device_time", "trusted", "verdict",
		"distance_m", "review_status", "revision", "created_at", "updated_at"}}
	revisionsTable = loadTable{"visit_revisions", []string{"visit_id", "revision", "notes", "reason", "author_id", "created_at"}}
	reviewsTable   = loadTable{"visit_reviews", []string{"id", "visit_id", "decision", "comment", "reviewer_id", "created_at"}}
	ordersTable    = loadTable{"orders", []string{"id", "customer_id", "owner_id", "region_id", "currency", "status", "visit_id",
		"opportunity_id", "payment_terms_days", "notes", "gross", "discount", "total", "amount_paid", "approved_at", "due_on",
		"delivered_at", "created_by", "created_at", "updated_at"}}
	linesTable = loadTable{"order_lines", []string{"order_id", "line_no", "product_id", "quantity", "unit_price", "discount_pct",
		"gross", "discount", "net"}}
	transitionsTable   = loadTable{"order_transitions", []string{"id", "order_id", "from_status", "to_status", "actor_id", "comment", "at"}}
	deliveriesTable    = loadTable{"deliveries", []string{"id", "order_id", "delivered_at", "note", "recorded_by", "created_at"}}
	deliveryLinesTable = loadTable{"delivery_lines", []string{"delivery_id", "order_id", "line_no", "quantity"}}
	paymentsTable      = loadTable{"payments", []string{"id", "order_id", "amount", "received_at", "method", "reference",
		"recorded_by", "created_at", "fingerprint"}}
	checksTable = loadTable{"shelf_checks", []string{"id", "customer_id", "owner_id", "region_id", "visit_id", "checked_at",
		"checked_by", "note", "created_at"}}
	itemsTable = loadTable{"shelf_check_items", []string{"check_id", "product_id", "present", "shelf_price", "price_currency",
		"stock_count"}}
	activitiesTable = loadTable{"activities", []string{"id", "kind", "owner_id", "customer_id", "region_id", "contact_id",
		"opportunity_id", "occurred_at", "ended_at", "direction", "duration_s", "outcome", "channel", "replied_at", "reply_to_id",
		"notes", "fingerprint", "created_at", "updated_at"}}
	fenceGenerationsTable = loadTable{"fence_generations", []string{"generation"}}
)

func (c *loadCustomer) values(dst []any) []any {
	return append(dst, c.id, c.name, c.contact, c.phone, c.address, string(c.grade), c.rep.id, c.rep.region,
		c.at.Lat, c.at.Lon, string(visits.FenceCircle), c.radius, nil, c.created, c.created)
}

// loadReading is a phone's position reading at check-in or check-out.
type loadReading struct {
	lat, lon, accuracy float64
	device             time.Time
	mock               bool
}

type loadVisit struct {
	id         uuid.UUID
	rep        *loadRep
	customer   *loadCustomer
	source     string
	clientID   *uuid.UUID
	start, end time.Time
	in, out    *loadReading
	trusted    bool
	verdict    string
	distance   *float64
	review     string
	revision   int
	updated    time.Time // the check-out, or the review after it
}

func (v *loadVisit) values(dst []any) []any {
	dst = append(dst, v.id, v.rep.id, v.customer.id, v.rep.region, v.source, orNil(v.clientID), string(visits.VisitClosed),
		v.start, v.end)
	if in := v.in; in != nil {
		dst = append(dst, in.lat, in.lon, in.accuracy, in.device, in.mock, "fused")
	} else {
		dst = append(dst, nil, nil, nil, nil, nil, nil)
	}
	if out := v.out; out != nil {
		dst = append(dst, out.lat, out.lon, out.accuracy, out.device)
	} else {
		dst = append(dst, nil, nil, nil, nil)
	}
	return append(dst, v.trusted, v.verdict, orNil(v.distance), v.review, v.revision, v.start, v.updated)
}

type loadRevision struct {
	visit  uuid.UUID
	notes  string
	author uuid.UUID
	at     time.Time
}

// Every check-in stores the visit's first revision, its notes as the phone sent them.
func (r *loadRevision) values(dst []any) []any {
	return append(dst, r.visit, 1, r.notes, "check-in", r.author, r.at)
}

type loadReview struct {
	id, visit         uuid.UUID
	decision, comment string
	reviewer          uuid.UUID
	at                time.Time
}

func (r *loadReview) values(dst []any) []any {
	return append(dst, r.id, r.visit, r.decision, r.comment, r.reviewer, r.at)
}

type loadOrder struct {
	id                     uuid.UUID
	customer               *loadCustomer
	visit                  uuid.UUID
	status                 string
	terms                  int
	gross, discount, total decimal.Decimal
	paid                   decimal.Decimal
	approved, delivered    *time.Time
	dueOn                  *string
	created, updated       time.Time
}

func (o *loadOrder) values(dst []any) []any {
	rep := o.customer.rep
	return append(dst, o.id, o.customer.id, rep.id, rep.region, "CNY", o.status, o.visit, nil, o.terms, "",
		o.gross, o.discount, o.total, o.paid, orNil(o.approved), orNil(o.dueOn), orNil(o.delivered), rep.id, o.created, o.updated)
}

type loadLine struct {
	order                                         uuid.UUID
	no                                            int
	product                                       uuid.UUID
	quantity, price, discountPct, gross, discount decimal.Decimal
	net                                           decimal.Decimal
}

func (l *loadLine) values(dst []any) []any {
	return append(dst, l.order, l.no, l.product, l.quantity, l.price, l.discountPct, l.gross, l.discount, l.net)
}

type loadTransition struct {
	id, order uuid.UUID
	from      *string
	to        string
	actor     uuid.UUID
	comment   string
	at        time.Time
}

func (t *loadTransition) values(dst []any) []any {
	return append(dst, t.id, t.order, orNil(t.from), t.to, t.actor, t.comment, t.at)
}

type loadDelivery struct {
	id, order uuid.UUID
	at        time.Time
	by        uuid.UUID
}

func (d *loadDelivery) values(dst []any) []any {
	return append(dst, d.id, d.order, d.at, "", d.by, d.at)
}

type loadDeliveryLine struct {
	delivery, order uuid.UUID
	no              int
	quantity        decimal.Decimal
}

func (l *loadDeliveryLine) values(dst []any) []any {
	return append(dst, l.delivery, l.order, l.no, l.quantity)
}

type loadPayment struct {
	id, order          uuid.UUID
	amount             decimal.Decimal
	received, recorded time.Time
	method             string
	reference          string
	by                 uuid.UUID
}

func (p *loadPayment) values(dst []any) []any {
	return append(dst, p.id, p.order, p.amount, p.received, p.method, p.reference, p.by, p.recorded, loadFingerprint(p.id))
}

type loadCheck struct {
	id       uuid.UUID
	customer *loadCustomer
	visit    uuid.UUID
	at       time.Time
	note     string
}

func (c *loadCheck) values(dst []any) []any {
	rep := c.customer.rep
	return append(dst, c.id, c.customer.id, rep.id, rep.region, c.visit, c.at, rep.id, c.note, c.at)
}

type loadItem struct {
	check, product uuid.UUID
	price          *decimal.Decimal // nil: not on the shelf
	stock          int
}

func (it *loadItem) values(dst []any) []any {
	if it.price == nil {
		return append(dst, it.check, it.product, false, nil, nil, nil)
	}
	return append(dst, it.check, it.product, true, *it.price, "CNY", it.stock)
}

type loadActivity struct {
	id        uuid.UUID
	kind      activities.Kind
	customer  *loadCustomer
	at        time.Time
	ended     *time.Time
	direction activities.Direction
	duration  *int
	outcome   activities.Outcome
	channel   activities.Channel
	replied   *time.Time
	replyTo   *uuid.UUID
	notes     string
}

func (a *loadActivity) values(dst []any) []any {
	rep := a.customer.rep
	end := a.at
	if a.ended != nil {
		end = *a.ended
	}
	logged := end.Add(3 * time.Minute)
	return append(dst, a.id, string(a.kind), rep.id, a.customer.id, rep.region, nil, nil, a.at, orNil(a.ended),
		textOrNil(a.direction), orNil(a.duration), textOrNil(a.outcome), textOrNil(a.channel), orNil(a.replied), orNil(a.replyTo),
		a.notes, loadFingerprint(a.id), logged, logged)
}

// textOrNil is s, or NULL for the empty string: the columns of the other kinds of activity.
func textOrNil[T ~string](s T) any {
	if s == "" {
		return nil
	}
	return string(s)
}

// loadFingerprint stands for the hash of the request that created a row (of activities and
// payments), which the services keep to tell a phone's retry with the same id from another
// body reusing it. No phone sent the generated rows, so no retry can match them: a hash of the
// id has the stored shape and is as unique.
func loadFingerprint(id uuid.UUID) string {
	sum := sha256.Sum256(id[:])
	return hex.EncodeToString(sum[:])
}
