package jobs

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/riverqueue/river"
)

// sweep is the job of a periodic task of the platform's own, across tenants (Every).
type sweep struct {
	Name string `json:"name"`
}

func (sweep) Kind() string { return "platform_sweep" }

type sweeper struct {
	river.WorkerDefaults[sweep]
	tasks map[string]func(ctx context.Context) error
}

func (s *sweeper) Work(ctx context.Context, job *river.Job[sweep]) error {
	task, ok := s.tasks[job.Args.Name]
	if !ok {
		return fmt.Errorf("jobs: no sweep named %q in this binary", job.Args.Name)
	}
	return task(ctx)
}

// Every runs task every interval, and once when the queue starts, on one replica at a time
// (River's leader), outside any tenant: the platform's own sweeps across tenants, which queue
// a job per tenant (Enqueue, EnqueueOnce) for the tenant's work. A task must be safe to run
// again: a replica that dies in it leaves it to the next run. Every must be called before Start.
func Every(q *Queue, name string, interval time.Duration, task func(ctx context.Context) error) {
	q.sweeps.tasks[name] = task
	if q.noSweeps {
		return
	}
	q.client.PeriodicJobs().Add(river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return sweep{Name: name}, nil },
		&river.PeriodicJobOpts{RunOnStart: true}))
}

// Sweeps names the sweeps given to q (Every), sorted: those it runs, unless Options.NoSweeps.
func (q *Queue) Sweeps() []string {
	return slices.Sorted(maps.Keys(q.sweeps.tasks))
}
