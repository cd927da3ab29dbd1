package admin

import (
	"context"
	"time"

	"github.com/google/uuid"
)

type connectorHealthDTO struct {
	TenantID      uuid.UUID  `json:"tenant_id"`
	TenantSlug    string     `json:"tenant_slug"`
	TenantName    string     `json:"tenant_name"`
	ID            uuid.UUID  `json:"id"`
	Kind          string     `json:"kind"`
	Name          string     `json:"name"`
	Enabled       bool       `json:"enabled"`
	State         string     `json:"state" enum:"unknown,healthy,failing,crashed,disabled"`
	Message       string     `json:"message" doc:"why it fails, in the connector's words"`
	CheckedAt     *time.Time `json:"checked_at"`
	Restarts      int        `json:"restarts"`
	LastSyncAt    *time.Time `json:"last_sync_at"`
	LastSyncError string     `json:"last_sync_error"`
}

type connectorsHealthInput struct {
	State string `query:"state" enum:"unknown,healthy,failing,crashed,disabled"`
	Kind  string `query:"kind" maxLength:"64"`
	Limit int    `query:"limit" minimum:"1" maximum:"200" default:"200"`
}

type connectorsHealthOutput struct {
	Body struct {
		ByState    map[string]int64     `json:"by_state" doc:"every tenant's connectors, counted by state"`
		Connectors []connectorHealthDTO `json:"connectors" doc:"crashed first, then failing, then the others; the oldest checks first"`
	}
}

func (s *Service) handleConnectorsHealth(ctx context.Context, in *connectorsHealthInput) (*connectorsHealthOutput, error) {
	list, byState, err := s.ConnectorsHealth(ctx, ConnectorFilter{State: in.State, Kind: in.Kind, Limit: in.Limit})
	if err != nil {
		return nil, err
	}
	out := &connectorsHealthOutput{}
	out.Body.ByState = byState
	out.Body.Connectors = make([]connectorHealthDTO, len(list))
	for i, c := range list {
		out.Body.Connectors[i] = connectorHealthDTO(c)
	}
	return out, nil
}
