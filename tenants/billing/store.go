package billing

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/store"
)

// accountRow is the tenant_billing table (migrations/0023_billing.go). It is global: read and
// written through the owner handle only.
type accountRow struct {
	Tenant             uuid.UUID `gorm:"primaryKey"`
	StripeCustomerID   string
	SubscriptionID     *string
	SubscriptionItemID *string
	Status             string
	Seats              int
	CurrentPeriodEnd   *time.Time
	GraceUntil         *time.Time
	LastEventCreated   *time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

func (accountRow) TableName() string { return "tenant_billing" }

func toAccount(r accountRow) account {
	return account{TenantID: r.Tenant, CustomerID: r.StripeCustomerID, SubscriptionID: deref(r.SubscriptionID),
		SubscriptionItemID: deref(r.SubscriptionItemID), Status: r.Status, Seats: r.Seats, CurrentPeriodEnd: r.CurrentPeriodEnd,
		GraceUntil: r.GraceUntil, LastEventCreated: r.LastEventCreated, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func fromAccount(a account) accountRow {
	return accountRow{Tenant: a.TenantID, StripeCustomerID: a.CustomerID, SubscriptionID: orNull(a.SubscriptionID),
		SubscriptionItemID: orNull(a.SubscriptionItemID), Status: a.Status, Seats: a.Seats, CurrentPeriodEnd: utc(a.CurrentPeriodEnd),
		GraceUntil: utc(a.GraceUntil), LastEventCreated: utc(a.LastEventCreated), CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
}

// eventRow is a processed Stripe event (billing_events).
type eventRow struct {
	ID         string `gorm:"primaryKey"`
	Type       string
	ReceivedAt time.Time
}

func (eventRow) TableName() string { return "billing_events" }

// tenantRow is the part of the global tenants row the Stripe customer is named after.
type tenantRow struct {
	ID   uuid.UUID
	Slug string
	Name string
}

func (tenantRow) TableName() string { return "tenants" }

// errNoAccount means the tenant has no billing record yet: it never started a checkout.
var errNoAccount = errors.New("billing: no account")

func loadAccount(db *gorm.DB, tenantID uuid.UUID) (account, error) {
	var r accountRow
	if err := db.Where("tenant = ?", tenantID).Take(&r).Error; err != nil {
		if store.IsNotFound(err) {
			return account{}, errNoAccount
		}
		return account{}, fmt.Errorf("load billing of tenant %s: %w", tenantID, err)
	}
	return toAccount(r), nil
}

// lockAccountByCustomer reads the account of a Stripe customer for update: two events of one
// tenant applied side by side would otherwise each overwrite the other's change (PostgreSQL;
// the embedded database runs one writer at a time).
func lockAccountByCustomer(db *gorm.DB, customerID string) (account, error) {
	var r accountRow
	err := db.Clauses(clause.Locking{Strength: "UPDATE"}).Where("stripe_customer_id = ?", customerID).Take(&r).Error
	if err != nil {
		if store.IsNotFound(err) {
			return account{}, errNoAccount
		}
		return account{}, fmt.Errorf("load billing of customer %s: %w", customerID, err)
	}
	return toAccount(r), nil
}

func saveAccount(db *gorm.DB, a account) error {
	r := fromAccount(a)
	if err := db.Select("*").Omit("created_at").Updates(&r).Error; err != nil {
		return fmt.Errorf("save billing of tenant %s: %w", a.TenantID, err)
	}
	return nil
}

// insertAccount adds a's row unless the tenant has one already, and reports whether it did.
func insertAccount(db *gorm.DB, a account) (bool, error) {
	r := fromAccount(a)
	res := db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "tenant"}}, DoNothing: true}).Create(&r)
	if res.Error != nil {
		return false, fmt.Errorf("insert billing of tenant %s: %w", a.TenantID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// recordEvent notes that event id is being processed, in the caller's transaction, and reports
// false when it was already: the second delivery then changes nothing.
func recordEvent(db *gorm.DB, id, typ string, at time.Time) (bool, error) {
	res := db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "id"}}, DoNothing: true}).
		Create(&eventRow{ID: id, Type: typ, ReceivedAt: at.UTC()})
	if res.Error != nil {
		return false, fmt.Errorf("record event %s: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

func loadTenant(db *gorm.DB, id uuid.UUID) (tenantRow, error) {
	var t tenantRow
	if err := db.Where("id = ?", id).Take(&t).Error; err != nil {
		return t, fmt.Errorf("load tenant %s: %w", id, err)
	}
	return t, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// utc keeps stored times in one zone and at the database's microsecond precision.
func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}
