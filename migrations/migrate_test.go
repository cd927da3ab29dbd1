package migrations_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/repflow/repflow/migrations"
	"github.com/repflow/repflow/platform/storetest"
)

func TestUpIsIdempotentAndStatusListsAll(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	again, err := migrations.Up(ctx, s)
	if err != nil {
		t.Fatalf("second up: %v", err)
	}
	if len(again) != 0 {
		t.Fatalf("second up applied %v, want nothing", again)
	}
	st, err := migrations.List(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != len(migrations.All) {
		t.Fatalf("status has %d rows, want %d", len(st), len(migrations.All))
	}
	for _, m := range st {
		if m.AppliedAt == nil {
			t.Errorf("migration %d %s pending after up", m.Version, m.Name)
		}
	}
	if err := migrations.Check(ctx, s); err != nil {
		t.Fatalf("check: %v", err)
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	future := migrations.Applied{Version: migrations.Latest() + 1, Name: "from the future", AppliedAt: time.Now().UTC()}
	if err := s.Owner(ctx).Create(&future).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := migrations.Up(ctx, s); !errors.Is(err, migrations.ErrSchemaNewer) {
		t.Fatalf("up on newer schema: err = %v, want ErrSchemaNewer", err)
	}
	if err := migrations.Check(ctx, s); !errors.Is(err, migrations.ErrSchemaNewer) {
		t.Fatalf("check on newer schema: err = %v, want ErrSchemaNewer", err)
	}
}
