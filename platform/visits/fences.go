package visits

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/visits/geo"
)

// Every replica keeps each active tenant's geofences in memory (a geo.Index), and the database
// says how current it must be: each change to a customer bumps the tenant's fence generation and
// records the customer in fence_changes, in the same transaction. A reader compares the
// generation its transaction sees with the one its index was built at and applies the changes in
// between (or reloads, after many). A change made through any replica is therefore seen by the
// next batch of fixes on every replica. Generations are bumped under the row's lock, so they
// commit in order and no change can slip behind one already applied.

// maxIncremental is how many changed customers are applied one by one; beyond it, a reload of
// the tenant's fences is cheaper.
const maxIncremental = 2000

type fenceGeneration struct {
	TenantID   uuid.UUID
	Generation int64
}

func (fenceGeneration) TableName() string { return "fence_generations" }

type fenceChange struct {
	TenantID   uuid.UUID
	Generation int64
	CustomerID uuid.UUID
}

func (fenceChange) TableName() string { return "fence_changes" }

// tenantFences is one tenant's fences as of a generation.
type tenantFences struct {
	mu         sync.Mutex // held while bringing the index up to date
	generation int64      // -1 before the first load
	index      *geo.Index
	regions    map[uuid.UUID]uuid.UUID // customer id -> region id, for events and visits
	regionsMu  sync.RWMutex
	lastUsed   time.Time // under fenceCache.mu
}

func (t *tenantFences) region(customer uuid.UUID) (uuid.UUID, bool) {
	t.regionsMu.RLock()
	defer t.regionsMu.RUnlock()
	r, ok := t.regions[customer]
	return r, ok
}

// fenceIdle is how long a tenant's fences stay in memory without a batch of fixes: a replica
// serving many tenants keeps only those whose reps are out, and reloads the others when needed.
const fenceIdle = 30 * time.Minute

// fenceCache holds the fences of the tenants this replica has served fixes for lately.
type fenceCache struct {
	mu        sync.Mutex
	tenants   map[uuid.UUID]*tenantFences
	now       func() time.Time
	lastSweep time.Time
}

func newFenceCache(now func() time.Time) *fenceCache {
	return &fenceCache{tenants: map[uuid.UUID]*tenantFences{}, now: now}
}

// current returns the tenant's fences, brought up to the generation db's transaction sees.
func (c *fenceCache) current(ctx context.Context, db *gorm.DB) (*tenantFences, error) {
	tenant := identity.TenantID(ctx)
	now := c.now()
	c.mu.Lock()
	c.evictIdle(now)
	t := c.tenants[tenant]
	if t == nil {
		t = &tenantFences{generation: -1}
		c.tenants[tenant] = t
	}
	t.lastUsed = now
	c.mu.Unlock()

	var gen fenceGeneration
	if err := db.Limit(1).Find(&gen).Error; err != nil {
		return nil, fmt.Errorf("read fence generation: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case t.generation == gen.Generation:
		return t, nil
	case t.generation > gen.Generation:
		// Another request already applied a change this transaction's snapshot does not show
		// yet: the newer fences are the truth a moment later, and that is good enough.
		return t, nil
	}
	var changed []uuid.UUID
	if t.generation >= 0 {
		err := db.Model(&fenceChange{}).Where("generation > ? AND generation <= ?", t.generation, gen.Generation).
			Distinct("customer_id").Limit(maxIncremental+1).Pluck("customer_id", &changed).Error
		if err != nil {
			return nil, fmt.Errorf("read fence changes: %w", err)
		}
	}
	if t.generation < 0 || len(changed) > maxIncremental {
		if err := t.reload(db); err != nil {
			return nil, err
		}
	} else if err := t.apply(db, changed); err != nil {
		return nil, err
	}
	t.generation = gen.Generation
	return t, nil
}

// evictIdle forgets the tenants not used for fenceIdle, looking at most every few minutes. An
// evicted tenant still in use by a request is harmless: that request keeps its pointer, and the
// next one builds a fresh index. c.mu is held.
func (c *fenceCache) evictIdle(now time.Time) {
	if now.Sub(c.lastSweep) < fenceIdle/6 {
		return
	}
	c.lastSweep = now
	for id, t := range c.tenants {
		if now.Sub(t.lastUsed) > fenceIdle {
			delete(c.tenants, id)
		}
	}
}

// reload builds the index from every customer of the tenant.
func (t *tenantFences) reload(db *gorm.DB) error {
	ix := geo.NewIndex()
	regions := map[uuid.UUID]uuid.UUID{}
	var batch []customerRow
	err := db.Model(&customerRow{}).FindInBatches(&batch, 2000, func(*gorm.DB, int) error {
		for _, r := range batch {
			c, err := toCustomer(r)
			if err != nil {
				return err
			}
			if err := ix.Insert(c.ID, c.Fence); err != nil {
				return fmt.Errorf("index customer %s: %w", c.ID, err)
			}
			regions[c.ID] = c.RegionID
		}
		return nil
	}).Error
	if err != nil {
		return fmt.Errorf("load fences: %w", err)
	}
	t.index = ix
	t.regionsMu.Lock()
	t.regions = regions
	t.regionsMu.Unlock()
	return nil
}

// apply brings the given customers' fences up to date, removing deleted ones.
func (t *tenantFences) apply(db *gorm.DB, ids []uuid.UUID) error {
	if len(ids) == 0 {
		return nil
	}
	var rows []customerRow
	if err := db.Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return fmt.Errorf("load changed fences: %w", err)
	}
	found := map[uuid.UUID]bool{}
	t.regionsMu.Lock()
	defer t.regionsMu.Unlock()
	for _, r := range rows {
		c, err := toCustomer(r)
		if err != nil {
			return err
		}
		if err := t.index.Insert(c.ID, c.Fence); err != nil {
			return fmt.Errorf("index customer %s: %w", c.ID, err)
		}
		t.regions[c.ID] = c.RegionID
		found[c.ID] = true
	}
	for _, id := range ids {
		if !found[id] {
			t.index.Delete(id)
			delete(t.regions, id)
		}
	}
	return nil
}

// fencesChanged records, in the caller's transaction, that customer's fence changed.
func fencesChanged(db *gorm.DB, customer uuid.UUID) error {
	gen := fenceGeneration{Generation: 1}
	// The upsert takes the row's lock until commit: generations commit in the order they count.
	err := db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "tenant_id"}},
		DoUpdates: clause.Assignments(map[string]any{"generation": gorm.Expr("fence_generations.generation + 1")}),
	}).Create(&gen).Error
	if err != nil {
		return fmt.Errorf("bump fence generation: %w", err)
	}
	if err := db.Limit(1).Find(&gen).Error; err != nil {
		return fmt.Errorf("read fence generation: %w", err)
	}
	if err := db.Create(&fenceChange{Generation: gen.Generation, CustomerID: customer}).Error; err != nil {
		return fmt.Errorf("record fence change: %w", err)
	}
	return nil
}
