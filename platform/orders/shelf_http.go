package orders

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

var shelfTags = []string{"Shelf checks"}

func (h *HTTP) registerShelf(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "record-shelf-check", Method: http.MethodPost, Path: "/api/v1/shelf-checks",
		Summary: "Record which SKUs are on a store's shelf", Tags: shelfTags, DefaultStatus: http.StatusCreated,
		Description: "A check is a full audit of the assortment: an SKU it does not list counts as absent for distribution."}, h.recordShelfCheck)
	huma.Register(api, huma.Operation{OperationID: "list-shelf-checks", Method: http.MethodGet, Path: "/api/v1/shelf-checks",
		Summary: "Shelf checks the caller may see, newest first, one page at a time", Tags: shelfTags}, h.listShelfChecks)
	huma.Register(api, huma.Operation{OperationID: "distribution", Method: http.MethodGet, Path: "/api/v1/distribution",
		Summary: "Distribution rate per SKU: stores carrying it over stores covered", Tags: shelfTags,
		Description: "A store is covered when it had a shelf check in the period, and carries an SKU when its latest check in " +
			"the period found it present. Grouped by rep or region, a store counts for the rep and region of its latest check."}, h.distribution)
}

// ShelfItemDTO is one SKU of a shelf check.
type ShelfItemDTO struct {
	SKU           string  `json:"sku" minLength:"1" maxLength:"64"`
	Present       bool    `json:"present"`
	ShelfPrice    *string `json:"shelf_price,omitempty" pattern:"^-?[0-9]+(\\.[0-9]+)?$" doc:"decimal string: the store's labelled price"`
	PriceCurrency string  `json:"price_currency,omitempty" maxLength:"3" doc:"required with shelf_price"`
	StockCount    *int    `json:"stock_count,omitempty" doc:"units counted, >= 0"`
}

// NewShelfCheckDTO is the body that records a shelf check.
type NewShelfCheckDTO struct {
	ID         string         `json:"id,omitempty" format:"uuid" doc:"the client's own id (UUIDv7), for a check queued offline: a retry with the same id, checker, store and checked_at answers the first check with 200; other content under a used id is 409 id_reused"`
	CustomerID string         `json:"customer_id" format:"uuid"`
	VisitID    string         `json:"visit_id,omitempty" format:"uuid"`
	CheckedAt  *time.Time     `json:"checked_at,omitempty" doc:"default now"`
	Note       string         `json:"note,omitempty" maxLength:"2000"`
	Items      []ShelfItemDTO `json:"items" minItems:"1" maxItems:"500"`
}

type recordShelfCheckInput struct{ Body NewShelfCheckDTO }

// ShelfCheckDTO is a shelf check as the API shows it.
type ShelfCheckDTO struct {
	ID         uuid.UUID      `json:"id"`
	CustomerID uuid.UUID      `json:"customer_id"`
	OwnerID    uuid.UUID      `json:"owner_id"`
	RegionID   uuid.UUID      `json:"region_id"`
	VisitID    *uuid.UUID     `json:"visit_id"`
	CheckedAt  time.Time      `json:"checked_at"`
	CheckedBy  uuid.UUID      `json:"checked_by"`
	Note       string         `json:"note"`
	Items      []ShelfItemDTO `json:"items"`
}

type shelfCheckOutput struct {
	Status int // 201 when recorded, 200 for a retry
	Body   ShelfCheckDTO
}

// ShelfCheckPageDTO is one page of shelf checks.
type ShelfCheckPageDTO struct {
	Checks     []ShelfCheckDTO `json:"checks"`
	NextCursor *uuid.UUID      `json:"next_cursor" doc:"pass as cursor for the next page; null on the last page"`
}

type shelfCheckPageOutput struct{ Body ShelfCheckPageDTO }

type listShelfChecksInput struct {
	CustomerID string    `query:"customer_id" format:"uuid"`
	OwnerID    string    `query:"owner_id" format:"uuid" doc:"only the checks of this rep's stores"`
	From       time.Time `query:"from" doc:"checked at or after"`
	To         time.Time `query:"to" doc:"checked before"`
	Limit      int       `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor     string    `query:"cursor" format:"uuid" doc:"next_cursor of the previous page"`
}

func shelfCheckDTO(c ShelfCheck) ShelfCheckDTO {
	out := ShelfCheckDTO{ID: c.ID, CustomerID: c.CustomerID, OwnerID: c.OwnerID, RegionID: c.RegionID, VisitID: c.VisitID,
		CheckedAt: c.CheckedAt, CheckedBy: c.CheckedBy, Note: c.Note, Items: make([]ShelfItemDTO, len(c.Items))}
	for i, it := range c.Items {
		out.Items[i] = ShelfItemDTO{SKU: it.SKU, Present: it.Present, PriceCurrency: it.PriceCurrency, StockCount: it.StockCount}
		if it.ShelfPrice != nil {
			p := it.ShelfPrice.String()
			out.Items[i].ShelfPrice = &p
		}
	}
	return out
}

func (h *HTTP) recordShelfCheck(ctx context.Context, in *recordShelfCheckInput) (*shelfCheckOutput, error) {
	b := in.Body
	nc := NewShelfCheck{Note: b.Note, Items: make([]ShelfItem, len(b.Items))}
	var err error
	if b.ID != "" {
		if nc.ID, err = web.ParseID(b.ID, "body.id"); err != nil {
			return nil, err
		}
	}
	if nc.CustomerID, err = web.ParseID(b.CustomerID, "body.customer_id"); err != nil {
		return nil, err
	}
	if nc.VisitID, err = web.ParseOptionalID(b.VisitID, "body.visit_id"); err != nil {
		return nil, err
	}
	if b.CheckedAt != nil {
		nc.CheckedAt = *b.CheckedAt
	}
	for i, it := range b.Items {
		nc.Items[i] = ShelfItem{SKU: it.SKU, Present: it.Present, PriceCurrency: it.PriceCurrency, StockCount: it.StockCount}
		if nc.Items[i].ShelfPrice, err = parseOptionalDecimal(it.ShelfPrice, fmt.Sprintf("body.items[%d].shelf_price", i)); err != nil {
			return nil, err
		}
	}
	c, created, err := h.svc.RecordShelfCheck(ctx, nc)
	if err != nil {
		return nil, err
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	return &shelfCheckOutput{Status: status, Body: shelfCheckDTO(c)}, nil
}

func (h *HTTP) listShelfChecks(ctx context.Context, in *listShelfChecksInput) (*shelfCheckPageOutput, error) {
	f := ShelfCheckFilter{From: in.From, To: in.To, Limit: in.Limit}
	var err error
	if f.CustomerID, err = web.ParseOptionalID(in.CustomerID, "query.customer_id"); err != nil {
		return nil, err
	}
	if f.OwnerID, err = web.ParseOptionalID(in.OwnerID, "query.owner_id"); err != nil {
		return nil, err
	}
	if f.After, err = web.ParseOptionalID(in.Cursor, "query.cursor"); err != nil {
		return nil, err
	}
	page, err := h.svc.ListShelfChecks(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &shelfCheckPageOutput{Body: ShelfCheckPageDTO{Checks: make([]ShelfCheckDTO, len(page.Checks)), NextCursor: page.Next}}
	for i, c := range page.Checks {
		out.Body.Checks[i] = shelfCheckDTO(c)
	}
	return out, nil
}

type distributionInput struct {
	From    string `query:"from" required:"true" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"first day, YYYY-MM-DD, tenant's time zone"`
	To      string `query:"to" required:"true" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"the day after the last, YYYY-MM-DD"`
	SKU     string `query:"sku" maxLength:"64" doc:"only this SKU"`
	GroupBy string `query:"group_by" enum:"rep,region" doc:"break down by the stores' rep or region"`
}

// DistributionRowDTO is one SKU's distribution, in one group when grouped.
type DistributionRowDTO struct {
	ProductID  uuid.UUID  `json:"product_id"`
	SKU        string     `json:"sku"`
	RepID      *uuid.UUID `json:"rep_id,omitempty" doc:"group_by=rep"`
	RegionPath *string    `json:"region_path,omitempty" doc:"group_by=region"`
	Covered    int        `json:"stores_covered"`
	Carrying   int        `json:"stores_carrying"`
	Rate       float64    `json:"rate" doc:"stores_carrying / stores_covered, 0..1"`
}

// DistributionDTO lists the rows, by SKU.
type DistributionDTO struct {
	Rows []DistributionRowDTO `json:"rows"`
}

type distributionOutput struct{ Body DistributionDTO }

func (h *HTTP) distribution(ctx context.Context, in *distributionInput) (*distributionOutput, error) {
	loc, err := h.svc.timeZone(ctx)
	if err != nil {
		return nil, err
	}
	q := DistributionQuery{SKU: in.SKU, GroupBy: Grouping(in.GroupBy)}
	if q.From, err = parseDay(in.From, "query.from", loc); err != nil {
		return nil, err
	}
	if q.To, err = parseDay(in.To, "query.to", loc); err != nil {
		return nil, err
	}
	rows, err := h.svc.Distribution(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &distributionOutput{Body: DistributionDTO{Rows: make([]DistributionRowDTO, len(rows))}}
	for i, r := range rows {
		out.Body.Rows[i] = DistributionRowDTO{ProductID: r.ProductID, SKU: r.SKU, Covered: r.Covered, Carrying: r.Carrying, Rate: r.Rate}
		switch q.GroupBy {
		case GroupRep:
			out.Body.Rows[i].RepID = &r.RepID
		case GroupRegion:
			out.Body.Rows[i].RegionPath = &r.RegionPath
		}
	}
	return out, nil
}
