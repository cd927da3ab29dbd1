// Package jobs is the durable job queue: River, over the product's own database (PostgreSQL, or
// the embedded SQLite), for timers and background work that must survive a restart and run once
// even with several replicas.
//
// A job belongs to a tenant. It is queued inside the tenant transaction that asks for it, so it
// exists only if that change commits, and it is worked inside a tenant transaction that also marks
// it completed, so its effect and its completion commit together: a replica that dies halfway
// leaves the job to be worked again from scratch, never done twice.
//
// River's database/sql driver has no LISTEN, so clients poll (every PollInterval); a job
// scheduled for later is made available by the leader's scheduler within about five seconds of
// its time.
package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// Tenant is embedded in every job's arguments: the tenant the job works for. Its JSON name is
// what row-level security on river_job checks (migrations/0010_jobs.go).
type Tenant struct {
	TenantID uuid.UUID `json:"tenant_id"`
}

func (t Tenant) tenant() uuid.UUID { return t.TenantID }

// Args are a job's arguments: River's JobArgs (a Kind) and a Tenant.
type Args interface {
	river.JobArgs
	tenant() uuid.UUID
}

// Options tune a Queue.
type Options struct {
	// Log receives River's warnings and errors.
	Log *slog.Logger
	// PollInterval is how often a client looks for available jobs (default 1 s).
	PollInterval time.Duration
	// Workers is how many jobs one process works at a time (default 4).
	Workers int
	// NoSweeps leaves the periodic sweeps (Every) out of this queue: tests only, which call a
	// sweep's task themselves when they test it, rather than meet it at a moment of River's.
	NoSweeps bool
}

// Queue queues and works jobs.
type Queue struct {
	store   *store.Store
	workers *river.Workers
	sweeps  *sweeper
	client  *river.Client[*sql.Tx]
	// noSweeps: Every registers tasks but schedules none (Options.NoSweeps).
	noSweeps bool
}

// New returns a queue over s. Handlers are added with Handle; Start begins working.
func New(s *store.Store, o Options) (*Queue, error) {
	db, err := s.Owner(context.Background()).DB()
	if err != nil {
		return nil, err
	}
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	q := &Queue{store: s, workers: river.NewWorkers(), sweeps: &sweeper{tasks: map[string]func(context.Context) error{}}, noSweeps: o.NoSweeps}
	river.AddWorker(q.workers, q.sweeps)
	poll := cmp.Or(o.PollInterval, time.Second)
	cfg := &river.Config{
		// River waits at least FetchCooldown (default 100 ms) between fetches, and refuses a
		// poll interval shorter than that.
		FetchCooldown:     min(poll, 100*time.Millisecond),
		FetchPollInterval: poll,
		JobTimeout:        time.Minute,
		// River logs each job's progress at info; only its trouble belongs in ours.
		Logger:   slog.New(levelFloor{log.Handler(), slog.LevelWarn}),
		PollOnly: true,
		Queues:   map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cmp.Or(o.Workers, 4)}},
		Workers:  q.workers,
	}
	if s.Dialect() == store.Postgres {
		q.client, err = river.NewClient(riverdatabasesql.New(db), cfg)
	} else {
		q.client, err = river.NewClient(riversqlite.New(db), cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return q, nil
}

// Start begins working jobs until Stop.
func (q *Queue) Start(ctx context.Context) error { return q.client.Start(ctx) }

// Stop lets the jobs in hand finish (until ctx ends) and stops working.
func (q *Queue) Stop(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return q.client.StopAndCancel(context.WithoutCancel(ctx))
	}
	return err
}

// Enqueue queues args to be worked at (now when at is zero or past), inside the tenant
// transaction of ctx: the job exists only if that transaction commits.
func (q *Queue) Enqueue(ctx context.Context, args Args, at time.Time) error {
	return q.insert(ctx, args, &river.InsertOpts{ScheduledAt: at})
}

// EnqueueOnce is Enqueue, except that it does nothing while a job of the same kind and arguments
// is queued, running, or completed less than a day ago (River keeps completed jobs that long):
// for a sweep that asks for the same tenant's job on every run.
func (q *Queue) EnqueueOnce(ctx context.Context, args Args, at time.Time) error {
	return q.insert(ctx, args, &river.InsertOpts{ScheduledAt: at, UniqueOpts: river.UniqueOpts{ByArgs: true}})
}

func (q *Queue) insert(ctx context.Context, args Args, opts *river.InsertOpts) error {
	if t := identity.TenantID(ctx); args.tenant() != t {
		return fmt.Errorf("jobs: a job for tenant %s queued by tenant %s", args.tenant(), t)
	}
	tx, err := store.SQLTx(ctx)
	if err != nil {
		return err
	}
	_, err = q.client.InsertTx(ctx, tx, args, opts)
	if err != nil {
		return fmt.Errorf("queue %s: %w", args.Kind(), err)
	}
	return nil
}
