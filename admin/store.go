package admin

import (
	"time"

	"github.com/google/uuid"
)

// Rows of migration 24 (and the tenants table of migration 1). They mirror the tables; the
// service converts them to the types it returns.

type operatorRow struct {
	ID           uuid.UUID `gorm:"primaryKey"`
	Email        string
	Name         string
	PasswordHash string
	TOTPSecret   string    `gorm:"column:totp_secret"`
	TOTPLastStep int64     `gorm:"column:totp_last_step"`
	CreatedAt    time.Time `gorm:"autoCreateTime:false"`
	DisabledAt   *time.Time
}

func (operatorRow) TableName() string { return "operators" }

func (r operatorRow) operator() Operator {
	return Operator{ID: r.ID, Email: r.Email, Name: r.Name, CreatedAt: r.CreatedAt}
}

type sessionRow struct {
	TokenHash  []byte `gorm:"primaryKey"`
	OperatorID uuid.UUID
	IP         string    `gorm:"column:ip"`
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
	ExpiresAt  time.Time
}

func (sessionRow) TableName() string { return "operator_sessions" }

// Audit outcomes: failed is a wrong sign-in (it counts towards the throttle), refused one the
// throttle or a rule turned away before any check.
const (
	outcomeOK      = "ok"
	outcomeFailed  = "failed"
	outcomeRefused = "refused"
)

type auditRow struct {
	ID            uuid.UUID `gorm:"primaryKey"`
	At            time.Time
	OperatorID    *uuid.UUID
	OperatorEmail string
	Action        string
	Outcome       string
	Tenant        *uuid.UUID `gorm:"column:tenant"`
	Reason        string
	Detail        string
	IP            string `gorm:"column:ip"`
	RequestID     string
}

func (auditRow) TableName() string { return "operator_audit" }

type tenantRow struct {
	ID        uuid.UUID `gorm:"primaryKey"`
	Slug      string
	Name      string
	Industry  string
	TimeZone  string
	Currency  string
	Status    string
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
}

func (tenantRow) TableName() string { return "tenants" }

func (r tenantRow) tenant() Tenant { return Tenant(r) }

type grantRow struct {
	TenantID      uuid.UUID `gorm:"primaryKey"`
	ID            uuid.UUID `gorm:"primaryKey"`
	OperatorID    uuid.UUID
	OperatorEmail string
	Reason        string
	StartsAt      time.Time
	ExpiresAt     time.Time
	RevokedAt     *time.Time
	SessionHash   *string // of the support session opened with it, if any
}

func (grantRow) TableName() string { return "support_grants" }

func (r grantRow) grant() Grant {
	return Grant{ID: r.ID, TenantID: r.TenantID, OperatorID: r.OperatorID, OperatorEmail: r.OperatorEmail,
		Reason: r.Reason, StartsAt: r.StartsAt, ExpiresAt: r.ExpiresAt, RevokedAt: r.RevokedAt}
}
