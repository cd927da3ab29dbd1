package orders

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
)

func (h *HTTP) registerReplenishments(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "due-replenishments", Method: http.MethodGet, Path: "/api/v1/replenishments",
		Summary: "Customers due to reorder within some days, or overdue, the most overdue first", Tags: orderTags,
		Description: "The next order of a customer is predicted from the days its orders were taken (approved, not cancelled; " +
			"days in the tenant's zone), with at least 3 such days: the last order day plus the median of the last up to 6 " +
			"intervals between them. Customers are scoped like their latest order: a rep sees their own, a manager their " +
			"region subtree, HQ all."}, h.dueReplenishments)
}

type dueReplenishmentsInput struct {
	WithinDays int `query:"within_days" minimum:"0" maximum:"90" default:"7" doc:"days from today; overdue customers are always listed"`
}

// ReplenishmentDTO is a customer's predicted next order.
type ReplenishmentDTO struct {
	CustomerID          uuid.UUID `json:"customer_id"`
	OwnerID             uuid.UUID `json:"owner_id" doc:"the rep of the customer's latest order, who is reminded"`
	LastOrderDay        string    `json:"last_order_day" doc:"YYYY-MM-DD, in the tenant's zone"`
	TypicalIntervalDays int       `json:"typical_interval_days" doc:"median of the last up to 6 intervals, a half day rounded down"`
	SpreadDays          float64   `json:"spread_days" doc:"median absolute deviation of those intervals: how far to trust the prediction"`
	PredictedDay        string    `json:"predicted_day" doc:"YYYY-MM-DD: last_order_day + typical_interval_days"`
	DaysUntil           int       `json:"days_until" doc:"from today (tenant's zone) to predicted_day; negative when overdue"`
	OrdersUsed          int       `json:"orders_used" doc:"order days the intervals came from"`
}

// ReplenishmentsDTO lists customers due to reorder.
type ReplenishmentsDTO struct {
	Replenishments []ReplenishmentDTO `json:"replenishments"`
}

type replenishmentsOutput struct{ Body ReplenishmentsDTO }

func (h *HTTP) dueReplenishments(ctx context.Context, in *dueReplenishmentsInput) (*replenishmentsOutput, error) {
	rs, err := h.svc.DueReplenishments(ctx, in.WithinDays)
	if err != nil {
		return nil, err
	}
	out := &replenishmentsOutput{Body: ReplenishmentsDTO{Replenishments: make([]ReplenishmentDTO, len(rs))}}
	for i, r := range rs {
		out.Body.Replenishments[i] = ReplenishmentDTO{CustomerID: r.CustomerID, OwnerID: r.OwnerID,
			LastOrderDay: r.LastOrderDay.Format(time.DateOnly), TypicalIntervalDays: r.IntervalDays, SpreadDays: r.SpreadDays,
			PredictedDay: r.NextOrderDay.Format(time.DateOnly), DaysUntil: r.DaysUntil, OrdersUsed: r.OrdersUsed}
	}
	return out, nil
}
