// Package orders is the order-execution domain: the product catalogue, orders from draft to paid
// with their status history, partial deliveries, payment collection and receivables, the shelf
// checks of FMCG distribution with the distribution rate computed from them, and the prediction of
// each customer's next order with a reminder to its rep before it is due (replenishment.go).
//
// Money is shopspring/decimal throughout, never a float; how totals are rounded is said once, on
// PriceLine. Every order and shelf check is placed, for access, by the owner rep and region of its
// customer when it was made: a rep sees their own, a manager their region subtree.
package orders

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Customers finds the customer an order or a shelf check is for. It answers only for customers
// the caller may see (a fault.NotFound otherwise), so an order cannot be made for a customer out
// of reach. cmd wires it to the visits domain (see CustomerFunc).
type Customers interface {
	Customer(ctx context.Context, id uuid.UUID) (CustomerRef, error)
}

// CustomerRef is what this domain needs of a customer: who owns it and where it is.
type CustomerRef struct {
	ID       uuid.UUID
	OwnerID  uuid.UUID // the rep
	RegionID uuid.UUID
}

// CustomerFunc adapts a function to Customers.
type CustomerFunc func(ctx context.Context, id uuid.UUID) (CustomerRef, error)

// Customer calls f.
func (f CustomerFunc) Customer(ctx context.Context, id uuid.UUID) (CustomerRef, error) {
	return f(ctx, id)
}

// Currencies lists the ISO 4217 codes the caller's tenant trades in; orders, prices and payments
// must be in one of them.
type Currencies interface {
	Currencies(ctx context.Context) ([]string, error)
}

// CurrencyList is a fixed set of currencies, for a single-currency deployment and for tests.
type CurrencyList []string

// Currencies returns the list.
func (l CurrencyList) Currencies(context.Context) ([]string, error) { return l, nil }

// Product is an entry of the tenant's catalogue. Its SKU never changes once created: orders and
// shelf checks name products by it.
type Product struct {
	ID        uuid.UUID
	SKU       string
	Name      string
	Unit      string // "case", "bottle", "kg" ...
	ListPrice decimal.Decimal
	Currency  string
	Active    bool // inactive products stay on old orders but cannot be ordered again
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NewProduct is the input of CreateProduct.
type NewProduct struct {
	SKU, Name, Unit string
	ListPrice       decimal.Decimal
	Currency        string
	Active          bool
}

// ProductChanges is the input of UpdateProduct; nil fields stay as they are.
type ProductChanges struct {
	Name, Unit *string
	ListPrice  *decimal.Decimal
	Currency   *string
	Active     *bool
}

// ProductFilter narrows ListProducts.
type ProductFilter struct {
	Query      string // contained in the SKU or name, case-insensitive
	ActiveOnly bool
	Limit      int
	After      string // keyset cursor: the last SKU of the previous page
}

// ProductPage is one page of products ordered by SKU; Next is "" on the last page.
type ProductPage struct {
	Products []Product
	Next     string
}

// Order is an order with its lines and what has been delivered and paid of it.
type Order struct {
	ID               uuid.UUID
	CustomerID       uuid.UUID
	OwnerID          uuid.UUID // the customer's rep when the order was made
	RegionID         uuid.UUID // the customer's region when the order was made
	Currency         string
	Status           Status
	VisitID          *uuid.UUID // the visit it was taken during
	OpportunityID    *uuid.UUID // the won opportunity it came from
	PaymentTermsDays int
	Notes            string
	Lines            []Line
	Gross            decimal.Decimal // before discounts
	Discount         decimal.Decimal
	Total            decimal.Decimal // what the customer owes: Gross - Discount
	Paid             decimal.Decimal
	ApprovedAt       *time.Time
	DueOn            string // YYYY-MM-DD in the tenant's zone; "" until approved
	DeliveredAt      *time.Time
	CreatedBy        uuid.UUID
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Balance is what remains to be paid.
func (o Order) Balance() decimal.Decimal { return o.Total.Sub(o.Paid) }

// Line is one product of an order, priced.
type Line struct {
	No          int // 1, 2, ... in the order given
	ProductID   uuid.UUID
	SKU, Name   string // the product's, at read time
	Unit        string
	Quantity    decimal.Decimal
	UnitPrice   decimal.Decimal
	DiscountPct decimal.Decimal // 0..100
	Gross       decimal.Decimal
	Discount    decimal.Decimal
	Net         decimal.Decimal
	Delivered   decimal.Decimal // the sum of the deliveries so far
}

// Remaining is the quantity still to deliver.
func (l Line) Remaining() decimal.Decimal { return l.Quantity.Sub(l.Delivered) }

// LineInput is a line as the caller gives it. A nil UnitPrice takes the product's list price,
// which needs the product to be priced in the order's currency.
type LineInput struct {
	ProductID   uuid.UUID
	Quantity    decimal.Decimal
	UnitPrice   *decimal.Decimal
	DiscountPct decimal.Decimal
}

// NewOrder is the input of CreateOrder; the order starts as a draft.
type NewOrder struct {
	// ID is the client's own id for the order (a phone taking orders offline), so that a retry
	// finds the order its first attempt made; uuid.Nil lets the server choose one.
	ID               uuid.UUID
	CustomerID       uuid.UUID
	Currency         string
	VisitID          *uuid.UUID
	OpportunityID    *uuid.UUID
	PaymentTermsDays *int // nil: DefaultPaymentTerms
	Notes            string
	Lines            []LineInput
}

// DraftChanges is the input of UpdateDraft; nil fields stay as they are. Lines, when given,
// replace every line.
type DraftChanges struct {
	Lines            []LineInput
	PaymentTermsDays *int
	Notes            *string
}

// OrderFilter narrows ListOrders.
type OrderFilter struct {
	Status     Status
	CustomerID *uuid.UUID
	OwnerID    *uuid.UUID
	From, To   time.Time // created in [From, To); zero leaves that side open
	// CountedFrom and CountedTo keep the orders that count for their rep's figures of that
	// period (see Metrics): approved in it and not cancelled. Zero: no such filter.
	CountedFrom, CountedTo time.Time
	// DueFrom and DueTo keep the orders falling due in [DueFrom, DueTo) (see Metrics): what a
	// rep's collection rate of that period is over. Zero: no such filter.
	DueFrom, DueTo time.Time
	Limit          int
	After          *uuid.UUID // keyset cursor: the last id of the previous page
}

// OrderPage is one page of orders, newest first; Next is nil on the last page. The orders of a
// page carry no lines: get one order for them. With a DueTo, Collected holds what was received
// for each order before it, as the collection rate counts it.
type OrderPage struct {
	Orders    []Order
	Next      *uuid.UUID
	Collected map[uuid.UUID]decimal.Decimal
}

// Transition is one change of an order's status: who, when and why. From is "" for the creation.
type Transition struct {
	ID      uuid.UUID
	From    Status
	To      Status
	ActorID uuid.UUID
	Comment string
	At      time.Time
}

// Delivery is what reached the customer at one time.
type Delivery struct {
	ID          uuid.UUID
	OrderID     uuid.UUID
	DeliveredAt time.Time
	Note        string
	Lines       []DeliveredLine
	RecordedBy  uuid.UUID
	CreatedAt   time.Time
}

// DeliveredLine is a quantity of one order line.
type DeliveredLine struct {
	Line     int
	Quantity decimal.Decimal
}

// NewDelivery is the input of RecordDelivery; a zero DeliveredAt is now.
type NewDelivery struct {
	DeliveredAt time.Time
	Note        string
	Lines       []DeliveredLine
}

// PaymentMethod is how a payment was made.
type PaymentMethod string

// The payment methods.
const (
	MethodCash         PaymentMethod = "cash"
	MethodBankTransfer PaymentMethod = "bank_transfer"
	MethodCard         PaymentMethod = "card"
	MethodCheque       PaymentMethod = "cheque"
	MethodMobile       PaymentMethod = "mobile"
	MethodOther        PaymentMethod = "other"
)

// Valid reports whether m is one of the methods.
func (m PaymentMethod) Valid() bool {
	switch m {
	case MethodCash, MethodBankTransfer, MethodCard, MethodCheque, MethodMobile, MethodOther:
		return true
	}
	return false
}

// Payment is money received for an order, in the order's currency.
type Payment struct {
	ID         uuid.UUID
	OrderID    uuid.UUID
	Amount     decimal.Decimal
	ReceivedAt time.Time
	Method     PaymentMethod
	Reference  string
	RecordedBy uuid.UUID
	CreatedAt  time.Time
}

// NewPayment is the input of RecordPayment; a zero ReceivedAt is now. ID is the phone's own id
// for the payment (required): a retry with the same ID and content records nothing.
type NewPayment struct {
	ID         uuid.UUID
	Amount     decimal.Decimal
	ReceivedAt time.Time
	Method     PaymentMethod
	Reference  string
}

// Receivable is an order with money owed past its due day.
type Receivable struct {
	Order       Order
	Balance     decimal.Decimal
	DaysOverdue int
}

// Page sizes of the lists.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// DefaultPaymentTerms is the days a customer has to pay when the order does not say.
const DefaultPaymentTerms = 30

// Limits of the free-text fields, in characters.
const (
	MaxSKULen     = 64
	MaxNameLen    = 200
	MaxUnitLen    = 32
	MaxNotesLen   = 2000
	MaxCommentLen = 2000
	MaxRefLen     = 200
	MaxLines      = 500
)
