// Package sdk is what a connector plugin imports to be one: the Connector interface it
// implements, the handshake and plugin set the host and the plugin agree on, and the gRPC
// adapters between them. It imports nothing else from repflow, so third parties can build
// connectors against it alone.
package sdk

import (
	"context"
	"encoding/json"
	"time"
)

// Connector is one remote system (a CRM, an ERP) as repflow syncs with it. The host calls it from
// one goroutine at a time per connector process, each call with a deadline in ctx.
type Connector interface {
	// Describe needs no configuration.
	Describe(ctx context.Context) (Description, error)
	// Configure checks config and applies it when there are no field errors. A returned error
	// is a failure of the connector itself, not of the configuration.
	Configure(ctx context.Context, config json.RawMessage) ([]FieldError, error)
	// Check reaches the remote system with the applied configuration; the error says why not,
	// in words an administrator can act on.
	Check(ctx context.Context) error
	// Pull sends entity's records changed after cursor (empty: all), oldest first, at most limit
	// of them (0: the connector's own page size). Each record's Cursor resumes after it.
	Pull(ctx context.Context, req PullRequest, send func(Record) error) error
	// Push writes records to the remote system and answers for each one, in order.
	Push(ctx context.Context, entity string, records []Record) ([]PushResult, error)
}

// Direction is which way an entity's records flow.
type Direction int

const (
	Pull Direction = 1 // from the remote system into repflow
	Push Direction = 2 // from repflow into the remote system
	Both Direction = 3
)

// Entity is a kind of record a connector syncs.
type Entity struct {
	Name        string // e.g. "customers"
	Direction   Direction
	Description string
}

// Description is what a connector says of itself.
type Description struct {
	Kind         string // its binary's name, e.g. "tryton"
	DisplayName  string
	Version      string
	Entities     []Entity
	ConfigSchema json.RawMessage // a JSON Schema object
}

// FieldError is one thing wrong with a configuration.
type FieldError struct {
	Field   string // a JSON pointer, e.g. "/url"
	Message string
}

// PullRequest asks for one entity's changes after Cursor.
type PullRequest struct {
	Entity string
	Cursor string
	Limit  int
}

// Record is one record of the remote system.
type Record struct {
	Entity     string
	ExternalID string          // its id in the remote system
	Data       json.RawMessage // a JSON object
	Cursor     string          // resume after this record
	Deleted    bool
	ChangedAt  time.Time // zero: unknown
}

// PushResult is the remote system's answer for one pushed record.
type PushResult struct {
	ExternalID string
	OK         bool
	Error      string
	RemoteID   string // the id a new record was given
}
