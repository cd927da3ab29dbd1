package orders

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
)

// OrderTransitionRequestDTO asks for a status change.
type OrderTransitionRequestDTO struct {
	To      string `json:"to" enum:"draft,submitted,approved,shipped,delivered,paid,cancelled"`
	Comment string `json:"comment,omitempty" maxLength:"2000" doc:"kept in the order's history; required to cancel"`
}

type transitionInput struct {
	ID   string `path:"id" format:"uuid" doc:"the order's id"`
	Body OrderTransitionRequestDTO
}

func (h *HTTP) transition(ctx context.Context, in *transitionInput) (*orderOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	o, err := h.svc.Transition(ctx, id, Status(in.Body.To), in.Body.Comment)
	if err != nil {
		return nil, err
	}
	return &orderOutput{Body: orderDTO(o)}, nil
}

// OrderTransitionDTO is one step of an order's history; from is null for its creation.
type OrderTransitionDTO struct {
	ID      uuid.UUID `json:"id"`
	From    *string   `json:"from"`
	To      string    `json:"to"`
	ActorID uuid.UUID `json:"actor_id"`
	Comment string    `json:"comment"`
	At      time.Time `json:"at"`
}

// OrderTransitionsDTO is an order's history, oldest first.
type OrderTransitionsDTO struct {
	Transitions []OrderTransitionDTO `json:"transitions"`
}

type transitionsOutput struct{ Body OrderTransitionsDTO }

func (h *HTTP) transitions(ctx context.Context, in *orderPath) (*transitionsOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	ts, err := h.svc.Transitions(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &transitionsOutput{Body: OrderTransitionsDTO{Transitions: make([]OrderTransitionDTO, len(ts))}}
	for i, t := range ts {
		out.Body.Transitions[i] = OrderTransitionDTO{ID: t.ID, To: string(t.To), ActorID: t.ActorID, Comment: t.Comment, At: t.At}
		if t.From != "" {
			from := string(t.From)
			out.Body.Transitions[i].From = &from
		}
	}
	return out, nil
}
