package orders

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/money"
	"github.com/repflow/repflow/platform/web"
)

var orderTags = []string{"Orders"}

func (h *HTTP) registerOrders(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "list-orders", Method: http.MethodGet, Path: "/api/v1/orders",
		Summary: "Orders the caller may see, newest first, one page at a time (without lines)", Tags: orderTags}, h.listOrders)
	huma.Register(api, huma.Operation{OperationID: "get-order", Method: http.MethodGet, Path: "/api/v1/orders/{id}",
		Summary: "One order with its lines, delivered quantities, amount paid and balance", Tags: orderTags}, h.getOrder)
	huma.Register(api, huma.Operation{OperationID: "create-order", Method: http.MethodPost, Path: "/api/v1/orders",
		Summary: "Start a draft order for a customer", Tags: orderTags, DefaultStatus: http.StatusCreated,
		Description: "Each line is priced as gross = quantity × unit price, discount = gross × discount_pct / 100, " +
			"net = gross − discount, each rounded half to even to the currency's minor unit; the total is the sum of the nets. " +
			"A line without unit_price takes the product's list price, which must be in the order's currency."}, h.createOrder)
	huma.Register(api, huma.Operation{OperationID: "update-order", Method: http.MethodPatch, Path: "/api/v1/orders/{id}",
		Summary: "Change a draft: its lines (all replaced), payment terms or notes", Tags: orderTags}, h.updateOrder)
	huma.Register(api, huma.Operation{OperationID: "transition-order", Method: http.MethodPost, Path: "/api/v1/orders/{id}/transitions",
		Summary: "Move an order to another status", Tags: orderTags,
		Description: "draft → submitted | cancelled; submitted → approved | draft | cancelled; approved → shipped | cancelled; " +
			"shipped → delivered (delivers everything outstanding); delivered → paid happens by itself when payments cover the total. " +
			"Approving needs the order-approval right and is refused to the order's own rep and its creator. Cancelling needs a comment. " +
			"A step the state machine does not have answers 409 naming the current status and the allowed next ones."}, h.transition)
	huma.Register(api, huma.Operation{OperationID: "list-order-transitions", Method: http.MethodGet, Path: "/api/v1/orders/{id}/transitions",
		Summary: "An order's status history: who moved it, when and why", Tags: orderTags}, h.transitions)
}

// OrderLineDTO is a priced order line.
type OrderLineDTO struct {
	Line        int       `json:"line"`
	ProductID   uuid.UUID `json:"product_id"`
	SKU         string    `json:"sku"`
	Name        string    `json:"name"`
	Unit        string    `json:"unit"`
	Quantity    string    `json:"quantity"`
	UnitPrice   string    `json:"unit_price"`
	DiscountPct string    `json:"discount_pct"`
	Gross       string    `json:"gross"`
	Discount    string    `json:"discount"`
	Net         string    `json:"net"`
	Delivered   string    `json:"delivered"`
	Remaining   string    `json:"remaining"`
}

// OrderDTO is an order as the API shows it; lists leave lines out.
type OrderDTO struct {
	ID               uuid.UUID      `json:"id"`
	CustomerID       uuid.UUID      `json:"customer_id"`
	OwnerID          uuid.UUID      `json:"owner_id"`
	RegionID         uuid.UUID      `json:"region_id"`
	Currency         string         `json:"currency"`
	Status           string         `json:"status" enum:"draft,submitted,approved,shipped,delivered,paid,cancelled"`
	NextStatuses     []string       `json:"next_statuses" doc:"where the order may go from here"`
	VisitID          *uuid.UUID     `json:"visit_id"`
	OpportunityID    *uuid.UUID     `json:"opportunity_id"`
	PaymentTermsDays int            `json:"payment_terms_days"`
	Notes            string         `json:"notes"`
	Lines            []OrderLineDTO `json:"lines,omitempty"`
	Gross            string         `json:"gross"`
	Discount         string         `json:"discount"`
	Total            string         `json:"total"`
	Paid             string         `json:"paid"`
	Balance          string         `json:"balance"`
	ApprovedAt       *time.Time     `json:"approved_at"`
	DueOn            *string        `json:"due_on" doc:"YYYY-MM-DD in the tenant's zone: approval day + payment terms"`
	Collected        *string        `json:"collected,omitempty" doc:"lists with due_to only: received for the order before due_to, as the collection rate counts it"`
	DeliveredAt      *time.Time     `json:"delivered_at"`
	CreatedBy        uuid.UUID      `json:"created_by"`
	CreatedAt        time.Time      `json:"created_at"`
	UpdatedAt        time.Time      `json:"updated_at"`
}

func orderDTO(o Order) OrderDTO {
	out := OrderDTO{ID: o.ID, CustomerID: o.CustomerID, OwnerID: o.OwnerID, RegionID: o.RegionID, Currency: o.Currency,
		Status: string(o.Status), NextStatuses: []string{}, VisitID: o.VisitID, OpportunityID: o.OpportunityID,
		PaymentTermsDays: o.PaymentTermsDays, Notes: o.Notes, Gross: money.Format(o.Gross, o.Currency),
		Discount: money.Format(o.Discount, o.Currency), Total: money.Format(o.Total, o.Currency), Paid: money.Format(o.Paid, o.Currency),
		Balance: money.Format(o.Balance(), o.Currency), ApprovedAt: o.ApprovedAt, DeliveredAt: o.DeliveredAt,
		CreatedBy: o.CreatedBy, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
	for _, n := range o.Status.Next() {
		out.NextStatuses = append(out.NextStatuses, string(n))
	}
	if o.DueOn != "" {
		out.DueOn = &o.DueOn
	}
	for _, l := range o.Lines {
		out.Lines = append(out.Lines, OrderLineDTO{Line: l.No, ProductID: l.ProductID, SKU: l.SKU, Name: l.Name, Unit: l.Unit,
			Quantity: l.Quantity.String(), UnitPrice: l.UnitPrice.String(), DiscountPct: l.DiscountPct.String(),
			Gross: money.Format(l.Gross, o.Currency), Discount: money.Format(l.Discount, o.Currency), Net: money.Format(l.Net, o.Currency),
			Delivered: l.Delivered.String(), Remaining: l.Remaining().String()})
	}
	return out
}

type orderOutput struct{ Body OrderDTO }

// OrderPageDTO is one page of orders.
type OrderPageDTO struct {
	Orders     []OrderDTO `json:"orders"`
	NextCursor *uuid.UUID `json:"next_cursor" doc:"pass as cursor for the next page; null on the last page"`
}

type orderPageOutput struct{ Body OrderPageDTO }

type listOrdersInput struct {
	Status     string    `query:"status" enum:"draft,submitted,approved,shipped,delivered,paid,cancelled"`
	CustomerID string    `query:"customer_id" format:"uuid"`
	OwnerID    string    `query:"owner_id" format:"uuid" doc:"only this rep's orders"`
	From       time.Time `query:"from" doc:"created at or after"`
	To         time.Time `query:"to" doc:"created before"`
	// What a rep's order figures of a period count, for the appraisal's drill-down.
	CountedFrom time.Time `query:"counted_from" doc:"counted for the rep's figures from: approved at or after, and not cancelled"`
	CountedTo   time.Time `query:"counted_to" doc:"counted for the rep's figures until: approved before, and not cancelled"`
	// What a rep's collection rate of a period is over, for the appraisal's drill-down.
	DueFrom time.Time `query:"due_from" doc:"falling due from: not cancelled, due on the tenant's day of due_from or later"`
	DueTo   time.Time `query:"due_to" doc:"falling due until: not cancelled, due before the tenant's day of due_to; each order then shows what was collected before due_to"`
	Limit   int       `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor  string    `query:"cursor" format:"uuid" doc:"next_cursor of the previous page"`
}

type orderPath struct {
	ID string `path:"id" format:"uuid" doc:"the order's id"`
}

// OrderLineInputDTO is an order line as the caller gives it.
type OrderLineInputDTO struct {
	ProductID   string  `json:"product_id" format:"uuid"`
	Quantity    string  `json:"quantity" pattern:"^-?[0-9]+(\\.[0-9]+)?$" doc:"decimal string, > 0, at most 4 places"`
	UnitPrice   *string `json:"unit_price,omitempty" pattern:"^-?[0-9]+(\\.[0-9]+)?$" doc:"decimal string, >= 0; default the product's list price"`
	DiscountPct string  `json:"discount_pct,omitempty" pattern:"^(-?[0-9]+(\\.[0-9]+)?)?$" doc:"percentage off the line, 0 to 100; default 0"`
}

// NewOrderDTO is the body that starts an order.
type NewOrderDTO struct {
	ID               string              `json:"id,omitempty" format:"uuid" doc:"the phone's own id for the order (a UUIDv7): a retry with the same id and body answers 200 with the order its first attempt made; omit it to let the server choose"`
	CustomerID       string              `json:"customer_id" format:"uuid"`
	Currency         string              `json:"currency" minLength:"3" maxLength:"3" doc:"ISO 4217, one your company trades in"`
	VisitID          string              `json:"visit_id,omitempty" format:"uuid" doc:"the visit the order was taken during"`
	OpportunityID    string              `json:"opportunity_id,omitempty" format:"uuid" doc:"the won opportunity it comes from"`
	PaymentTermsDays *int                `json:"payment_terms_days,omitempty" doc:"days to pay after approval, 0 to 365; default 30"`
	Notes            string              `json:"notes,omitempty" maxLength:"2000"`
	Lines            []OrderLineInputDTO `json:"lines,omitempty" maxItems:"500"`
}

type createOrderInput struct{ Body NewOrderDTO }

type createOrderOutput struct {
	Status int // 201 when taken, 200 for a retry
	Body   OrderDTO
}

// OrderChangesDTO is the body that changes a draft; absent fields stay as they are.
type OrderChangesDTO struct {
	Lines            []OrderLineInputDTO `json:"lines,omitempty" maxItems:"500" doc:"replaces every line"`
	PaymentTermsDays *int                `json:"payment_terms_days,omitempty"`
	Notes            *string             `json:"notes,omitempty" maxLength:"2000"`
}

type updateOrderInput struct {
	ID   string `path:"id" format:"uuid" doc:"the order's id"`
	Body OrderChangesDTO
}

func lineInputs(in []OrderLineInputDTO) ([]LineInput, error) {
	out := make([]LineInput, len(in))
	for i, l := range in {
		at := func(field string) string { return fmt.Sprintf("body.lines[%d].%s", i, field) }
		var err error
		if out[i].ProductID, err = web.ParseID(l.ProductID, at("product_id")); err != nil {
			return nil, err
		}
		if out[i].Quantity, err = parseDecimal(l.Quantity, at("quantity")); err != nil {
			return nil, err
		}
		if out[i].UnitPrice, err = parseOptionalDecimal(l.UnitPrice, at("unit_price")); err != nil {
			return nil, err
		}
		if l.DiscountPct != "" {
			if out[i].DiscountPct, err = parseDecimal(l.DiscountPct, at("discount_pct")); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func (h *HTTP) listOrders(ctx context.Context, in *listOrdersInput) (*orderPageOutput, error) {
	f := OrderFilter{Status: Status(in.Status), From: in.From, To: in.To, CountedFrom: in.CountedFrom, CountedTo: in.CountedTo,
		DueFrom: in.DueFrom, DueTo: in.DueTo, Limit: in.Limit}
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
	page, err := h.svc.ListOrders(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &orderPageOutput{Body: OrderPageDTO{Orders: make([]OrderDTO, len(page.Orders)), NextCursor: page.Next}}
	for i, o := range page.Orders {
		out.Body.Orders[i] = orderDTO(o)
		if c, ok := page.Collected[o.ID]; ok {
			collected := money.Format(c, o.Currency)
			out.Body.Orders[i].Collected = &collected
		}
	}
	return out, nil
}

func (h *HTTP) getOrder(ctx context.Context, in *orderPath) (*orderOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	o, err := h.svc.GetOrder(ctx, id)
	if err != nil {
		return nil, err
	}
	return &orderOutput{Body: orderDTO(o)}, nil
}

func (h *HTTP) createOrder(ctx context.Context, in *createOrderInput) (*createOrderOutput, error) {
	b := in.Body
	no := NewOrder{Currency: b.Currency, PaymentTermsDays: b.PaymentTermsDays, Notes: b.Notes}
	client, err := web.ParseOptionalID(b.ID, "body.id")
	if err != nil {
		return nil, err
	}
	if client != nil {
		no.ID = *client
	}
	if no.CustomerID, err = web.ParseID(b.CustomerID, "body.customer_id"); err != nil {
		return nil, err
	}
	if no.VisitID, err = web.ParseOptionalID(b.VisitID, "body.visit_id"); err != nil {
		return nil, err
	}
	if no.OpportunityID, err = web.ParseOptionalID(b.OpportunityID, "body.opportunity_id"); err != nil {
		return nil, err
	}
	if no.Lines, err = lineInputs(b.Lines); err != nil {
		return nil, err
	}
	o, created, err := h.svc.CreateOrder(ctx, no)
	if err != nil {
		return nil, err
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	return &createOrderOutput{Status: status, Body: orderDTO(o)}, nil
}

func (h *HTTP) updateOrder(ctx context.Context, in *updateOrderInput) (*orderOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	ch := DraftChanges{PaymentTermsDays: in.Body.PaymentTermsDays, Notes: in.Body.Notes}
	if in.Body.Lines != nil {
		if ch.Lines, err = lineInputs(in.Body.Lines); err != nil {
			return nil, err
		}
	}
	o, err := h.svc.UpdateDraft(ctx, id, ch)
	if err != nil {
		return nil, err
	}
	return &orderOutput{Body: orderDTO(o)}, nil
}
