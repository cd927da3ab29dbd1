package appraisal

import (
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// The kinds of suggested action.
const (
	// ActionCloseOpportunity: an open opportunity among the rep's likeliest to close.
	ActionCloseOpportunity = "close_opportunity"
	// ActionVisitCustomer: a customer due or overdue for a visit by its grade's cadence.
	ActionVisitCustomer = "visit_customer"
)

// SuggestedAction is a next step a month's scorecard suggests, drawn from the rep's data: what to do,
// to which record, and the facts that make it worth doing, for the app to word in the reader's
// language. Only the fields of its kind are set.
type SuggestedAction struct {
	Kind string    `json:"kind" enum:"close_opportunity,visit_customer"`
	ID   uuid.UUID `json:"id" doc:"the opportunity or the customer"`
	Name string    `json:"name"`
	// Metrics are the KPI keys the action moves.
	Metrics []string `json:"metrics"`
	// Of an opportunity: its stage, the stage's win probability (percent), amount and expected close.
	Stage         string           `json:"stage,omitempty"`
	Probability   int              `json:"probability,omitempty"`
	Amount        *decimal.Decimal `json:"amount,omitempty"`
	Currency      string           `json:"currency,omitempty"`
	ExpectedClose string           `json:"expected_close,omitempty"`
	// Of a customer: its grade, how many days overdue, and its last counted visit (none: never).
	Grade       string     `json:"grade,omitempty"`
	OverdueDays int        `json:"overdue_days,omitempty"`
	LastVisit   *time.Time `json:"last_visit,omitempty"`
}

// MaxActionsPerKind bounds the suggestions of each kind on a scorecard.
const MaxActionsPerKind = 3
