package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
)

// region is the smallest tenant table of migration 1.
type region struct {
	TenantID  uuid.UUID
	ID        uuid.UUID
	ParentID  *uuid.UUID
	Name      string
	Path      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (region) TableName() string { return "regions" }

func newRegion(name string) region {
	id := identity.NewID()
	return region{ID: id, Name: name, Path: "/" + id.String() + "/"}
}

// seed makes a root region in tenants a and b and returns them.
func seed(t *testing.T, s *store.Store) (a, b uuid.UUID, ra, rb region) {
	t.Helper()
	a, b = identity.NewID(), identity.NewID()
	ra, rb = newRegion("A"), newRegion("B")
	for tenant, r := range map[uuid.UUID]*region{a: &ra, b: &rb} {
		err := s.Tx(identity.System(context.Background(), tenant), func(ctx context.Context, db *gorm.DB) error {
			return db.Create(r).Error
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return a, b, ra, rb
}

func TestTenantHandleConfinesEveryStatement(t *testing.T) {
	s := storetest.Open(t)
	a, b, ra, _ := seed(t, s)
	if ra.TenantID != a {
		t.Fatalf("insert was stamped with tenant %s, want %s", ra.TenantID, a)
	}
	err := s.Tx(identity.System(context.Background(), b), func(ctx context.Context, db *gorm.DB) error {
		var all []region
		if err := db.Find(&all).Error; err != nil {
			return err
		}
		if len(all) != 1 || all[0].TenantID != b {
			t.Errorf("tenant B lists %d regions (%v); want only its own", len(all), all)
		}
		var one region
		if err := db.Where("id = ?", ra.ID).Take(&one).Error; !store.IsNotFound(err) {
			t.Errorf("B reading A's region by id: err = %v, want not found", err)
		}
		if n := db.Model(&region{}).Where("id = ?", ra.ID).Update("name", "stolen").RowsAffected; n != 0 {
			t.Errorf("B updated %d of A's rows", n)
		}
		if n := db.Where("id = ?", ra.ID).Delete(&region{}).RowsAffected; n != 0 {
			t.Errorf("B deleted %d of A's rows", n)
		}
		foreign := newRegion("planted")
		foreign.TenantID = a
		if err := db.Create(&foreign).Error; err == nil {
			t.Error("B inserted a row carrying A's tenant id")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var name string
	_ = s.Tx(identity.System(context.Background(), a), func(ctx context.Context, db *gorm.DB) error {
		return db.Model(&region{}).Where("id = ?", ra.ID).Pluck("name", &name).Error
	})
	if name != "A" {
		t.Errorf("A's region is named %q after B's attempts, want A", name)
	}
}

func TestStatementWithoutTenantFails(t *testing.T) {
	s := storetest.Open(t)
	err := s.Tx(context.Background(), func(ctx context.Context, db *gorm.DB) error { return nil })
	if !errors.Is(err, store.ErrNoTenant) {
		t.Fatalf("Tx without a principal: err = %v, want ErrNoTenant", err)
	}
}

func TestNestedTxJoinsAndRefusesAnotherTenant(t *testing.T) {
	s := storetest.Open(t)
	a, b := identity.NewID(), identity.NewID()
	boom := errors.New("boom")
	err := s.Tx(identity.System(context.Background(), a), func(ctx context.Context, db *gorm.DB) error {
		inner := s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
			r := newRegion("joined")
			return db.Create(&r).Error
		})
		if inner != nil {
			return inner
		}
		if err := s.Tx(identity.System(ctx, b), func(context.Context, *gorm.DB) error { return nil }); err == nil {
			t.Error("a nested transaction for another tenant must fail")
		}
		return boom // roll back the outer transaction: the joined insert must go with it
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	var n int64
	_ = s.Tx(identity.System(context.Background(), a), func(ctx context.Context, db *gorm.DB) error {
		return db.Model(&region{}).Count(&n).Error
	})
	if n != 0 {
		t.Errorf("the nested insert survived the outer rollback (%d rows)", n)
	}
}

// A transaction for figures plans each statement for its arguments; the others keep
// PostgreSQL's own choice, and the setting ends with the transaction.
func TestAnalyticalTransactionsPlanForTheirArguments(t *testing.T) {
	s := storetest.Open(t)
	if s.Dialect() != store.Postgres {
		t.Skip("a PostgreSQL planner setting")
	}
	mode := func(ctx context.Context) string {
		t.Helper()
		var m string
		if err := s.Tx(ctx, func(_ context.Context, db *gorm.DB) error { return db.Raw("SHOW plan_cache_mode").Scan(&m).Error }); err != nil {
			t.Fatal(err)
		}
		return m
	}
	ctx := identity.System(context.Background(), identity.NewID())
	for i, c := range []struct {
		ctx  context.Context
		want string
	}{{ctx, "auto"}, {store.Analytical(ctx), "force_custom_plan"}, {ctx, "auto"}} {
		if got := mode(c.ctx); got != c.want {
			t.Errorf("transaction %d: plan_cache_mode %s, want %s", i, got, c.want)
		}
	}
}

// Work that only reads does not queue behind a writer: while one transaction holds the embedded
// database's write lock, a read under Reading answers at once and sees what was committed. A
// write under Reading fails rather than wait; under Writing it begins a transaction of its own.
// (PostgreSQL needs none of this; there Reading changes nothing and the test only checks that.)
func TestReadingNeverWaitsForTheWriter(t *testing.T) {
	s := storetest.Open(t)
	a, _, ra, _ := seed(t, s)
	ctx := identity.System(context.Background(), a)
	held, release := make(chan struct{}), make(chan struct{})
	writer := make(chan error, 1)
	go func() {
		writer <- s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
			r := newRegion("uncommitted")
			if err := db.Create(&r).Error; err != nil {
				return err
			}
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	var names []string
	start := time.Now()
	err := s.Tx(store.Reading(ctx), func(ctx context.Context, db *gorm.DB) error {
		return db.Model(&region{}).Order("name").Pluck("name", &names).Error
	})
	waited := time.Since(start)
	close(release)
	if err := <-writer; err != nil {
		t.Fatal(err)
	}
	if err != nil || len(names) != 1 || names[0] != ra.Name {
		t.Fatalf("read beside the writer: %v, %v; want only the committed %q", err, names, ra.Name)
	}
	if s.Dialect() == store.SQLite && waited > time.Second {
		t.Errorf("the read waited %s for the writer", waited)
	}

	if s.Dialect() != store.SQLite {
		return
	}
	err = s.Tx(store.Reading(ctx), func(ctx context.Context, db *gorm.DB) error {
		r := newRegion("written while reading")
		return db.Create(&r).Error
	})
	if err == nil {
		t.Error("a write under Reading succeeded")
	}
	err = s.Tx(store.Reading(ctx), func(ctx context.Context, db *gorm.DB) error {
		return s.Tx(store.Writing(ctx), func(ctx context.Context, db *gorm.DB) error {
			r := newRegion("recorded")
			return db.Create(&r).Error
		})
	})
	if err != nil {
		t.Errorf("a write under Writing inside a read: %v", err)
	}
	var n int64
	_ = s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error { return db.Model(&region{}).Count(&n).Error })
	if n != 3 { // the seed's, the writer's and the recorded one
		t.Errorf("%d regions, want 3", n)
	}
}
