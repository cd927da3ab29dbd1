package sync

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

type connectorRow struct {
	TenantID, ID  uuid.UUID
	Kind, Name    string
	Config        string // the connector's JSON document without its secret fields
	Secrets       string // the secret fields (writeOnly in the kind's schema), as a JSON object
	Enabled       bool
	State         string
	Message       string
	CheckedAt     *time.Time
	Restarts      int
	LastSyncAt    *time.Time
	LastSyncError string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (connectorRow) TableName() string { return "connectors" }

// toConnector converts a row for the caller: secret fields (by the kind's schema) left out.
func toConnector(r connectorRow, secrets []string) Connector {
	return Connector{ID: r.ID, Kind: r.Kind, Name: r.Name, Config: withoutSecrets(json.RawMessage(r.Config), secrets),
		SecretsSet: setSecrets(r.config(), secrets), Enabled: r.Enabled,
		Health: Health{State: State(r.State), Message: r.Message, CheckedAt: utc(r.CheckedAt), Restarts: r.Restarts,
			LastSyncAt: utc(r.LastSyncAt), LastSyncError: r.LastSyncError},
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// config is the connector's whole configuration: its plain fields and its secrets.
func (r connectorRow) config() json.RawMessage {
	return mergeSecrets(json.RawMessage(r.Config), json.RawMessage(r.Secrets))
}

// setConfig keeps config in the row with its secret fields apart.
func (r *connectorRow) setConfig(config json.RawMessage, secrets []string) {
	plain, secret := splitSecrets(config, secrets)
	r.Config, r.Secrets = string(plain), string(secret)
}

type cursorRow struct {
	TenantID, ConnectorID uuid.UUID
	Entity, Cursor        string
	UpdatedAt             time.Time
}

func (cursorRow) TableName() string { return "connector_cursors" }

type runRow struct {
	TenantID, ID, ConnectorID uuid.UUID
	Status                    string
	Pending                   string // the entities still to pull, in order, as a JSON array
	Pulled                    int
	Error                     string
	StartedAt                 time.Time
	FinishedAt                *time.Time
}

func (runRow) TableName() string { return "sync_runs" }

func toRun(r runRow) Run {
	return Run{ID: r.ID, ConnectorID: r.ConnectorID, Status: RunStatus(r.Status), Pulled: r.Pulled, Error: r.Error,
		StartedAt: r.StartedAt.UTC(), FinishedAt: utc(r.FinishedAt)}
}

func (r runRow) pending() []string {
	var out []string
	_ = json.Unmarshal([]byte(r.Pending), &out) // written by this package only
	return out
}

type recordRow struct {
	TenantID, ConnectorID uuid.UUID
	Entity, ExternalID    string
	Data                  string
	Deleted               bool
	ChangedAt             *time.Time
	PulledAt              time.Time
}

func (recordRow) TableName() string { return "connector_records" }

func toRecord(r recordRow) Record {
	return Record{Entity: r.Entity, ExternalID: r.ExternalID, Data: json.RawMessage(r.Data), Deleted: r.Deleted,
		ChangedAt: utc(r.ChangedAt), PulledAt: r.PulledAt.UTC()}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
