package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
)

// Published events reach subscribers only when the transaction commits.
func TestPublishDeliversOnCommitOnly(t *testing.T) {
	s := storetest.Open(t)
	a, _, _, _ := seed(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sub := s.Subscribe(ctx, "repflow_test", 8)
	time.Sleep(200 * time.Millisecond) // let a PostgreSQL listener LISTEN
	tctx := identity.System(context.Background(), a)
	rolledBack := errors.New("roll back")
	err := s.Tx(tctx, func(ctx context.Context, _ *gorm.DB) error {
		if err := s.Publish(ctx, "repflow_test", "lost"); err != nil {
			return err
		}
		return rolledBack
	})
	if !errors.Is(err, rolledBack) {
		t.Fatal(err)
	}
	err = s.Tx(tctx, func(ctx context.Context, _ *gorm.DB) error { return s.Publish(ctx, "repflow_test", "kept") })
	if err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-sub:
		if got != "kept" {
			t.Fatalf("first delivered payload %q, want kept (the rolled-back one must never arrive)", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no event delivered within 5 s of the commit")
	}
	cancel()
	for range sub { // closed once the subscriber's context ends
	}
}

func TestAfterCommitRunsOnlyAfterCommit(t *testing.T) {
	s := storetest.Open(t)
	a, _, _, _ := seed(t, s)
	tctx := identity.System(context.Background(), a)
	var ran []string
	_ = s.Tx(tctx, func(ctx context.Context, _ *gorm.DB) error {
		store.AfterCommit(ctx, func() { ran = append(ran, "rolled back") })
		return errors.New("fail")
	})
	err := s.Tx(tctx, func(ctx context.Context, _ *gorm.DB) error {
		// A nested transaction's hook waits for the outermost commit.
		return s.Tx(ctx, func(ctx context.Context, _ *gorm.DB) error {
			store.AfterCommit(ctx, func() { ran = append(ran, "committed") })
			if len(ran) != 0 {
				t.Error("a hook ran before the commit")
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ran) != 1 || ran[0] != "committed" {
		t.Fatalf("hooks ran: %v, want only the committed one", ran)
	}
}

// Native statements run inside the tenant transaction, under row-level security.
func TestNativeRunsInTheTenantTransaction(t *testing.T) {
	s := storetest.Open(t)
	a, _, ra, _ := seed(t, s)
	tctx := identity.System(context.Background(), a)
	err := s.Tx(tctx, func(ctx context.Context, _ *gorm.DB) error {
		return s.Native(ctx, func(*pgx.Conn) error { return nil })
	})
	if s.Dialect() != store.Postgres {
		if err == nil {
			t.Fatal("Native on the embedded database did not fail")
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	var seen, all int
	err = s.Tx(tctx, func(ctx context.Context, db *gorm.DB) error {
		if err := db.Exec("UPDATE regions SET name = 'renamed' WHERE id = ?", ra.ID).Error; err != nil {
			return err
		}
		return s.Native(ctx, func(c *pgx.Conn) error {
			// The uncommitted rename is visible: same transaction. Another tenant's rows are not.
			if err := c.QueryRow(ctx, "SELECT count(*) FROM regions WHERE name = 'renamed'").Scan(&seen); err != nil {
				return err
			}
			return c.QueryRow(ctx, "SELECT count(*) FROM regions").Scan(&all)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != 1 || all != 1 {
		t.Fatalf("native statement saw %d renamed and %d regions, want 1 and 1 (its own tenant's, in its transaction)", seen, all)
	}
	if err := s.Native(tctx, func(*pgx.Conn) error { return nil }); err == nil {
		t.Fatal("Native outside a transaction did not fail")
	}
}

// Outside drops the caller's transaction: a Tx with it begins its own, in the same tenant, and
// does not see what the caller has not committed.
func TestOutsideBeginsATransactionOfItsOwn(t *testing.T) {
	s := storetest.Open(t)
	if s.Dialect() != store.Postgres {
		t.Skip("the embedded database runs one transaction at a time")
	}
	a, _, ra, _ := seed(t, s)
	tctx := identity.System(context.Background(), a)
	var inside, outside, all int64
	err := s.Tx(tctx, func(ctx context.Context, db *gorm.DB) error {
		if err := db.Exec("UPDATE regions SET name = 'renamed' WHERE id = ?", ra.ID).Error; err != nil {
			return err
		}
		if err := s.Tx(ctx, func(_ context.Context, db *gorm.DB) error {
			return db.Table("regions").Where("name = 'renamed'").Count(&inside).Error
		}); err != nil {
			return err
		}
		return s.Tx(store.Outside(ctx), func(_ context.Context, db *gorm.DB) error {
			if err := db.Table("regions").Where("name = 'renamed'").Count(&outside).Error; err != nil {
				return err
			}
			return db.Table("regions").Count(&all).Error
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if inside != 1 || outside != 0 || all != 1 {
		t.Fatalf("renamed seen %d inside and %d outside, %d regions outside; want 1, 0 and 1 (its own tenant's)", inside, outside, all)
	}
}
