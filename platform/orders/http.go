package orders

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/web"
)

// HTTP is the orders domain's API under /api/v1: products, orders with their transitions,
// deliveries and payments, overdue receivables, shelf checks and distribution, and customers due
// to reorder.
//
// Decimals (quantities, prices, amounts, percentages) travel as JSON strings ("12.50"), never as
// JSON numbers, which many clients read into floats. Amounts in answers carry exactly their
// currency's minor-unit places.
type HTTP struct{ svc *Service }

// NewHTTP returns the API over svc.
func NewHTTP(svc *Service) *HTTP { return &HTTP{svc: svc} }

var productTags = []string{"Products"}

// Register adds the operations to api.
func (h *HTTP) Register(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "list-products", Method: http.MethodGet, Path: "/api/v1/products",
		Summary: "The product catalogue ordered by SKU, one page at a time", Tags: productTags}, h.listProducts)
	huma.Register(api, huma.Operation{OperationID: "get-product", Method: http.MethodGet, Path: "/api/v1/products/{id}",
		Summary: "One product", Tags: productTags}, h.getProduct)
	huma.Register(api, huma.Operation{OperationID: "create-product", Method: http.MethodPost, Path: "/api/v1/products",
		Summary: "Add a product to the catalogue (tenant admins)", Tags: productTags, DefaultStatus: http.StatusCreated}, h.createProduct)
	huma.Register(api, huma.Operation{OperationID: "update-product", Method: http.MethodPatch, Path: "/api/v1/products/{id}",
		Summary: "Change a product; its SKU stays", Tags: productTags}, h.updateProduct)
	h.registerOrders(api)
	h.registerFulfilment(api)
	h.registerShelf(api)
	h.registerReplenishments(api)
}

// ProductDTO is a catalogue entry.
type ProductDTO struct {
	ID        uuid.UUID `json:"id"`
	SKU       string    `json:"sku"`
	Name      string    `json:"name"`
	Unit      string    `json:"unit"`
	ListPrice string    `json:"list_price" doc:"decimal string"`
	Currency  string    `json:"currency"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func productDTO(p Product) ProductDTO {
	return ProductDTO{ID: p.ID, SKU: p.SKU, Name: p.Name, Unit: p.Unit, ListPrice: p.ListPrice.String(), Currency: p.Currency,
		Active: p.Active, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

type productOutput struct{ Body ProductDTO }

// ProductPageDTO is one page of the catalogue.
type ProductPageDTO struct {
	Products   []ProductDTO `json:"products"`
	NextCursor *string      `json:"next_cursor" doc:"pass as cursor for the next page; null on the last page"`
}

type productPageOutput struct{ Body ProductPageDTO }

type listProductsInput struct {
	Q          string `query:"q" maxLength:"100" doc:"contained in the SKU or name, case-insensitive"`
	ActiveOnly bool   `query:"active_only" doc:"leave out products no longer sold"`
	Limit      int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor     string `query:"cursor" maxLength:"64" doc:"next_cursor of the previous page"`
}

type productPath struct {
	ID string `path:"id" format:"uuid" doc:"the product's id"`
}

// NewProductDTO is the body that adds a product.
type NewProductDTO struct {
	SKU       string `json:"sku" minLength:"1" maxLength:"64"`
	Name      string `json:"name" minLength:"1" maxLength:"200"`
	Unit      string `json:"unit" minLength:"1" maxLength:"32" doc:"case, bottle, kg ..."`
	ListPrice string `json:"list_price" pattern:"^-?[0-9]+(\\.[0-9]+)?$" doc:"decimal string, at most 4 places"`
	Currency  string `json:"currency" minLength:"3" maxLength:"3" doc:"ISO 4217, one your company trades in"`
	Active    *bool  `json:"active,omitempty" doc:"default true"`
}

type createProductInput struct{ Body NewProductDTO }

// ProductChangesDTO is the body that changes a product; absent fields stay as they are.
type ProductChangesDTO struct {
	Name      *string `json:"name,omitempty" maxLength:"200"`
	Unit      *string `json:"unit,omitempty" maxLength:"32"`
	ListPrice *string `json:"list_price,omitempty" pattern:"^-?[0-9]+(\\.[0-9]+)?$"`
	Currency  *string `json:"currency,omitempty" minLength:"3" maxLength:"3"`
	Active    *bool   `json:"active,omitempty"`
}

type updateProductInput struct {
	ID   string `path:"id" format:"uuid" doc:"the product's id"`
	Body ProductChangesDTO
}

func (h *HTTP) listProducts(ctx context.Context, in *listProductsInput) (*productPageOutput, error) {
	page, err := h.svc.ListProducts(ctx, ProductFilter{Query: in.Q, ActiveOnly: in.ActiveOnly, Limit: in.Limit, After: in.Cursor})
	if err != nil {
		return nil, err
	}
	out := &productPageOutput{Body: ProductPageDTO{Products: make([]ProductDTO, len(page.Products))}}
	for i, p := range page.Products {
		out.Body.Products[i] = productDTO(p)
	}
	if page.Next != "" {
		out.Body.NextCursor = &page.Next
	}
	return out, nil
}

func (h *HTTP) getProduct(ctx context.Context, in *productPath) (*productOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	p, err := h.svc.GetProduct(ctx, id)
	if err != nil {
		return nil, err
	}
	return &productOutput{Body: productDTO(p)}, nil
}

func (h *HTTP) createProduct(ctx context.Context, in *createProductInput) (*productOutput, error) {
	b := in.Body
	price, err := parseDecimal(b.ListPrice, "body.list_price")
	if err != nil {
		return nil, err
	}
	active := b.Active == nil || *b.Active
	p, err := h.svc.CreateProduct(ctx, NewProduct{SKU: b.SKU, Name: b.Name, Unit: b.Unit, ListPrice: price, Currency: b.Currency, Active: active})
	if err != nil {
		return nil, err
	}
	return &productOutput{Body: productDTO(p)}, nil
}

func (h *HTTP) updateProduct(ctx context.Context, in *updateProductInput) (*productOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	b := in.Body
	ch := ProductChanges{Name: b.Name, Unit: b.Unit, Currency: b.Currency, Active: b.Active}
	if ch.ListPrice, err = parseOptionalDecimal(b.ListPrice, "body.list_price"); err != nil {
		return nil, err
	}
	p, err := h.svc.UpdateProduct(ctx, id, ch)
	if err != nil {
		return nil, err
	}
	return &productOutput{Body: productDTO(p)}, nil
}

func parseOptionalDecimal(s *string, location string) (*decimal.Decimal, error) {
	if s == nil {
		return nil, nil
	}
	d, err := parseDecimal(*s, location)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// parseDay reads a day of the tenant's zone (YYYY-MM-DD) as its first instant.
func parseDay(s, location string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return time.Time{}, fault.Field(location, "is not a date (YYYY-MM-DD)", s)
	}
	return t, nil
}
