// Package sync keeps a tenant's connectors to its CRM and ERP systems: which ones it has and with
// what configuration, whether each one works (its health), and the records each one pulled, with
// the cursor it resumes from. The connectors themselves run as separate processes (plugins/host);
// this package reaches them through the Runner it is given.
package sync

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/plugins/sdk"
)

// State is what a connector's last health check found.
type State string

const (
	StateUnknown  State = "unknown"  // not checked yet since it was made or changed
	StateHealthy  State = "healthy"  // it ran and reached its remote system
	StateFailing  State = "failing"  // it ran, but the remote system refused or did not answer
	StateCrashed  State = "crashed"  // its process would not start, or died and could not be restarted
	StateDisabled State = "disabled" // switched off by the tenant: not run, not checked
)

// Connector is one of a tenant's connectors. Config never carries the values of the
// connector's secret fields (its schema marks them writeOnly): they are kept, not shown.
type Connector struct {
	ID     uuid.UUID
	Kind   string
	Name   string
	Config json.RawMessage
	// SecretsSet names the secret fields that have a value (left out of Config).
	SecretsSet []string
	Enabled    bool
	Health     Health
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Health is what the platform knows of a connector's condition.
type Health struct {
	State     State
	Message   string     // why it is failing or crashed, in the connector's words
	CheckedAt *time.Time // the last check; nil: never
	Restarts  int        // how often its process was restarted since this server started
	// LastSyncAt is when its last sync run finished; LastSyncError is that run's failure, if any.
	LastSyncAt    *time.Time
	LastSyncError string
}

// NewConnector is the input of Create.
type NewConnector struct {
	Kind    string
	Name    string
	Config  json.RawMessage
	Enabled bool
}

// Changes is the input of Update; nil fields stay as they are. A Config replaces the old one,
// except that a secret field it leaves out keeps its value.
type Changes struct {
	Name    *string
	Config  json.RawMessage
	Enabled *bool
}

// RunStatus is where a sync run stands.
type RunStatus string

const (
	RunQueued  RunStatus = "queued"
	RunRunning RunStatus = "running"
	RunDone    RunStatus = "done"
	RunFailed  RunStatus = "failed"
)

// Run is one sync of a connector: every entity it pulls, each from where the last run stopped.
type Run struct {
	ID          uuid.UUID
	ConnectorID uuid.UUID
	Status      RunStatus
	Pulled      int // records stored by this run
	Error       string
	StartedAt   time.Time
	FinishedAt  *time.Time
}

// Record is one record a connector pulled, as the remote system last had it.
type Record struct {
	Entity     string
	ExternalID string
	Data       json.RawMessage
	Deleted    bool
	ChangedAt  *time.Time
	PulledAt   time.Time
}

// RecordPage is one page of a connector's records, by external id; Next is "" on the last page.
type RecordPage struct {
	Records []Record
	Next    string
}

// Runner runs connector processes: plugins/host's Supervisor, behind cmd's adapter. Instances are
// named by the connector's id; the same id on another replica is another process.
type Runner interface {
	// Kinds are the connectors this server can run.
	Kinds() []sdk.Description
	// Start runs (or re-runs with new config) the instance id of kind; field errors refuse config.
	Start(ctx context.Context, id, kind string, config json.RawMessage) ([]sdk.FieldError, error)
	// Running reports whether instance id is started here, and its process restarts so far.
	Running(id string) (running bool, restarts int)
	Stop(id string)
	Check(ctx context.Context, id string) error
	Pull(ctx context.Context, id string, req sdk.PullRequest, send func(sdk.Record) error) error
}

// ErrNoRunner: the server was started without connectors.
var ErrNoRunner = errors.New("no connector runner")
