package orders

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// catalogue is the resource of the whole catalogue: products have no owner and no region.
var catalogue = access.Resource{Kind: access.KindProduct}

// CreateProduct adds a product to the catalogue. The SKU is unique within the tenant.
func (s *Service) CreateProduct(ctx context.Context, in NewProduct) (Product, error) {
	p := Product{ID: identity.NewID(), ListPrice: in.ListPrice, Currency: in.Currency, Active: in.Active}
	var err error
	if p.SKU, err = text(in.SKU, "body.sku", MaxSKULen, true); err != nil {
		return Product{}, err
	}
	if strings.ContainsAny(p.SKU, " \t\n/") {
		return Product{}, fault.Field("body.sku", "may not contain spaces or slashes", in.SKU)
	}
	if p.Name, err = text(in.Name, "body.name", MaxNameLen, true); err != nil {
		return Product{}, err
	}
	if p.Unit, err = text(in.Unit, "body.unit", MaxUnitLen, true); err != nil {
		return Product{}, err
	}
	if err := checkPrice(p.ListPrice, "body.list_price"); err != nil {
		return Product{}, err
	}
	err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.Create, catalogue); err != nil {
			return err
		}
		if err := s.checkCurrency(ctx, p.Currency, "body.currency"); err != nil {
			return err
		}
		p.CreatedAt = s.now()
		p.UpdatedAt = p.CreatedAt
		err := db.Create(&productRow{ID: p.ID, SKU: p.SKU, Name: p.Name, Unit: p.Unit, ListPrice: p.ListPrice,
			Currency: p.Currency, Active: p.Active, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}).Error
		if store.IsUniqueViolation(err) {
			return fault.New(fault.Conflict, "duplicate_sku", "the catalogue already has a product with SKU "+p.SKU,
				fault.Detail{Location: "body.sku", Message: "is taken", Value: p.SKU})
		}
		return err
	})
	if err != nil {
		return Product{}, fmt.Errorf("create product: %w", err)
	}
	return p, nil
}

// UpdateProduct changes a product. The SKU stays: orders and shelf checks name products by it.
func (s *Service) UpdateProduct(ctx context.Context, id uuid.UUID, ch ProductChanges) (Product, error) {
	var p Product
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.Update, catalogue); err != nil {
			return err
		}
		var r productRow
		err := db.Where("id = ?", id).Take(&r).Error
		if store.IsNotFound(err) {
			return fault.NotFoundf("product")
		}
		if err != nil {
			return err
		}
		p = toProduct(r)
		if ch.Name != nil {
			if p.Name, err = text(*ch.Name, "body.name", MaxNameLen, true); err != nil {
				return err
			}
		}
		if ch.Unit != nil {
			if p.Unit, err = text(*ch.Unit, "body.unit", MaxUnitLen, true); err != nil {
				return err
			}
		}
		if ch.ListPrice != nil {
			if err := checkPrice(*ch.ListPrice, "body.list_price"); err != nil {
				return err
			}
			p.ListPrice = *ch.ListPrice
		}
		if ch.Currency != nil {
			if err := s.checkCurrency(ctx, *ch.Currency, "body.currency"); err != nil {
				return err
			}
			p.Currency = *ch.Currency
		}
		if ch.Active != nil {
			p.Active = *ch.Active
		}
		p.UpdatedAt = s.now()
		return db.Model(&productRow{}).Where("id = ?", id).Updates(map[string]any{"name": p.Name, "unit": p.Unit,
			"list_price": p.ListPrice, "currency": p.Currency, "active": p.Active, "updated_at": p.UpdatedAt}).Error
	})
	if err != nil {
		return Product{}, fmt.Errorf("update product %s: %w", id, err)
	}
	return p, nil
}

// GetProduct returns one product.
func (s *Service) GetProduct(ctx context.Context, id uuid.UUID) (Product, error) {
	var p Product
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.Read, catalogue); err != nil {
			return err
		}
		var r productRow
		err := db.Where("id = ?", id).Take(&r).Error
		if store.IsNotFound(err) {
			return fault.NotFoundf("product")
		}
		p = toProduct(r)
		return err
	})
	if err != nil {
		return Product{}, fmt.Errorf("get product %s: %w", id, err)
	}
	return p, nil
}

// ListProducts returns the catalogue ordered by SKU, one page at a time.
func (s *Service) ListProducts(ctx context.Context, f ProductFilter) (ProductPage, error) {
	limit := pageLimit(f.Limit)
	var page ProductPage
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		if err := s.warden.Check(ctx, access.List, catalogue); err != nil {
			return err
		}
		q := db.Model(&productRow{})
		if f.ActiveOnly {
			q = q.Where("active = ?", true)
		}
		if t := strings.ToLower(strings.TrimSpace(f.Query)); t != "" {
			like := likeContains(t)
			q = q.Where(`(LOWER(sku) LIKE ? ESCAPE '\' OR LOWER(name) LIKE ? ESCAPE '\')`, like, like)
		}
		if f.After != "" {
			q = q.Where("sku > ?", f.After)
		}
		var rows []productRow
		if err := q.Order("sku").Limit(limit + 1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) > limit {
			rows = rows[:limit]
			page.Next = rows[len(rows)-1].SKU
		}
		page.Products = make([]Product, len(rows))
		for i, r := range rows {
			page.Products[i] = toProduct(r)
		}
		return nil
	})
	if err != nil {
		return ProductPage{}, fmt.Errorf("list products: %w", err)
	}
	return page, nil
}

// productsByID loads the products lines refer to.
func productsByID(db *gorm.DB, ids []uuid.UUID) (map[uuid.UUID]productRow, error) {
	var rows []productRow
	if err := db.Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load products: %w", err)
	}
	out := make(map[uuid.UUID]productRow, len(rows))
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}
