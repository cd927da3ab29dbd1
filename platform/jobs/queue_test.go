package jobs_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/storetest"
)

// addRegion is a job whose effect is one region row named Name in its tenant: the tests count
// rows to see how often the work took effect.
type addRegion struct {
	jobs.Tenant
	Name string `json:"name"`
}

func (addRegion) Kind() string { return "test_add_region" }

type regionRow struct {
	TenantID  uuid.UUID
	ID        uuid.UUID
	Name      string
	Path      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (regionRow) TableName() string { return "regions" }

// fixture is a queue (or two, as two replicas) over one database, with a handler that adds the
// region and counts its attempts; failFirst makes each job's first attempt fail after writing.
type fixture struct {
	store     *store.Store
	queues    []*jobs.Queue
	attempts  atomic.Int32
	failFirst bool
	seen      map[string]bool
}

func newFixture(t *testing.T, replicas int, failFirst bool) *fixture {
	t.Helper()
	f := &fixture{store: storetest.Open(t), failFirst: failFirst}
	for range replicas {
		q, err := jobs.New(f.store, jobs.Options{PollInterval: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		jobs.Handle(q, f.work)
		f.queues = append(f.queues, q)
	}
	return f
}

func (f *fixture) work(ctx context.Context, a addRegion) error {
	n := f.attempts.Add(1)
	id := identity.NewID()
	err := f.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		return db.Create(&regionRow{ID: id, Name: a.Name, Path: "/" + id.String() + "/"}).Error
	})
	if err != nil {
		return err
	}
	if f.failFirst && n == 1 {
		return errors.New("the first attempt fails after writing")
	}
	return nil
}

func (f *fixture) start(t *testing.T) {
	t.Helper()
	for _, q := range f.queues {
		if err := q.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = q.Stop(ctx)
		})
	}
}

// enqueue queues a job for tenant in a transaction that commits unless rollback.
func (f *fixture) enqueue(t *testing.T, tenant uuid.UUID, name string, at time.Time, rollback bool) {
	t.Helper()
	ctx := identity.System(context.Background(), tenant)
	errRollback := errors.New("roll back")
	err := f.store.Tx(ctx, func(ctx context.Context, _ *gorm.DB) error {
		if err := f.queues[0].Enqueue(ctx, addRegion{Tenant: jobs.Tenant{TenantID: tenant}, Name: name}, at); err != nil {
			return err
		}
		if rollback {
			return errRollback
		}
		return nil
	})
	if err != nil && !(rollback && errors.Is(err, errRollback)) {
		t.Fatal(err)
	}
}

// regions counts tenant's regions named name.
func (f *fixture) regions(t *testing.T, tenant uuid.UUID, name string) int {
	t.Helper()
	var n int64
	err := f.store.Tx(identity.System(context.Background(), tenant), func(_ context.Context, db *gorm.DB) error {
		return db.Model(&regionRow{}).Where("name = ?", name).Count(&n).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestJobRunsOnceAcrossReplicasAndOnlyIfItsTransactionCommits(t *testing.T) {
	f := newFixture(t, 2, false)
	a, b := identity.NewID(), identity.NewID()
	const n = 20
	for i := range n {
		tenant := a
		if i%2 == 1 {
			tenant = b
		}
		f.enqueue(t, tenant, "committed", time.Time{}, false)
	}
	f.enqueue(t, a, "rolled back", time.Time{}, true)
	f.start(t)
	waitFor(t, 30*time.Second, "every committed job worked", func() bool {
		return f.regions(t, a, "committed")+f.regions(t, b, "committed") == n
	})
	time.Sleep(500 * time.Millisecond) // room for a duplicate to show
	if got := f.regions(t, a, "committed"); got != n/2 {
		t.Errorf("tenant a has %d regions, want %d: each job once, in its own tenant", got, n/2)
	}
	if got := f.regions(t, b, "committed"); got != n/2 {
		t.Errorf("tenant b has %d regions, want %d", got, n/2)
	}
	if got := f.regions(t, a, "rolled back"); got != 0 {
		t.Errorf("a job queued in a rolled-back transaction ran %d times", got)
	}
	if got := f.attempts.Load(); got != n {
		t.Errorf("%d attempts for %d jobs", got, n)
	}
}

func TestFailedAttemptLeavesNothingAndIsRetried(t *testing.T) {
	f := newFixture(t, 1, true)
	a := identity.NewID()
	f.enqueue(t, a, "retried", time.Time{}, false)
	f.start(t)
	waitFor(t, 60*time.Second, "the retry to succeed", func() bool { return f.attempts.Load() >= 2 })
	waitFor(t, 5*time.Second, "the retry's region", func() bool { return f.regions(t, a, "retried") == 1 })
	time.Sleep(300 * time.Millisecond)
	if got := f.regions(t, a, "retried"); got != 1 {
		t.Errorf("%d regions after a failed attempt and a retry, want 1: the failed attempt's write must roll back", got)
	}
}

func TestScheduledJobWaitsForItsTime(t *testing.T) {
	f := newFixture(t, 1, false)
	a := identity.NewID()
	at := time.Now().Add(2 * time.Second)
	f.enqueue(t, a, "later", at, false)
	f.start(t)
	waitFor(t, 30*time.Second, "the scheduled job", func() bool { return f.regions(t, a, "later") == 1 })
	if time.Now().Before(at) {
		t.Errorf("the job ran before its time %v", at)
	}
}

func TestJobForAnotherTenantIsRefused(t *testing.T) {
	f := newFixture(t, 1, false)
	a, b := identity.NewID(), identity.NewID()
	err := f.store.Tx(identity.System(context.Background(), a), func(ctx context.Context, _ *gorm.DB) error {
		return f.queues[0].Enqueue(ctx, addRegion{Tenant: jobs.Tenant{TenantID: b}}, time.Time{})
	})
	if err == nil {
		t.Fatal("tenant a queued a job for tenant b")
	}
}

// On PostgreSQL, row-level security keeps a tenant transaction to its own tenant's jobs even
// through raw SQL: it sees none of another tenant's and cannot insert one.
func TestTenantTransactionSeesOnlyItsJobs(t *testing.T) {
	f := newFixture(t, 1, false)
	if f.store.Dialect() != store.Postgres {
		t.Skip("row-level security is PostgreSQL's")
	}
	a, b := identity.NewID(), identity.NewID()
	f.enqueue(t, a, "a's", time.Now().Add(time.Hour), false)
	f.enqueue(t, b, "b's", time.Now().Add(time.Hour), false)
	ctx := identity.System(context.Background(), a)
	var names []string
	err := f.store.Tx(ctx, func(_ context.Context, db *gorm.DB) error {
		return db.Raw("SELECT args->>'name' FROM river_job").Scan(&names).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 1 || names[0] != "a's" {
		t.Errorf("tenant a sees jobs %q, want only its own", names)
	}
	err = f.store.Tx(ctx, func(_ context.Context, db *gorm.DB) error {
		return db.Exec(`INSERT INTO river_job (args, kind, max_attempts, queue, state, scheduled_at)
			VALUES (?::jsonb, 'test_add_region', 1, 'default', 'available', now())`, `{"tenant_id":"`+b.String()+`"}`).Error
	})
	if err == nil {
		t.Error("tenant a inserted a job naming tenant b")
	}
}
