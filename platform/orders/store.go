package orders

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// The gorm rows mirror migrations/0008_orders.go (and 0012's payment fingerprint), plus a read-only view of the regions table that
// places rows for access decisions. Decimals travel as text, which both dialects store exactly.

type productRow struct {
	TenantID  uuid.UUID
	ID        uuid.UUID
	SKU       string `gorm:"column:sku"`
	Name      string
	Unit      string
	ListPrice decimal.Decimal
	Currency  string
	Active    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (productRow) TableName() string { return "products" }

type orderRow struct {
	TenantID         uuid.UUID
	ID               uuid.UUID
	CustomerID       uuid.UUID
	OwnerID          uuid.UUID
	RegionID         uuid.UUID
	Currency         string
	Status           string
	VisitID          *uuid.UUID
	OpportunityID    *uuid.UUID
	PaymentTermsDays int
	Notes            string
	Gross            decimal.Decimal
	Discount         decimal.Decimal
	Total            decimal.Decimal
	AmountPaid       decimal.Decimal
	ApprovedAt       *time.Time
	DueOn            *string
	DeliveredAt      *time.Time
	CreatedBy        uuid.UUID
	CreatedAt        time.Time
	UpdatedAt        time.Time
	// Fingerprint hashes the request that created an order with a client id (order_retry.go).
	Fingerprint *string
}

func (orderRow) TableName() string { return "orders" }

type lineRow struct {
	TenantID    uuid.UUID
	OrderID     uuid.UUID
	LineNo      int
	ProductID   uuid.UUID
	Quantity    decimal.Decimal
	UnitPrice   decimal.Decimal
	DiscountPct decimal.Decimal
	Gross       decimal.Decimal
	Discount    decimal.Decimal
	Net         decimal.Decimal
}

func (lineRow) TableName() string { return "order_lines" }

type transitionRow struct {
	TenantID   uuid.UUID
	ID         uuid.UUID
	OrderID    uuid.UUID
	FromStatus *string
	ToStatus   string
	ActorID    uuid.UUID
	Comment    string
	At         time.Time
}

func (transitionRow) TableName() string { return "order_transitions" }

type deliveryRow struct {
	TenantID    uuid.UUID
	ID          uuid.UUID
	OrderID     uuid.UUID
	DeliveredAt time.Time
	Note        string
	RecordedBy  uuid.UUID
	CreatedAt   time.Time
}

func (deliveryRow) TableName() string { return "deliveries" }

type deliveryLineRow struct {
	TenantID   uuid.UUID
	DeliveryID uuid.UUID
	OrderID    uuid.UUID
	LineNo     int
	Quantity   decimal.Decimal
}

func (deliveryLineRow) TableName() string { return "delivery_lines" }

type paymentRow struct {
	TenantID    uuid.UUID
	ID          uuid.UUID
	OrderID     uuid.UUID
	Amount      decimal.Decimal
	ReceivedAt  time.Time
	Method      string
	Reference   string
	RecordedBy  uuid.UUID
	CreatedAt   time.Time
	Fingerprint *string // nil for payments recorded before ids were the client's
}

func (paymentRow) TableName() string { return "payments" }

type shelfCheckRow struct {
	TenantID   uuid.UUID
	ID         uuid.UUID
	CustomerID uuid.UUID
	OwnerID    uuid.UUID
	RegionID   uuid.UUID
	VisitID    *uuid.UUID
	CheckedAt  time.Time
	CheckedBy  uuid.UUID
	Note       string
	CreatedAt  time.Time
}

func (shelfCheckRow) TableName() string { return "shelf_checks" }

type shelfItemRow struct {
	TenantID      uuid.UUID
	CheckID       uuid.UUID
	ProductID     uuid.UUID
	Present       bool
	ShelfPrice    decimal.NullDecimal
	PriceCurrency *string
	StockCount    *int
}

func (shelfItemRow) TableName() string { return "shelf_check_items" }

// regionRow is what a row needs of its region: the path that places it for access checks.
type regionRow struct {
	TenantID uuid.UUID
	ID       uuid.UUID
	Path     string
}

func (regionRow) TableName() string { return "regions" }

func toProduct(r productRow) Product {
	return Product{ID: r.ID, SKU: r.SKU, Name: r.Name, Unit: r.Unit, ListPrice: r.ListPrice, Currency: r.Currency,
		Active: r.Active, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func toOrderRow(o Order) orderRow {
	r := orderRow{ID: o.ID, CustomerID: o.CustomerID, OwnerID: o.OwnerID, RegionID: o.RegionID, Currency: o.Currency,
		Status: string(o.Status), VisitID: o.VisitID, OpportunityID: o.OpportunityID, PaymentTermsDays: o.PaymentTermsDays,
		Notes: o.Notes, Gross: o.Gross, Discount: o.Discount, Total: o.Total, AmountPaid: o.Paid, ApprovedAt: o.ApprovedAt,
		DeliveredAt: o.DeliveredAt, CreatedBy: o.CreatedBy, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
	if o.DueOn != "" {
		r.DueOn = &o.DueOn
	}
	return r
}

func toOrder(r orderRow) Order {
	o := Order{ID: r.ID, CustomerID: r.CustomerID, OwnerID: r.OwnerID, RegionID: r.RegionID, Currency: r.Currency,
		Status: Status(r.Status), VisitID: r.VisitID, OpportunityID: r.OpportunityID, PaymentTermsDays: r.PaymentTermsDays,
		Notes: r.Notes, Gross: r.Gross, Discount: r.Discount, Total: r.Total, Paid: r.AmountPaid,
		ApprovedAt: utcPtr(r.ApprovedAt), DeliveredAt: utcPtr(r.DeliveredAt), CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.DueOn != nil {
		o.DueOn = *r.DueOn
	}
	return o
}

// loadLines fills in o's lines with their products and the quantities delivered so far.
func loadLines(db *gorm.DB, o *Order) error {
	// Written out, not embedding lineRow: gorm skips embedded structs of unexported types.
	var rows []struct {
		LineNo               int
		ProductID            uuid.UUID
		Quantity, UnitPrice  decimal.Decimal
		DiscountPct          decimal.Decimal
		Gross, Discount, Net decimal.Decimal
		SKU                  string `gorm:"column:sku"`
		Name, Unit           string
	}
	err := db.Model(&lineRow{}).
		Select("order_lines.*, products.sku, products.name, products.unit").
		Joins("JOIN products ON products.tenant_id = order_lines.tenant_id AND products.id = order_lines.product_id").
		Where("order_lines.order_id = ?", o.ID).Order("order_lines.line_no").Find(&rows).Error
	if err != nil {
		return fmt.Errorf("load order lines: %w", err)
	}
	var delivered []deliveryLineRow
	if err := db.Where("order_id = ?", o.ID).Find(&delivered).Error; err != nil {
		return fmt.Errorf("load delivered quantities: %w", err)
	}
	sum := map[int]decimal.Decimal{}
	for _, d := range delivered {
		sum[d.LineNo] = sum[d.LineNo].Add(d.Quantity)
	}
	o.Lines = make([]Line, len(rows))
	for i, r := range rows {
		o.Lines[i] = Line{No: r.LineNo, ProductID: r.ProductID, SKU: r.SKU, Name: r.Name, Unit: r.Unit, Quantity: r.Quantity,
			UnitPrice: r.UnitPrice, DiscountPct: r.DiscountPct, Gross: r.Gross, Discount: r.Discount,
			Net: r.Net, Delivered: sum[r.LineNo]}
	}
	return nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
