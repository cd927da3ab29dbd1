package sync

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/web"
	"github.com/repflow/repflow/plugins/sdk"
)

var tags = []string{"Connectors"}

// HTTP is the connectors' API.
type HTTP struct{ svc *Service }

// NewHTTP returns the API over s.
func NewHTTP(s *Service) *HTTP { return &HTTP{svc: s} }

// Register adds the operations.
func (h *HTTP) Register(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "list-connector-kinds", Method: http.MethodGet, Path: "/api/v1/connectors/kinds", Tags: tags,
		Summary: "The connectors this server runs: what each syncs and the JSON Schema of its configuration"}, h.kinds)
	huma.Register(api, huma.Operation{OperationID: "list-connectors", Method: http.MethodGet, Path: "/api/v1/connectors", Tags: tags,
		Summary: "The company's connectors with their health, by name"}, h.list)
	huma.Register(api, huma.Operation{OperationID: "create-connector", Method: http.MethodPost, Path: "/api/v1/connectors", Tags: tags,
		Summary:       "Add a connector to a CRM or ERP system",
		Description:   "The connector checks the configuration first; a field it refuses is named at body.config.<field>. The plan limits how many connectors a company keeps.",
		DefaultStatus: http.StatusCreated}, h.create)
	huma.Register(api, huma.Operation{OperationID: "get-connector", Method: http.MethodGet, Path: "/api/v1/connectors/{id}", Tags: tags,
		Summary: "One connector with its health"}, h.get)
	huma.Register(api, huma.Operation{OperationID: "update-connector", Method: http.MethodPatch, Path: "/api/v1/connectors/{id}", Tags: tags,
		Summary:     "Rename, reconfigure, switch on or off a connector",
		Description: "A new config replaces the old one, except that secret fields it leaves out (passwords) keep their values."}, h.update)
	huma.Register(api, huma.Operation{OperationID: "delete-connector", Method: http.MethodDelete, Path: "/api/v1/connectors/{id}", Tags: tags,
		Summary: "Remove a connector with its sync runs and the records it pulled", DefaultStatus: http.StatusNoContent}, h.delete)
	huma.Register(api, huma.Operation{OperationID: "check-connector", Method: http.MethodPost, Path: "/api/v1/connectors/{id}/check", Tags: tags,
		Summary: "Have the connector reach its system now, and keep what it finds as its health"}, h.check)
	huma.Register(api, huma.Operation{OperationID: "sync-connector", Method: http.MethodPost, Path: "/api/v1/connectors/{id}/sync", Tags: tags,
		Summary:       "Start a sync run: every entity the connector pulls, from where the last one stopped",
		Description:   "The run goes on in the background, committing one page of records with its cursor at a time; 409 while another run is under way.",
		DefaultStatus: http.StatusAccepted}, h.sync)
	huma.Register(api, huma.Operation{OperationID: "list-sync-runs", Method: http.MethodGet, Path: "/api/v1/connectors/{id}/runs", Tags: tags,
		Summary: "A connector's sync runs, newest first"}, h.runs)
	huma.Register(api, huma.Operation{OperationID: "list-pulled-records", Method: http.MethodGet, Path: "/api/v1/connectors/{id}/records", Tags: tags,
		Summary: "The records a connector pulled, as the remote system last had them, by entity and external id"}, h.records)
}

// EntityDTO is a kind of record a connector syncs.
type EntityDTO struct {
	Name        string `json:"name"`
	Direction   string `json:"direction" enum:"pull,push,both"`
	Description string `json:"description"`
}

// KindDTO is a connector this server runs.
type KindDTO struct {
	Kind         string         `json:"kind"`
	DisplayName  string         `json:"display_name"`
	Version      string         `json:"version"`
	Entities     []EntityDTO    `json:"entities"`
	ConfigSchema map[string]any `json:"config_schema" doc:"a JSON Schema object; writeOnly properties are secrets"`
}

var directions = map[sdk.Direction]string{sdk.Pull: "pull", sdk.Push: "push", sdk.Both: "both"}

type connectorKindsOutput struct {
	Body struct {
		Kinds []KindDTO `json:"kinds"`
	}
}

func (h *HTTP) kinds(ctx context.Context, _ *struct{}) (*connectorKindsOutput, error) {
	ds, err := h.svc.Kinds(ctx)
	if err != nil {
		return nil, err
	}
	out := &connectorKindsOutput{}
	out.Body.Kinds = make([]KindDTO, len(ds))
	for i, d := range ds {
		k := KindDTO{Kind: d.Kind, DisplayName: d.DisplayName, Version: d.Version, Entities: make([]EntityDTO, len(d.Entities)), ConfigSchema: object(d.ConfigSchema)}
		for j, e := range d.Entities {
			k.Entities[j] = EntityDTO{Name: e.Name, Direction: directions[e.Direction], Description: e.Description}
		}
		out.Body.Kinds[i] = k
	}
	return out, nil
}

// HealthDTO is a connector's last known condition.
type HealthDTO struct {
	State         string     `json:"state" enum:"unknown,healthy,failing,crashed,disabled"`
	Message       string     `json:"message"`
	CheckedAt     *time.Time `json:"checked_at"`
	Restarts      int        `json:"restarts" doc:"process restarts since the server started"`
	LastSyncAt    *time.Time `json:"last_sync_at"`
	LastSyncError string     `json:"last_sync_error"`
}

// ConnectorDTO is a connector; config leaves out the secret fields (secrets_set names those set).
type ConnectorDTO struct {
	ID         uuid.UUID      `json:"id"`
	Kind       string         `json:"kind"`
	Name       string         `json:"name"`
	Config     map[string]any `json:"config"`
	SecretsSet []string       `json:"secrets_set"`
	Enabled    bool           `json:"enabled"`
	Health     HealthDTO      `json:"health"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
}

func connectorDTO(c Connector) ConnectorDTO {
	h := c.Health
	return ConnectorDTO{ID: c.ID, Kind: c.Kind, Name: c.Name, Config: object(c.Config), SecretsSet: c.SecretsSet, Enabled: c.Enabled,
		Health: HealthDTO{State: string(h.State), Message: h.Message, CheckedAt: h.CheckedAt, Restarts: h.Restarts,
			LastSyncAt: h.LastSyncAt, LastSyncError: h.LastSyncError},
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// object decodes a JSON object for a response; anything else is an empty object.
func object(doc json.RawMessage) map[string]any {
	out := map[string]any{}
	_ = json.Unmarshal(doc, &out)
	return out
}

type connectorOutput struct{ Body ConnectorDTO }

type connectorListOutput struct {
	Body struct {
		Connectors []ConnectorDTO `json:"connectors"`
	}
}

func (h *HTTP) list(ctx context.Context, _ *struct{}) (*connectorListOutput, error) {
	cs, err := h.svc.List(ctx)
	if err != nil {
		return nil, err
	}
	out := &connectorListOutput{}
	out.Body.Connectors = make([]ConnectorDTO, len(cs))
	for i, c := range cs {
		out.Body.Connectors[i] = connectorDTO(c)
	}
	return out, nil
}

// NewConnectorDTO adds a connector.
type NewConnectorDTO struct {
	Kind    string         `json:"kind" maxLength:"64"`
	Name    string         `json:"name" maxLength:"100"`
	Config  map[string]any `json:"config" doc:"as the kind's config_schema describes"`
	Enabled *bool          `json:"enabled,omitempty" doc:"run it (the default), or keep it switched off"`
}

type createConnectorInput struct{ Body NewConnectorDTO }

func (h *HTTP) create(ctx context.Context, in *createConnectorInput) (*connectorOutput, error) {
	config, _ := json.Marshal(in.Body.Config) // decoded from JSON: it encodes
	enabled := in.Body.Enabled == nil || *in.Body.Enabled
	c, err := h.svc.Create(ctx, NewConnector{Kind: in.Body.Kind, Name: in.Body.Name, Config: config, Enabled: enabled})
	if err != nil {
		return nil, err
	}
	return &connectorOutput{Body: connectorDTO(c)}, nil
}

type connectorPath struct {
	ID string `path:"id" format:"uuid" doc:"the connector's id"`
}

func (h *HTTP) get(ctx context.Context, in *connectorPath) (*connectorOutput, error) {
	return h.one(ctx, in.ID, h.svc.Get)
}

func (h *HTTP) check(ctx context.Context, in *connectorPath) (*connectorOutput, error) {
	return h.one(ctx, in.ID, h.svc.Check)
}

func (h *HTTP) one(ctx context.Context, rawID string, do func(context.Context, uuid.UUID) (Connector, error)) (*connectorOutput, error) {
	id, err := web.ParseID(rawID, "path.id")
	if err != nil {
		return nil, err
	}
	c, err := do(ctx, id)
	if err != nil {
		return nil, err
	}
	return &connectorOutput{Body: connectorDTO(c)}, nil
}

// ConnectorChangesDTO changes a connector; absent fields stay as they are.
type ConnectorChangesDTO struct {
	Name    *string        `json:"name,omitempty" maxLength:"100"`
	Config  map[string]any `json:"config,omitempty"`
	Enabled *bool          `json:"enabled,omitempty"`
}

type updateConnectorInput struct {
	ID   string `path:"id" format:"uuid" doc:"the connector's id"`
	Body ConnectorChangesDTO
}

func (h *HTTP) update(ctx context.Context, in *updateConnectorInput) (*connectorOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	ch := Changes{Name: in.Body.Name, Enabled: in.Body.Enabled}
	if in.Body.Config != nil {
		ch.Config, _ = json.Marshal(in.Body.Config)
	}
	c, err := h.svc.Update(ctx, id, ch)
	if err != nil {
		return nil, err
	}
	return &connectorOutput{Body: connectorDTO(c)}, nil
}

func (h *HTTP) delete(ctx context.Context, in *connectorPath) (*struct{}, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	return nil, h.svc.Delete(ctx, id)
}

// RunDTO is one sync run.
type RunDTO struct {
	ID          uuid.UUID  `json:"id"`
	ConnectorID uuid.UUID  `json:"connector_id"`
	Status      string     `json:"status" enum:"queued,running,done,failed"`
	Pulled      int        `json:"pulled" doc:"records stored by this run"`
	Error       string     `json:"error" doc:"why it failed, or why its last attempt did while it retries"`
	StartedAt   time.Time  `json:"started_at"`
	FinishedAt  *time.Time `json:"finished_at"`
}

func runDTO(r Run) RunDTO {
	return RunDTO{ID: r.ID, ConnectorID: r.ConnectorID, Status: string(r.Status), Pulled: r.Pulled, Error: r.Error, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt}
}

type syncRunOutput struct{ Body RunDTO }

func (h *HTTP) sync(ctx context.Context, in *connectorPath) (*syncRunOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	r, err := h.svc.Sync(ctx, id)
	if err != nil {
		return nil, err
	}
	return &syncRunOutput{Body: runDTO(r)}, nil
}

type syncRunsInput struct {
	ID    string `path:"id" format:"uuid" doc:"the connector's id"`
	Limit int    `query:"limit" minimum:"1" maximum:"500" default:"20"`
}

type syncRunsOutput struct {
	Body struct {
		Runs []RunDTO `json:"runs"`
	}
}

func (h *HTTP) runs(ctx context.Context, in *syncRunsInput) (*syncRunsOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	rs, err := h.svc.Runs(ctx, id, in.Limit)
	if err != nil {
		return nil, err
	}
	out := &syncRunsOutput{}
	out.Body.Runs = make([]RunDTO, len(rs))
	for i, r := range rs {
		out.Body.Runs[i] = runDTO(r)
	}
	return out, nil
}

// RecordDTO is one pulled record.
type RecordDTO struct {
	Entity     string         `json:"entity"`
	ExternalID string         `json:"external_id"`
	Data       map[string]any `json:"data"`
	Deleted    bool           `json:"deleted"`
	ChangedAt  *time.Time     `json:"changed_at" doc:"when the remote system last changed it, if it says"`
	PulledAt   time.Time      `json:"pulled_at"`
}

type pulledRecordsInput struct {
	ID     string `path:"id" format:"uuid" doc:"the connector's id"`
	Entity string `query:"entity" maxLength:"64" doc:"one entity's records; empty: all, by entity"`
	Cursor string `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"100"`
}

type pulledRecordsOutput struct {
	Body struct {
		Records    []RecordDTO `json:"records"`
		NextCursor *string     `json:"next_cursor" doc:"null on the last page"`
	}
}

func (h *HTTP) records(ctx context.Context, in *pulledRecordsInput) (*pulledRecordsOutput, error) {
	id, err := web.ParseID(in.ID, "path.id")
	if err != nil {
		return nil, err
	}
	page, err := h.svc.Records(ctx, id, in.Entity, in.Cursor, in.Limit)
	if err != nil {
		return nil, err
	}
	out := &pulledRecordsOutput{}
	out.Body.Records = make([]RecordDTO, len(page.Records))
	for i, r := range page.Records {
		out.Body.Records[i] = RecordDTO{Entity: r.Entity, ExternalID: r.ExternalID, Data: object(r.Data), Deleted: r.Deleted, ChangedAt: r.ChangedAt, PulledAt: r.PulledAt}
	}
	if page.Next != "" {
		out.Body.NextCursor = &page.Next
	}
	return out, nil
}
