package datarights

import (
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/tenants"
)

// StatusDeleting is the status of a tenant whose deletion is waiting for its grace period to
// end: its people are refused (the tenant gate says why), and the operator may still cancel.
const StatusDeleting = tenants.StatusDeleting

// statusActive is the only status a deletion starts from and returns to (a suspended or
// unverified tenant's admin cannot sign in to ask).
const statusActive = tenants.StatusActive

// An export's status.
const (
	ExportQueued  = "queued"  // asked for; the job has not finished it yet
	ExportReady   = "ready"   // the file can be downloaded until ExpiresAt
	ExportFailed  = "failed"  // the job gave up; ask for a new one
	ExportExpired = "expired" // the file is deleted
)

// Audited actions, in the tenant's trail.
const (
	actionExportDownload = "tenant.export.download"
)

// Export is one export of the tenant's data.
type Export struct {
	ID          uuid.UUID
	Status      string
	RequestedBy uuid.UUID
	RequestedAt time.Time
	FinishedAt  *time.Time
	ExpiresAt   *time.Time
	Size        int64
	SHA256      string
}

// Deletion is a tenant's pending deletion.
type Deletion struct {
	Tenant      uuid.UUID
	Status      string
	RequestedAt time.Time
	PurgeAfter  time.Time
}

// PurgeReport says what a purge deleted.
type PurgeReport struct {
	Tenant uuid.UUID
	// Rows counts the deleted rows per table (tenant tables, the global tables naming the
	// tenant, river_job for its jobs, tenants for its own row).
	Rows map[string]int64
}

// exportRow is a row of tenant_exports.
type exportRow struct {
	TenantID    uuid.UUID
	ID          uuid.UUID
	Status      string
	RequestedBy uuid.UUID
	RequestedAt time.Time
	FinishedAt  *time.Time
	ExpiresAt   *time.Time
	Size        int64
	FileSHA256  string `gorm:"column:file_sha256"`
}

func (exportRow) TableName() string { return "tenant_exports" }

func (r exportRow) export() Export {
	return Export{ID: r.ID, Status: r.Status, RequestedBy: r.RequestedBy, RequestedAt: r.RequestedAt,
		FinishedAt: r.FinishedAt, ExpiresAt: r.ExpiresAt, Size: r.Size, SHA256: r.FileSHA256}
}

// exportJob builds one export's file.
type exportJob struct {
	jobs.Tenant
	ExportID uuid.UUID `json:"export_id"`
}

func (exportJob) Kind() string { return "tenant_export" }

// InsertOpts gives an export a few attempts, not River's 25 over three weeks: one that keeps
// failing is marked failed by the expiry sweep, and the admin asks again.
func (exportJob) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

// Timeout is the time a large tenant's export may take, against the queue's one-minute limit
// for other jobs. It applies once platform/jobs hands it to River (its worker's Timeout); until
// then that minute bounds an export.
func (exportJob) Timeout() time.Duration { return 2 * time.Hour }

var (
	errExportRunning = fault.New(fault.Conflict, "export_in_progress",
		"an export of this company's data is already being prepared: wait for it to be ready")
	errNotDeleting = fault.New(fault.Conflict, "not_deleting", "the tenant is not waiting for deletion")
	// ErrSubscriptionActive refuses to delete or purge a tenant that Stripe still bills.
	ErrSubscriptionActive = fault.New(fault.Conflict, "subscription_active",
		"the company still has an active subscription: cancel it in the billing portal first, then ask again")
)
