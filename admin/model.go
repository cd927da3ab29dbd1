package admin

import (
	"time"

	"github.com/google/uuid"
)

// Operator is a SaaS operator's account, as the console shows it (no secrets).
type Operator struct {
	ID        uuid.UUID
	Email     string
	Name      string
	CreatedAt time.Time
}

// Session is what a successful sign-in hands out. Token is shown this once.
type Session struct {
	Token     string
	ExpiresAt time.Time
	Operator  Operator
}

// Tenant statuses the console sets.
const (
	StatusActive    = "active"
	StatusSuspended = "suspended"
)

// Tenant is a row of the global tenants table.
type Tenant struct {
	ID        uuid.UUID
	Slug      string
	Name      string
	Industry  string
	TimeZone  string
	Currency  string
	Status    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TenantFilter narrows a tenant search; zero fields match everything.
type TenantFilter struct {
	Query    string // contained in the name or slug, case-insensitive
	Status   string
	Industry string
	Limit    int        // 1..200; 0 means 50
	Before   *uuid.UUID // the page's cursor: tenants created before this one (ids are time-ordered)
}

// TenantPage is one page of a search, newest tenants first.
type TenantPage struct {
	Tenants []Tenant
	Total   int64      // tenants matching the filter, on every page
	Next    *uuid.UUID // the next page's cursor; nil on the last page
}

// TenantDetail is one tenant with its billing state and usage.
type TenantDetail struct {
	Tenant
	// Billing is the tenant's billing row (plan, status, seats, ...) as its columns name it;
	// nil when billing records nothing for the tenant.
	Billing map[string]any
	Usage   Usage
}

// Usage is what a tenant consumes.
type Usage struct {
	ActiveUsers int64
	Seats       map[string]int64 // active users by role (a user with two roles counts in both)
	Customers   int64
	Visits      int64
	Orders      int64
	Activities  int64
	// APICallsToday and APICalls30Days count its authenticated API requests today (UTC) and over
	// the last 30 days, today included.
	APICallsToday, APICalls30Days int64
	// Connectors counts the tenant's connectors by health state.
	Connectors map[string]int64
	// StorageBytes adds up the tenant's stored files (visit photos), each distinct file once:
	// blobs are content-addressed, so one file attached twice is stored once.
	StorageBytes int64
	// LastActivity is the time of the tenant's newest audit record; nil when it has none.
	LastActivity *time.Time
}

// Grant is read-only, time-limited support access to one tenant, given to one operator.
type Grant struct {
	ID            uuid.UUID
	TenantID      uuid.UUID
	OperatorID    uuid.UUID
	OperatorEmail string
	Reason        string
	StartsAt      time.Time
	ExpiresAt     time.Time
	RevokedAt     *time.Time
}

// Active reports whether the grant opens the tenant at t.
func (g Grant) Active(t time.Time) bool {
	return g.RevokedAt == nil && !t.Before(g.StartsAt) && t.Before(g.ExpiresAt)
}
