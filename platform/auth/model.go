package auth

import (
	"time"

	"github.com/google/uuid"
)

// Rows of migration 2 (and login_emails of migration 1, read only). They mirror the tables; the
// service converts them to the types it returns.

// loginEmail maps an e-mail address to the one tenant and user it signs in to.
type loginEmail struct {
	Email    string `gorm:"primaryKey"`
	TenantID uuid.UUID
	UserID   uuid.UUID
}

func (loginEmail) TableName() string { return "login_emails" }

// passwordRow is a user's password hash. (The table is named credentials; "credential" in this
// package is the string a client holds.)
type passwordRow struct {
	TenantID     uuid.UUID `gorm:"primaryKey"`
	UserID       uuid.UUID `gorm:"primaryKey"`
	PasswordHash string
	UpdatedAt    time.Time `gorm:"autoUpdateTime:false"`
}

func (passwordRow) TableName() string { return "credentials" }

// Session kinds.
const (
	KindWeb   = "web"
	KindToken = "token"
)

// sessionRow is a web session or a bearer token.
type sessionRow struct {
	TenantID   uuid.UUID `gorm:"primaryKey"`
	ID         uuid.UUID `gorm:"primaryKey"`
	UserID     uuid.UUID
	Kind       string
	Name       string
	SecretHash []byte
	CSRFHash   []byte    `gorm:"column:csrf_hash"`
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
	LastUsedAt time.Time
	ExpiresAt  *time.Time // nil: a token that never expires
	RevokedAt  *time.Time
	IP         string `gorm:"column:ip"`
	UserAgent  string
}

func (sessionRow) TableName() string { return "sessions" }

// resetRow is one password reset link.
type resetRow struct {
	TenantID   uuid.UUID `gorm:"primaryKey"`
	ID         uuid.UUID `gorm:"primaryKey"`
	UserID     uuid.UUID
	SecretHash []byte
	ExpiresAt  time.Time
	UsedAt     *time.Time
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
}

func (resetRow) TableName() string { return "password_resets" }

// throttleRow counts failed logins of one key ("email:<addr>", "ip:<addr>"). It is global: the
// key is known before the tenant is, and replicas share it.
type throttleRow struct {
	Key         string `gorm:"primaryKey;column:key"`
	Failures    int
	WindowStart time.Time
	LockedUntil *time.Time
}

func (throttleRow) TableName() string { return "login_throttle" }
