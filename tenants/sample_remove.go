package tenants

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/org"
)

// SampleRemoval says what RemoveSample took away, per kind of record, and what it kept because
// the company's own records refer to it (an order of theirs at a sample customer, say).
type SampleRemoval struct {
	Removed map[string]int
	Kept    map[string]int
}

// sampleKinds are removed in this order, each record with the rows that are part of it (an
// order's lines, a visit's revisions), children first: referrers before what they refer to.
var sampleKinds = []struct {
	kind     string
	children []string // tables whose rows of the record go with it, by the record's id column
	by       string   // that column
}{
	{"orders", []string{"delivery_lines", "deliveries", "payments", "order_transitions", "order_lines"}, "order_id"},
	{"opportunities", []string{"reminders", "tasks", "opportunity_stage_moves"}, "opportunity_id"},
	{"visits", []string{"visit_photos", "visit_reviews", "visit_revisions"}, "visit_id"},
	{"products", nil, "product_id"},
	// Fence events and rollups are derived from the visits and tracks; the fence changes are
	// rewritten below so that every server's fence index drops the customer.
	{"customers", []string{"fence_events", "fence_changes", "visit_rollups"}, "customer_id"},
}

// sampleTracks are the sample people's own rows, by rep_id: their phones' tracks.
var sampleTracks = []string{"fence_events", "rep_fence_states", "track_fixes"}

// RemoveSample removes every sample record of the caller's tenant, for a tenant admin. A sample
// record that a record of the company's own refers to is kept, and said so: nothing of the
// company's own is touched. The sample people are disabled rather than deleted (people are
// never deleted: the audit trail names them); they no longer count or sign in.
//
// It deletes through the owner handle, naming the tenant in every statement: a visit's revisions
// and reviews are append-only to the application's role. On the embedded database that joins the
// request's transaction; on PostgreSQL it commits just before it, as a deletion request does.
func (p *Provisioner) RemoveSample(ctx context.Context) (SampleRemoval, error) {
	me, err := identity.SignedIn(ctx, "remove the sample data")
	if err != nil {
		return SampleRemoval{}, err
	}
	if !me.HasRole(identity.RoleTenantAdmin) {
		return SampleRemoval{}, fault.New(fault.Forbidden, "forbidden", "only a tenant admin can remove the sample data")
	}
	out := SampleRemoval{Removed: map[string]int{}, Kept: map[string]int{}}
	err = p.store.Tx(ctx, func(ctx context.Context, tdb *gorm.DB) error {
		var rows []sampleRow
		if err := tdb.Order("kind, id").Find(&rows).Error; err != nil {
			return fmt.Errorf("list sample records: %w", err)
		}
		ids := map[string][]uuid.UUID{}
		for _, r := range rows {
			ids[r.Kind] = append(ids[r.Kind], r.ID)
		}
		err := p.store.OwnerWrite(ctx, func(db *gorm.DB) error {
			return db.Transaction(func(tx *gorm.DB) error {
				return removeSample(tx, me.TenantID, ids, out)
			})
		})
		if err != nil {
			return err
		}
		// The rep before their manager: nobody who still manages someone is disabled.
		disabled, people := org.StatusDisabled, ids["users"]
		for i := len(people) - 1; i >= 0; i-- {
			_, err := p.org.UpdateUser(ctx, people[i], org.UserChanges{Status: &disabled})
			if _, ok := fault.As(err); ok {
				out.Kept["users"]++ // still managing someone of the company's own, say
				continue
			}
			if err != nil {
				return fmt.Errorf("disable sample person %s: %w", people[i], err)
			}
			out.Removed["users"]++
			if err := tdb.Where("kind = ? AND id = ?", "users", people[i]).Delete(&sampleRow{}).Error; err != nil {
				return err
			}
		}
		// The monthly visit figures are rebuilt from the visits that are left.
		return p.visits.RebuildRollups(ctx)
	})
	if err != nil {
		return SampleRemoval{}, fmt.Errorf("remove sample data: %w", err)
	}
	return out, nil
}

// removeSample deletes the sample records of ids in tx, each in a savepoint of its own: a record
// the database refuses to delete (a foreign key of the company's own) is rolled back alone and
// kept, listed as a sample still.
func removeSample(tx *gorm.DB, tenant uuid.UUID, ids map[string][]uuid.UUID, out SampleRemoval) error {
	var removed []sampleRow
	var customers []uuid.UUID
	for n, k := range sampleKinds {
		for i, id := range ids[k.kind] {
			point := fmt.Sprintf("sample_%d_%d", n, i)
			if err := tx.SavePoint(point).Error; err != nil {
				return err
			}
			err := deleteRecord(tx, tenant, k.kind, k.children, k.by, id)
			if err != nil {
				if rerr := tx.RollbackTo(point).Error; rerr != nil {
					return rerr
				}
				out.Kept[k.kind]++
				continue
			}
			out.Removed[k.kind]++
			removed = append(removed, sampleRow{TenantID: tenant, Kind: k.kind, ID: id})
			if k.kind == "customers" {
				customers = append(customers, id)
			}
		}
	}
	if people := ids["users"]; len(people) > 0 {
		for _, table := range sampleTracks {
			if err := tx.Exec("DELETE FROM "+table+" WHERE tenant_id = ? AND rep_id IN ?", tenant, people).Error; err != nil {
				return fmt.Errorf("delete sample tracks from %s: %w", table, err)
			}
		}
	}
	if err := fenceRemoved(tx, tenant, customers); err != nil {
		return err
	}
	for _, r := range removed {
		if err := tx.Where("tenant_id = ? AND kind = ? AND id = ?", r.TenantID, r.Kind, r.ID).Delete(&sampleRow{}).Error; err != nil {
			return fmt.Errorf("unlist sample record: %w", err)
		}
	}
	return nil
}

// deleteRecord deletes one record of table (kind) with its rows in children.
func deleteRecord(tx *gorm.DB, tenant uuid.UUID, table string, children []string, by string, id uuid.UUID) error {
	for _, child := range children {
		if err := tx.Exec("DELETE FROM "+child+" WHERE tenant_id = ? AND "+by+" = ?", tenant, id).Error; err != nil {
			return err
		}
	}
	return tx.Exec("DELETE FROM "+table+" WHERE tenant_id = ? AND id = ?", tenant, id).Error
}

// fenceRemoved records the removed customers as fence changes, as the visits service does when
// a customer is deleted (platform/visits/fences.go), so that each server's fence index drops them.
func fenceRemoved(tx *gorm.DB, tenant uuid.UUID, customers []uuid.UUID) error {
	if len(customers) == 0 {
		return nil
	}
	type generation struct {
		TenantID   uuid.UUID `gorm:"primaryKey"`
		Generation int64
	}
	gen := generation{TenantID: tenant, Generation: 1}
	err := tx.Table("fence_generations").Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "tenant_id"}},
		DoUpdates: clause.Assignments(map[string]any{"generation": gorm.Expr("fence_generations.generation + 1")})}).Create(&gen).Error
	if err != nil {
		return fmt.Errorf("bump fence generation: %w", err)
	}
	if err := tx.Table("fence_generations").Where("tenant_id = ?", tenant).Take(&gen).Error; err != nil {
		return fmt.Errorf("read fence generation: %w", err)
	}
	for _, id := range customers {
		if err := tx.Table("fence_changes").Create(map[string]any{"tenant_id": tenant, "generation": gen.Generation, "customer_id": id}).Error; err != nil {
			return fmt.Errorf("record fence change: %w", err)
		}
	}
	return nil
}
