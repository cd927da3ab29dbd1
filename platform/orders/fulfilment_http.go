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

func (h *HTTP) registerFulfilment(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "record-delivery", Method: http.MethodPost, Path: "/api/v1/orders/{id}/deliveries",
		Summary: "Record what reached the customer, line by line", Tags: orderTags, DefaultStatus: http.StatusCreated,
		Description: "Only for shipped orders. A line's quantity may not exceed what is outstanding on it (409 naming the line). " +
			"When every line is delivered in full the order becomes delivered, and paid if payments already cover it."}, h.recordDelivery)
	huma.Register(api, huma.Operation{OperationID: "list-deliveries", Method: http.MethodGet, Path: "/api/v1/orders/{id}/deliveries",
		Summary: "An order's deliveries, oldest first", Tags: orderTags}, h.deliveries)
	huma.Register(api, huma.Operation{OperationID: "record-payment", Method: http.MethodPost, Path: "/api/v1/orders/{id}/payments",
		Summary: "Record money received for an order, in its currency", Tags: orderTags, DefaultStatus: http.StatusCreated,
		Description: "From approval until paid. More than the balance is refused (409). A delivered order whose balance " +
			"reaches zero becomes paid. The id is the phone's own UUID for the payment: a retry with the same id and body " +
			"answers 200 with the stored payment and the order as it now stands, and records nothing; the same id with " +
			"another body is a 409 (id_reused)."}, h.recordPayment)
	huma.Register(api, huma.Operation{OperationID: "list-payments", Method: http.MethodGet, Path: "/api/v1/orders/{id}/payments",
		Summary: "An order's payments, oldest first", Tags: orderTags}, h.payments)
	huma.Register(api, huma.Operation{OperationID: "overdue-receivables", Method: http.MethodGet, Path: "/api/v1/receivables/overdue",
		Summary: "Orders owing money after their due day, the longest overdue first", Tags: orderTags}, h.overdue)
}

// OrderDeliveredLineDTO is a quantity of one order line.
type OrderDeliveredLineDTO struct {
	Line     int    `json:"line" minimum:"1"`
	Quantity string `json:"quantity" pattern:"^-?[0-9]+(\\.[0-9]+)?$" doc:"decimal string, > 0"`
}

// NewOrderDeliveryDTO is the body that records a delivery.
type NewOrderDeliveryDTO struct {
	DeliveredAt *time.Time              `json:"delivered_at,omitempty" doc:"default now"`
	Note        string                  `json:"note,omitempty" maxLength:"2000"`
	Lines       []OrderDeliveredLineDTO `json:"lines" minItems:"1" maxItems:"500"`
}

type recordDeliveryInput struct {
	ID   string `path:"id" format:"uuid" doc:"the order's id"`
	Body NewOrderDeliveryDTO
}

// OrderDeliveryDTO is one delivery.
type OrderDeliveryDTO struct {
	ID          uuid.UUID               `json:"id"`
	OrderID     uuid.UUID               `json:"order_id"`
	DeliveredAt time.Time               `json:"delivered_at"`
	Note        string                  `json:"note"`
	Lines       []OrderDeliveredLineDTO `json:"lines"`
	RecordedBy  uuid.UUID               `json:"recorded_by"`
}

// OrderDeliveryResultDTO is a recorded delivery with the order as it now stands.
type OrderDeliveryResultDTO struct {
	Delivery OrderDeliveryDTO `json:"delivery"`
	Order    OrderDTO         `json:"order"`
}

type deliveryOutput struct{ Body OrderDeliveryResultDTO }

// OrderDeliveriesDTO lists an order's deliveries.
type OrderDeliveriesDTO struct {
	Deliveries []OrderDeliveryDTO `json:"deliveries"`
}

type deliveriesOutput struct{ Body OrderDeliveriesDTO }

func deliveryDTO(d Delivery) OrderDeliveryDTO {
	out := OrderDeliveryDTO{ID: d.ID, OrderID: d.OrderID, DeliveredAt: d.DeliveredAt, Note: d.Note, RecordedBy: d.RecordedBy,
		Lines: make([]OrderDeliveredLineDTO, len(d.Lines))}
	for i, l := range d.Lines {
		out.Lines[i] = OrderDeliveredLineDTO{Line: l.Line, Quantity: l.Quantity.String()}
	}
	return out
}

func (h *HTTP) recordDelivery(ctx context.Context, in *recordDeliveryInput) (*deliveryOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	nd := NewDelivery{Note: in.Body.Note, Lines: make([]DeliveredLine, len(in.Body.Lines))}
	if in.Body.DeliveredAt != nil {
		nd.DeliveredAt = *in.Body.DeliveredAt
	}
	for i, l := range in.Body.Lines {
		q, err := parseDecimal(l.Quantity, fmt.Sprintf("body.lines[%d].quantity", i))
		if err != nil {
			return nil, err
		}
		nd.Lines[i] = DeliveredLine{Line: l.Line, Quantity: q}
	}
	o, d, err := h.svc.RecordDelivery(ctx, id, nd)
	if err != nil {
		return nil, err
	}
	if o.Lines == nil {
		if o, err = h.svc.GetOrder(ctx, id); err != nil {
			return nil, err
		}
	}
	return &deliveryOutput{Body: OrderDeliveryResultDTO{Delivery: deliveryDTO(d), Order: orderDTO(o)}}, nil
}

func (h *HTTP) deliveries(ctx context.Context, in *orderPath) (*deliveriesOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	ds, err := h.svc.Deliveries(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &deliveriesOutput{Body: OrderDeliveriesDTO{Deliveries: make([]OrderDeliveryDTO, len(ds))}}
	for i, d := range ds {
		out.Body.Deliveries[i] = deliveryDTO(d)
	}
	return out, nil
}

// NewOrderPaymentDTO is the body that records a payment.
type NewOrderPaymentDTO struct {
	ID         string     `json:"id" format:"uuid" doc:"the phone's own UUID for the payment; a retry sends the same"`
	Amount     string     `json:"amount" pattern:"^-?[0-9]+(\\.[0-9]+)?$" doc:"decimal string in the order's currency, > 0"`
	ReceivedAt *time.Time `json:"received_at,omitempty" doc:"default now"`
	Method     string     `json:"method" enum:"cash,bank_transfer,card,cheque,mobile,other"`
	Reference  string     `json:"reference,omitempty" maxLength:"200" doc:"receipt, transfer or cheque number"`
}

type recordPaymentInput struct {
	ID   string `path:"id" format:"uuid" doc:"the order's id"`
	Body NewOrderPaymentDTO
}

// OrderPaymentDTO is one payment.
type OrderPaymentDTO struct {
	ID         uuid.UUID `json:"id"`
	OrderID    uuid.UUID `json:"order_id"`
	Amount     string    `json:"amount"`
	ReceivedAt time.Time `json:"received_at"`
	Method     string    `json:"method"`
	Reference  string    `json:"reference"`
	RecordedBy uuid.UUID `json:"recorded_by"`
}

// OrderPaymentResultDTO is a recorded payment with the order as it now stands.
type OrderPaymentResultDTO struct {
	Payment OrderPaymentDTO `json:"payment"`
	Order   OrderDTO        `json:"order"`
}

type paymentOutput struct {
	Status int // 201 when recorded, 200 for a retry
	Body   OrderPaymentResultDTO
}

// OrderPaymentsDTO lists an order's payments.
type OrderPaymentsDTO struct {
	Payments []OrderPaymentDTO `json:"payments"`
}

type paymentsOutput struct{ Body OrderPaymentsDTO }

func paymentDTO(p Payment, currency string) OrderPaymentDTO {
	return OrderPaymentDTO{ID: p.ID, OrderID: p.OrderID, Amount: money.Format(p.Amount, currency), ReceivedAt: p.ReceivedAt,
		Method: string(p.Method), Reference: p.Reference, RecordedBy: p.RecordedBy}
}

func (h *HTTP) recordPayment(ctx context.Context, in *recordPaymentInput) (*paymentOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	payID, err := web.ParseID(in.Body.ID, "body.id")
	if err != nil {
		return nil, err
	}
	amount, err := parseDecimal(in.Body.Amount, "body.amount")
	if err != nil {
		return nil, err
	}
	np := NewPayment{ID: payID, Amount: amount, Method: PaymentMethod(in.Body.Method), Reference: in.Body.Reference}
	if in.Body.ReceivedAt != nil {
		np.ReceivedAt = *in.Body.ReceivedAt
	}
	o, p, created, err := h.svc.RecordPayment(ctx, id, np)
	if err != nil {
		return nil, err
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	return &paymentOutput{Status: status, Body: OrderPaymentResultDTO{Payment: paymentDTO(p, o.Currency), Order: orderDTO(o)}}, nil
}

func (h *HTTP) payments(ctx context.Context, in *orderPath) (*paymentsOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	o, err := h.svc.GetOrder(ctx, id)
	if err != nil {
		return nil, err
	}
	ps, err := h.svc.Payments(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &paymentsOutput{Body: OrderPaymentsDTO{Payments: make([]OrderPaymentDTO, len(ps))}}
	for i, p := range ps {
		out.Body.Payments[i] = paymentDTO(p, o.Currency)
	}
	return out, nil
}

type overdueInput struct {
	OwnerID    string `query:"owner_id" format:"uuid" doc:"only this rep's orders"`
	CustomerID string `query:"customer_id" format:"uuid"`
	Limit      int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
	Cursor     string `query:"cursor" format:"uuid" doc:"next_cursor of the previous page"`
}

// OverdueReceivableDTO is an order owing money after its due day.
type OverdueReceivableDTO struct {
	Order       OrderDTO `json:"order"`
	Balance     string   `json:"balance"`
	DaysOverdue int      `json:"days_overdue" doc:"whole days since the due day, in the tenant's zone"`
}

// OverdueReceivablesDTO is one page of overdue receivables.
type OverdueReceivablesDTO struct {
	Receivables []OverdueReceivableDTO `json:"receivables"`
	NextCursor  *uuid.UUID             `json:"next_cursor" doc:"pass as cursor for the next page; null on the last page"`
}

type receivablesOutput struct{ Body OverdueReceivablesDTO }

func (h *HTTP) overdue(ctx context.Context, in *overdueInput) (*receivablesOutput, error) {
	f := ReceivableFilter{Limit: in.Limit}
	var err error
	if f.OwnerID, err = web.ParseOptionalID(in.OwnerID, "query.owner_id"); err != nil {
		return nil, err
	}
	if f.CustomerID, err = web.ParseOptionalID(in.CustomerID, "query.customer_id"); err != nil {
		return nil, err
	}
	if f.After, err = web.ParseOptionalID(in.Cursor, "query.cursor"); err != nil {
		return nil, err
	}
	page, err := h.svc.OverdueReceivables(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &receivablesOutput{Body: OverdueReceivablesDTO{Receivables: make([]OverdueReceivableDTO, len(page.Receivables)), NextCursor: page.Next}}
	for i, r := range page.Receivables {
		out.Body.Receivables[i] = OverdueReceivableDTO{Order: orderDTO(r.Order), Balance: money.Format(r.Balance, r.Order.Currency), DaysOverdue: r.DaysOverdue}
	}
	return out, nil
}
