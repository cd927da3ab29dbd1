package admin

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// ConnectorHealth is one tenant's connector as the operator sees it: its kind, name and health,
// never its configuration (which holds the tenant's credentials).
type ConnectorHealth struct {
	TenantID      uuid.UUID
	TenantSlug    string
	TenantName    string
	ID            uuid.UUID
	Kind, Name    string
	Enabled       bool
	State         string
	Message       string
	CheckedAt     *time.Time
	Restarts      int
	LastSyncAt    *time.Time
	LastSyncError string
}

// ConnectorFilter narrows ConnectorsHealth.
type ConnectorFilter struct {
	State string // "" for every state
	Kind  string
	Limit int
}

// ConnectorsHealth lists the connectors of every tenant, the failing and crashed ones first
// (then the oldest checks), with how many there are in each state across all tenants.
func (s *Service) ConnectorsHealth(ctx context.Context, f ConnectorFilter) ([]ConnectorHealth, map[string]int64, error) {
	if f.Limit <= 0 || f.Limit > maxPage {
		f.Limit = maxPage
	}
	if err := s.audit(ctx, entry{action: actionConnectorHealth, detail: fmt.Sprintf("state=%q kind=%q", f.State, f.Kind)}); err != nil {
		return nil, nil, err
	}
	db := s.st.Owner(ctx)
	var counts []struct {
		State string
		N     int64
	}
	if err := db.Table("connectors").Select("state, COUNT(*) AS n").Group("state").Scan(&counts).Error; err != nil {
		return nil, nil, fmt.Errorf("count connectors: %w", err)
	}
	byState := map[string]int64{}
	for _, c := range counts {
		byState[c.State] = c.N
	}
	q := db.Table("connectors c").Joins("JOIN tenants t ON t.id = c.tenant_id").
		Select(`c.tenant_id, t.slug AS tenant_slug, t.name AS tenant_name, c.id, c.kind, c.name, c.enabled, c.state, c.message,
			c.checked_at, c.restarts, c.last_sync_at, c.last_sync_error`)
	if f.State != "" {
		q = q.Where("c.state = ?", f.State)
	}
	if f.Kind != "" {
		q = q.Where("c.kind = ?", f.Kind)
	}
	var out []ConnectorHealth
	err := q.Order("CASE c.state WHEN 'crashed' THEN 0 WHEN 'failing' THEN 1 ELSE 2 END, c.checked_at, c.id").Limit(f.Limit).Scan(&out).Error
	if err != nil {
		return nil, nil, fmt.Errorf("list connectors: %w", err)
	}
	return out, byState, nil
}
