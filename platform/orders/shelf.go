package orders

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// ShelfCheck is what a rep found on a store's shelf at one time. It is a full audit of the
// assortment: an SKU it does not list counts as absent, for the distribution rate.
type ShelfCheck struct {
	ID         uuid.UUID
	CustomerID uuid.UUID
	OwnerID    uuid.UUID // the customer's rep when checked: checks are scoped and grouped by it
	RegionID   uuid.UUID
	VisitID    *uuid.UUID
	CheckedAt  time.Time
	CheckedBy  uuid.UUID // who stood at the shelf: the rep, or a manager riding along
	Note       string
	Items      []ShelfItem
	CreatedAt  time.Time
}

// ShelfItem is one SKU on the shelf, or missing from it.
type ShelfItem struct {
	ProductID     uuid.UUID
	SKU           string
	Present       bool
	ShelfPrice    *decimal.Decimal // the store's price, as labelled
	PriceCurrency string           // "" when there is no price
	StockCount    *int
}

// NewShelfCheck is the input of RecordShelfCheck; a zero CheckedAt is now. Items name products
// by SKU, as they are printed on the packs. ID is the client's own id, or zero for a new one.
type NewShelfCheck struct {
	ID         uuid.UUID
	CustomerID uuid.UUID
	VisitID    *uuid.UUID
	CheckedAt  time.Time
	Note       string
	Items      []ShelfItem
}

// ShelfCheckFilter narrows ListShelfChecks.
type ShelfCheckFilter struct {
	CustomerID *uuid.UUID
	OwnerID    *uuid.UUID
	From, To   time.Time // checked in [From, To); zero leaves that side open
	Limit      int
	After      *uuid.UUID
}

// ShelfCheckPage is one page of shelf checks, newest first; Next is nil on the last page.
type ShelfCheckPage struct {
	Checks []ShelfCheck
	Next   *uuid.UUID
}

var shelfColumns = access.Columns{Owner: "shelf_checks.owner_id", RegionID: "shelf_checks.region_id"}

// RecordShelfCheck records a shelf check of a customer's store the caller can see. With the
// client's own id (a phone that queued the check offline), a retry answers the check its first
// attempt recorded (created is then false); see earlierShelfCheck for what makes it a retry.
func (s *Service) RecordShelfCheck(ctx context.Context, in NewShelfCheck) (c ShelfCheck, created bool, err error) {
	p, err := identity.SignedIn(ctx, "record a shelf check")
	if err != nil {
		return ShelfCheck{}, false, err
	}
	id := in.ID
	if id == uuid.Nil {
		id = identity.NewID()
	}
	c = ShelfCheck{ID: id, CustomerID: in.CustomerID, VisitID: in.VisitID, CheckedAt: in.CheckedAt.UTC().Truncate(time.Microsecond), // as stored: a retry compares it
		CheckedBy: p.UserID, CreatedAt: s.now()}
	if c.CheckedAt.IsZero() {
		c.CheckedAt = c.CreatedAt
	}
	if c.CheckedAt.After(c.CreatedAt.Add(clockSkew)) {
		return ShelfCheck{}, false, fault.Field("body.checked_at", "is in the future", in.CheckedAt)
	}
	if c.Note, err = text(in.Note, "body.note", MaxCommentLen, false); err != nil {
		return ShelfCheck{}, false, err
	}
	if err := checkShelfItems(in.Items); err != nil {
		return ShelfCheck{}, false, err
	}
	retry := func(db *gorm.DB) (bool, error) {
		if in.ID == uuid.Nil {
			return false, nil
		}
		prior, found, err := earlierShelfCheck(db, c)
		if found {
			c = prior
		}
		return found, err
	}
	created = true
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if found, err := retry(db); err != nil || found {
			created = !found
			return err
		}
		cust, err := s.customer(ctx, in.CustomerID, "body.customer_id")
		if err != nil {
			return err
		}
		c.OwnerID, c.RegionID = cust.OwnerID, cust.RegionID
		path, err := regionPath(db, c.RegionID)
		if err != nil {
			return err
		}
		r := access.Resource{Kind: access.KindShelfCheck, ID: c.ID, OwnerID: c.OwnerID, RegionPath: path}
		if err := s.warden.Check(ctx, access.Create, r); err != nil {
			return err
		}
		if c.Items, err = s.resolveShelfItems(ctx, db, in.Items); err != nil {
			return err
		}
		err = db.Create(&shelfCheckRow{ID: c.ID, CustomerID: c.CustomerID, OwnerID: c.OwnerID, RegionID: c.RegionID,
			VisitID: c.VisitID, CheckedAt: c.CheckedAt, CheckedBy: c.CheckedBy, Note: c.Note, CreatedAt: c.CreatedAt}).Error
		if err != nil {
			if store.IsForeignKeyViolation(err) && c.VisitID != nil {
				return fault.Reference("body.visit_id", "there is no such visit", *c.VisitID)
			}
			return fmt.Errorf("store shelf check: %w", err)
		}
		rows := make([]shelfItemRow, len(c.Items))
		for i, it := range c.Items {
			rows[i] = shelfItemRow{CheckID: c.ID, ProductID: it.ProductID, Present: it.Present, StockCount: it.StockCount}
			if it.ShelfPrice != nil {
				cur := it.PriceCurrency
				rows[i].ShelfPrice, rows[i].PriceCurrency = decimal.NewNullDecimal(*it.ShelfPrice), &cur
			}
		}
		return db.Create(&rows).Error
	})
	if err != nil && in.ID != uuid.Nil && store.IsUniqueViolation(err) {
		// A retry of this very request, run at the same moment, stored it first.
		err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
			found, err := retry(db)
			if err == nil && !found {
				err = fmt.Errorf("shelf check %s neither stored nor found", c.ID)
			}
			created = false
			return err
		})
	}
	if err != nil {
		return ShelfCheck{}, false, fmt.Errorf("record shelf check: %w", err)
	}
	return c, created, nil
}

// earlierShelfCheck finds the check stored under want's id. It is a retry of the same request when
// the same person checked the same store at the same moment (the phone sends checked_at, the time
// the rep stood at the shelf); anything else reusing the id is refused. The id is looked up within
// the caller's tenant only (db is the tenant's transaction).
func earlierShelfCheck(db *gorm.DB, want ShelfCheck) (ShelfCheck, bool, error) {
	var rows []shelfCheckRow
	if err := db.Where("id = ?", want.ID).Limit(1).Find(&rows).Error; err != nil {
		return ShelfCheck{}, false, fmt.Errorf("find earlier attempt: %w", err)
	}
	if len(rows) == 0 {
		return ShelfCheck{}, false, nil
	}
	r := rows[0]
	if r.CheckedBy != want.CheckedBy || r.CustomerID != want.CustomerID || !r.CheckedAt.Equal(want.CheckedAt) {
		return ShelfCheck{}, false, fault.New(fault.Conflict, "id_reused",
			"a shelf check with this id was already recorded with different content: a retry must send the same body, and a new check needs a new id")
	}
	checks, err := withItems(db, rows)
	if err != nil {
		return ShelfCheck{}, false, err
	}
	return checks[0], true, nil
}

func itemError(i int, field, msg string, value any) error {
	return fault.New(fault.Invalid, "invalid_input", fmt.Sprintf("item %d: %s %s", i+1, field, msg),
		fault.Detail{Location: fmt.Sprintf("body.items[%d].%s", i, field), Message: msg, Value: value})
}

// checkShelfItems checks what can be checked of the items without the catalogue.
func checkShelfItems(items []ShelfItem) error {
	if len(items) == 0 {
		return fault.Field("body.items", "must list at least one SKU", nil)
	}
	if len(items) > MaxLines {
		return fault.Field("body.items", fmt.Sprintf("has more than %d SKUs", MaxLines), len(items))
	}
	seen := map[string]bool{}
	for i, it := range items {
		sku := strings.TrimSpace(it.SKU)
		if sku == "" {
			return itemError(i, "sku", "is required", it.SKU)
		}
		if seen[sku] {
			return itemError(i, "sku", "appears twice in the check", it.SKU)
		}
		seen[sku] = true
		if it.StockCount != nil && *it.StockCount < 0 {
			return itemError(i, "stock_count", "must not be negative", *it.StockCount)
		}
		if it.ShelfPrice != nil && (it.ShelfPrice.IsNegative() || !fits(*it.ShelfPrice, Scale)) {
			return itemError(i, "shelf_price", fmt.Sprintf("must not be negative, with at most %d decimal places", Scale), it.ShelfPrice.String())
		}
		if (it.ShelfPrice == nil) != (it.PriceCurrency == "") {
			return itemError(i, "price_currency", "goes with shelf_price: give both or neither", it.PriceCurrency)
		}
	}
	return nil
}

// resolveShelfItems finds each item's product by SKU and checks its price's currency.
func (s *Service) resolveShelfItems(ctx context.Context, db *gorm.DB, items []ShelfItem) ([]ShelfItem, error) {
	skus := make([]string, len(items))
	for i, it := range items {
		skus[i] = strings.TrimSpace(it.SKU)
	}
	var products []productRow
	if err := db.Where("sku IN ?", skus).Find(&products).Error; err != nil {
		return nil, fmt.Errorf("load products: %w", err)
	}
	bySKU := map[string]productRow{}
	for _, p := range products {
		bySKU[p.SKU] = p
	}
	out := make([]ShelfItem, len(items))
	for i, it := range items {
		p, ok := bySKU[skus[i]]
		if !ok {
			msg := "is not in the catalogue"
			return nil, fault.New(fault.Invalid, "invalid_reference", fmt.Sprintf("item %d: SKU %s %s", i+1, skus[i], msg),
				fault.Detail{Location: fmt.Sprintf("body.items[%d].sku", i), Message: msg, Value: skus[i]})
		}
		if it.ShelfPrice != nil {
			if err := s.checkCurrency(ctx, it.PriceCurrency, fmt.Sprintf("body.items[%d].price_currency", i)); err != nil {
				return nil, err
			}
		}
		it.SKU, it.ProductID = p.SKU, p.ID
		out[i] = it
	}
	return out, nil
}

// ListShelfChecks returns the shelf checks the caller may list, newest first, one page at a time.
func (s *Service) ListShelfChecks(ctx context.Context, f ShelfCheckFilter) (ShelfCheckPage, error) {
	limit := pageLimit(f.Limit)
	var page ShelfCheckPage
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		scope, err := s.warden.Scope(ctx, access.List, access.KindShelfCheck, shelfColumns)
		if err != nil {
			return err
		}
		q := db.Model(&shelfCheckRow{}).Scopes(scope)
		if f.CustomerID != nil {
			q = q.Where("shelf_checks.customer_id = ?", *f.CustomerID)
		}
		if f.OwnerID != nil {
			q = q.Where("shelf_checks.owner_id = ?", *f.OwnerID)
		}
		if !f.From.IsZero() {
			q = q.Where("shelf_checks.checked_at >= ?", f.From.UTC())
		}
		if !f.To.IsZero() {
			q = q.Where("shelf_checks.checked_at < ?", f.To.UTC())
		}
		if f.After != nil {
			q = q.Where("shelf_checks.id < ?", *f.After)
		}
		var rows []shelfCheckRow
		if err := q.Order("shelf_checks.id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) > limit {
			rows = rows[:limit]
			last := rows[len(rows)-1].ID
			page.Next = &last
		}
		page.Checks, err = withItems(db, rows)
		return err
	})
	if err != nil {
		return ShelfCheckPage{}, fmt.Errorf("list shelf checks: %w", err)
	}
	return page, nil
}

// withItems turns rows into checks with their items, SKUs ordered.
func withItems(db *gorm.DB, rows []shelfCheckRow) ([]ShelfCheck, error) {
	out := make([]ShelfCheck, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	// Written out, not embedding shelfItemRow: gorm skips embedded structs of unexported types.
	var items []struct {
		CheckID       uuid.UUID
		ProductID     uuid.UUID
		Present       bool
		ShelfPrice    decimal.NullDecimal
		PriceCurrency *string
		StockCount    *int
		SKU           string `gorm:"column:sku"`
	}
	err := db.Model(&shelfItemRow{}).Select("shelf_check_items.*, products.sku").
		Joins("JOIN products ON products.tenant_id = shelf_check_items.tenant_id AND products.id = shelf_check_items.product_id").
		Where("shelf_check_items.check_id IN ?", ids).Order("products.sku").Find(&items).Error
	if err != nil {
		return nil, fmt.Errorf("load shelf items: %w", err)
	}
	byCheck := map[uuid.UUID][]ShelfItem{}
	for _, it := range items {
		si := ShelfItem{ProductID: it.ProductID, SKU: it.SKU, Present: it.Present, StockCount: it.StockCount}
		if it.ShelfPrice.Valid && it.PriceCurrency != nil {
			price := it.ShelfPrice.Decimal
			si.ShelfPrice, si.PriceCurrency = &price, *it.PriceCurrency
		}
		byCheck[it.CheckID] = append(byCheck[it.CheckID], si)
	}
	for i, r := range rows {
		out[i] = ShelfCheck{ID: r.ID, CustomerID: r.CustomerID, OwnerID: r.OwnerID, RegionID: r.RegionID, VisitID: r.VisitID,
			CheckedAt: r.CheckedAt.UTC(), CheckedBy: r.CheckedBy, Note: r.Note, Items: byCheck[r.ID], CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}
