package visits

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/visits/geo"
)

// The rows of tracks, fence states and fence events (migrations/0007_visits.go).

type trackFixRow struct {
	TenantID   uuid.UUID
	RepID      uuid.UUID
	ClientID   uuid.UUID
	FixedAt    time.Time
	Lat        float64
	Lon        float64
	Accuracy   float64
	Speed      *float64
	Heading    *float64
	Provider   string
	Mock       bool
	ReceivedAt time.Time
}

func (trackFixRow) TableName() string { return "track_fixes" }

type fenceStateRow struct {
	TenantID uuid.UUID
	RepID    uuid.UUID
	State    string
	FixedAt  *time.Time
	Lat      *float64
	Lon      *float64
	Accuracy *float64
}

func (fenceStateRow) TableName() string { return "rep_fence_states" }

type fenceEventRow struct {
	TenantID   uuid.UUID
	ID         uuid.UUID
	RepID      uuid.UUID
	CustomerID uuid.UUID
	RegionID   uuid.UUID
	Kind       string
	At         time.Time
	Since      time.Time
}

func (fenceEventRow) TableName() string { return "fence_events" }

// repFenceState is a rep's fence state and last counted fix, as the next batch continues it.
type repFenceState struct {
	fences geo.State
	last   *geo.Fix
}

// lockFenceState reads the rep's fence state, locking its row until the transaction ends so that
// two batches of one rep apply one after the other. A rep's first batch creates the row.
func lockFenceState(s *store.Store, db *gorm.DB, rep uuid.UUID) (repFenceState, error) {
	err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&fenceStateRow{RepID: rep, State: "{}"}).Error
	if err != nil {
		return repFenceState{}, fmt.Errorf("create fence state: %w", err)
	}
	var row fenceStateRow
	if err := locked(s, db, clause.LockingStrengthUpdate).Where("rep_id = ?", rep).Take(&row).Error; err != nil {
		return repFenceState{}, fmt.Errorf("lock fence state: %w", err)
	}
	var st repFenceState
	if err := json.Unmarshal([]byte(row.State), &st.fences); err != nil {
		return repFenceState{}, fmt.Errorf("stored fence state of rep %s: %w", rep, err)
	}
	if row.FixedAt != nil && row.Lat != nil && row.Lon != nil && row.Accuracy != nil {
		st.last = &geo.Fix{Point: geo.Point{Lat: *row.Lat, Lon: *row.Lon}, Accuracy: *row.Accuracy, Time: row.FixedAt.UTC()}
	}
	return st, nil
}

func saveFenceState(db *gorm.DB, rep uuid.UUID, st repFenceState) error {
	raw, err := json.Marshal(st.fences)
	if err != nil {
		return fmt.Errorf("encode fence state: %w", err)
	}
	set := map[string]any{"state": string(raw)}
	if st.last != nil {
		set["fixed_at"], set["lat"], set["lon"], set["accuracy"] = st.last.Time, st.last.Point.Lat, st.last.Point.Lon, st.last.Accuracy
	}
	if err := db.Model(&fenceStateRow{}).Where("rep_id = ?", rep).Updates(set).Error; err != nil {
		return fmt.Errorf("save fence state: %w", err)
	}
	return nil
}

// insertFixes stores the fixes not stored before and returns them, in the order given.
func (s *Service) insertFixes(ctx context.Context, db *gorm.DB, rep uuid.UUID, fixes []TrackFix, received time.Time) ([]TrackFix, error) {
	var stored map[uuid.UUID]bool
	var err error
	if s.store.Dialect() == store.Postgres {
		stored, err = s.insertFixesNative(ctx, rep, fixes, received)
	} else {
		stored, err = insertFixesGorm(db, rep, fixes, received)
	}
	if err != nil {
		return nil, fmt.Errorf("store fixes: %w", err)
	}
	fresh := make([]TrackFix, 0, len(stored))
	for _, f := range fixes {
		if stored[f.ClientID] {
			fresh = append(fresh, f)
		}
	}
	return fresh, nil
}

// insertFixesSQL inserts a whole batch in one statement from arrays (one round trip, binary
// encoding), skipping the fixes a retried batch stored already, and returns the ids it stored.
const insertFixesSQL = `INSERT INTO track_fixes
	(tenant_id, rep_id, client_id, fixed_at, lat, lon, accuracy, speed, heading, provider, mock, received_at)
SELECT $1, $2, u.client_id, u.fixed_at, u.lat, u.lon, u.accuracy, u.speed, u.heading, u.provider, u.mock, $3
FROM unnest($4::uuid[], $5::timestamptz[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::text[], $12::bool[])
	AS u(client_id, fixed_at, lat, lon, accuracy, speed, heading, provider, mock)
ON CONFLICT (tenant_id, rep_id, client_id) DO NOTHING
RETURNING client_id`

func (s *Service) insertFixesNative(ctx context.Context, rep uuid.UUID, fixes []TrackFix, received time.Time) (map[uuid.UUID]bool, error) {
	n := len(fixes)
	ids, times := make([][16]byte, n), make([]time.Time, n)
	lats, lons, accs := make([]float64, n), make([]float64, n), make([]float64, n)
	speeds, headings := make([]*float64, n), make([]*float64, n)
	providers, mocks := make([]string, n), make([]bool, n)
	for i, f := range fixes {
		ids[i], times[i] = f.ClientID, f.Time
		lats[i], lons[i], accs[i] = f.Point.Lat, f.Point.Lon, f.Accuracy
		speeds[i], headings[i] = f.Speed, f.Heading
		providers[i], mocks[i] = f.Provider, f.Mock
	}
	stored := make(map[uuid.UUID]bool, n)
	err := s.store.Native(ctx, func(c *pgx.Conn) error {
		rows, err := c.Query(ctx, insertFixesSQL, [16]byte(identity.TenantID(ctx)), [16]byte(rep), received,
			ids, times, lats, lons, accs, speeds, headings, providers, mocks)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id [16]byte
			if err := rows.Scan(&id); err != nil {
				return err
			}
			stored[id] = true
		}
		return rows.Err()
	})
	return stored, err
}

// insertFixesGorm is the embedded database's way: its writers are serialised, so reading which
// ids exist and then inserting the others cannot race.
func insertFixesGorm(db *gorm.DB, rep uuid.UUID, fixes []TrackFix, received time.Time) (map[uuid.UUID]bool, error) {
	existing := map[uuid.UUID]bool{}
	const chunk = 500
	for lo := 0; lo < len(fixes); lo += chunk {
		ids := make([]uuid.UUID, 0, chunk)
		for _, f := range fixes[lo:min(lo+chunk, len(fixes))] {
			ids = append(ids, f.ClientID)
		}
		var found []uuid.UUID
		if err := db.Model(&trackFixRow{}).Where("rep_id = ? AND client_id IN ?", rep, ids).Pluck("client_id", &found).Error; err != nil {
			return nil, err
		}
		for _, id := range found {
			existing[id] = true
		}
	}
	stored := map[uuid.UUID]bool{}
	rows := make([]trackFixRow, 0, len(fixes))
	for _, f := range fixes {
		if existing[f.ClientID] {
			continue
		}
		stored[f.ClientID] = true
		rows = append(rows, trackFixRow{RepID: rep, ClientID: f.ClientID, FixedAt: f.Time, Lat: f.Point.Lat, Lon: f.Point.Lon,
			Accuracy: f.Accuracy, Speed: f.Speed, Heading: f.Heading, Provider: f.Provider, Mock: f.Mock, ReceivedAt: received})
	}
	if len(rows) == 0 {
		return stored, nil
	}
	return stored, db.CreateInBatches(rows, 400).Error
}

// insertEventsSQL inserts a batch's fence events in one statement from arrays, as the fixes.
const insertEventsSQL = `INSERT INTO fence_events (tenant_id, id, rep_id, customer_id, region_id, kind, at, since)
SELECT $1, u.id, $2, u.customer_id, u.region_id, u.kind, u.at, u.since
FROM unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::timestamptz[], $8::timestamptz[])
	AS u(id, customer_id, region_id, kind, at, since)`

func (s *Service) insertFenceEvents(ctx context.Context, db *gorm.DB, events []FenceEvent) error {
	if s.store.Dialect() != store.Postgres {
		return insertFenceEventsGorm(db, events)
	}
	n := len(events)
	ids, customers, regions := make([][16]byte, n), make([][16]byte, n), make([][16]byte, n)
	kinds, at, since := make([]string, n), make([]time.Time, n), make([]time.Time, n)
	for i, e := range events {
		ids[i], customers[i], regions[i] = e.ID, e.CustomerID, e.RegionID
		kinds[i], at[i], since[i] = string(e.Kind), e.At, e.Since
	}
	err := s.store.Native(ctx, func(c *pgx.Conn) error {
		_, err := c.Exec(ctx, insertEventsSQL, [16]byte(identity.TenantID(ctx)), [16]byte(events[0].RepID),
			ids, customers, regions, kinds, at, since)
		return err
	})
	if err != nil {
		return fmt.Errorf("store fence events: %w", err)
	}
	return nil
}

func insertFenceEventsGorm(db *gorm.DB, events []FenceEvent) error {
	rows := make([]fenceEventRow, len(events))
	for i, e := range events {
		rows[i] = fenceEventRow{ID: e.ID, RepID: e.RepID, CustomerID: e.CustomerID, RegionID: e.RegionID,
			Kind: string(e.Kind), At: e.At, Since: e.Since}
	}
	if err := db.CreateInBatches(rows, 200).Error; err != nil {
		return fmt.Errorf("store fence events: %w", err)
	}
	return nil
}
