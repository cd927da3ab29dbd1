// Package org is the organisation of a tenant: its region tree, its users with their roles and
// reporting lines, and its teams.
//
// The region tree has any depth (HQ -> region -> area ...). Each region stores the materialised
// path of ids from the root ("/<root>/<child>/"), so a subtree is a path prefix: a manager manages
// the subtree of their own region, and access scopes filter on the same prefix.
package org

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/fault"
)

// Status of a user account. Users are never deleted: a disabled user keeps their rows for history.
type Status string

const (
	StatusActive   Status = "active"
	StatusDisabled Status = "disabled"
)

// Region is a node of the tenant's region tree.
type Region struct {
	ID       uuid.UUID
	ParentID *uuid.UUID // nil for the root
	Name     string
	Path     string
	// Depth is 0 for the root, 1 for its children, and so on.
	Depth     int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// User is a person of the tenant.
type User struct {
	ID         uuid.UUID
	Email      string
	Name       string
	Phone      string
	Roles      []string
	RegionID   uuid.UUID
	RegionPath string
	ManagerID  *uuid.UUID
	Status     Status
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Team is a named group of users attached to a region.
type Team struct {
	ID        uuid.UUID
	Name      string
	RegionID  uuid.UUID
	LeadID    *uuid.UUID
	MemberIDs []uuid.UUID
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Tenant is what a user sees of their own tenant.
type Tenant struct {
	ID       uuid.UUID
	Name     string
	Slug     string
	Industry string
	TimeZone string
	Currency string
}

// Me is the signed-in user with their place in the organisation and their tenant.
type Me struct {
	User    User
	Region  Region
	Manager *User
	Teams   []Team
	Tenant  Tenant
}

// NewUser is the input of CreateUser.
type NewUser struct {
	Email     string
	Name      string
	Phone     string
	Roles     []string
	RegionID  uuid.UUID
	ManagerID *uuid.UUID
	// Password is optional: without one the user sets it through a reset link.
	Password string
}

// UserChanges is the input of UpdateUser; nil fields stay as they are.
type UserChanges struct {
	Name     *string
	Phone    *string
	Roles    []string // nil: unchanged
	RegionID *uuid.UUID
	// Manager changes only when SetManager is true; then ManagerID nil removes the manager.
	SetManager bool
	ManagerID  *uuid.UUID
	Status     *Status
}

// UserFilter narrows ListUsers.
type UserFilter struct {
	Role     string
	RegionID *uuid.UUID // the region's whole subtree
	Status   Status
	Query    string // contained in the name or e-mail, case-insensitive
	Limit    int
	After    *uuid.UUID // keyset cursor: the last id of the previous page
}

// UserPage is one page of ListUsers; Next is nil on the last page.
type UserPage struct {
	Users []User
	Next  *uuid.UUID
}

// RegionChanges is the input of UpdateRegion; nil fields stay as they are.
type RegionChanges struct {
	Name     *string
	ParentID *uuid.UUID
}

// NewTeam is the input of CreateTeam.
type NewTeam struct {
	Name     string
	RegionID uuid.UUID
	LeadID   *uuid.UUID
}

// TeamChanges is the input of UpdateTeam; nil fields stay as they are.
type TeamChanges struct {
	Name     *string
	RegionID *uuid.UUID
	// Lead changes only when SetLead is true; then LeadID nil removes the lead.
	SetLead bool
	LeadID  *uuid.UUID
}

// Passwords stores a user's password. The auth package implements it; org calls it inside the
// transaction that creates or changes the user, so a refused password leaves no user behind.
type Passwords interface {
	SetPassword(ctx context.Context, userID uuid.UUID, password string) error
}

// ErrUserInactive answers Principal for a user that does not exist or is disabled.
var ErrUserInactive = fault.New(fault.Unauthorized, "account_inactive", "this account does not exist or is disabled")

// errEmailTaken is the answer to a duplicate e-mail, wherever the other account lives.
var errEmailTaken = fault.New(fault.Conflict, "email_taken", "an account with this e-mail already exists",
	fault.Detail{Location: "body.email", Message: "already used by another account"})

// Limits of names and lists.
const (
	MaxNameLen      = 200
	MaxPhoneLen     = 40
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// NormalizeEmail trims and lower-cases an e-mail address and checks that it is a bare address
// (no display name). E-mail addresses are unique across the whole platform in this form.
func NormalizeEmail(email string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	if e == "" {
		return "", errors.New("is required")
	}
	if len(e) > 254 {
		return "", errors.New("is longer than 254 characters")
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || !strings.Contains(e[strings.LastIndex(e, "@")+1:], ".") {
		return "", errors.New("is not an e-mail address like name@example.com")
	}
	return e, nil
}
