package tenants

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// Meter counts each tenant's authenticated API calls per day. Counting is in memory (a request
// pays a map increment, not a write); Flush adds the counts to api_calls. A server that dies
// loses at most the calls since its last flush.
type Meter struct {
	store *store.Store
	log   *slog.Logger
	now   func() time.Time
	mu    sync.Mutex
	calls map[meterKey]int64
}

type meterKey struct {
	tenant uuid.UUID
	day    string // YYYY-MM-DD, UTC
}

// NewMeter returns a meter writing into s.
func NewMeter(s *store.Store, log *slog.Logger) *Meter {
	return &Meter{store: s, log: log, now: time.Now, calls: map[meterKey]int64{}}
}

// Count notes one API call of tenant.
func (m *Meter) Count(tenant uuid.UUID) {
	k := meterKey{tenant, m.now().UTC().Format(time.DateOnly)}
	m.mu.Lock()
	m.calls[k]++
	m.mu.Unlock()
}

// Flush adds the counts so far to the database. Counts that could not be written are kept for
// the next flush.
func (m *Meter) Flush(ctx context.Context) error {
	m.mu.Lock()
	pending := m.calls
	m.calls = map[meterKey]int64{}
	m.mu.Unlock()
	var failed error
	for k, n := range pending {
		err := m.store.Tx(identity.System(ctx, k.tenant), func(_ context.Context, db *gorm.DB) error {
			return db.Exec(`INSERT INTO api_calls (tenant_id, day, calls) VALUES (?, ?, ?)
				ON CONFLICT (tenant_id, day) DO UPDATE SET calls = api_calls.calls + excluded.calls`, k.tenant, k.day, n).Error
		})
		if err != nil {
			failed = fmt.Errorf("add api calls of tenant %s: %w", k.tenant, err)
			m.mu.Lock()
			m.calls[k] += n
			m.mu.Unlock()
		}
	}
	return failed
}

// Run flushes every interval until ctx ends, then once more.
func (m *Meter) Run(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			if err := m.Flush(ctx); err != nil {
				m.log.WarnContext(ctx, "api call counts kept for the next flush", "error", err)
			}
		case <-ctx.Done():
			if err := m.Flush(context.WithoutCancel(ctx)); err != nil {
				m.log.Error("api call counts lost at shutdown", "error", err)
			}
			return
		}
	}
}
