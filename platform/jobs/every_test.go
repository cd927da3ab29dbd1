package jobs_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
	"github.com/repflow/repflow/platform/storetest"
)

// A sweep runs when the queue starts and then at its interval, with two replicas running: every
// run asks for the same tenant job, which is queued, and so done, once.
func TestSweepQueuesTheTenantJobOnce(t *testing.T) {
	f := newFixture(t, 2, false)
	a := identity.NewID()
	var runs atomic.Int32
	for _, q := range f.queues {
		jobs.Every(q, "test", 300*time.Millisecond, func(ctx context.Context) error {
			runs.Add(1)
			return f.store.Tx(identity.System(ctx, a), func(ctx context.Context, _ *gorm.DB) error {
				return q.EnqueueOnce(ctx, addRegion{Tenant: jobs.Tenant{TenantID: a}, Name: "swept"}, time.Time{})
			})
		})
	}
	f.start(t)
	waitFor(t, 30*time.Second, "three sweeps", func() bool { return runs.Load() >= 3 })
	waitFor(t, 10*time.Second, "the swept job", func() bool { return f.regions(t, a, "swept") == 1 })
	time.Sleep(time.Second) // room for more sweeps, and a duplicate to show
	if got := f.regions(t, a, "swept"); got != 1 {
		t.Errorf("%d regions from %d sweeps, want 1: EnqueueOnce must not queue the same job again", got, runs.Load())
	}
}

// A queue told to run no sweeps schedules none, while one beside it, started at the same time
// over a database of its own, sweeps again and again: the control that shows there was time.
func TestNoSweepsLeavesEverySweepOut(t *testing.T) {
	var quiet, control atomic.Int32
	var queues []*jobs.Queue
	for _, c := range []struct {
		runs     *atomic.Int32
		noSweeps bool
	}{{&quiet, true}, {&control, false}} {
		q, err := jobs.New(storetest.Open(t), jobs.Options{PollInterval: 100 * time.Millisecond, NoSweeps: c.noSweeps})
		if err != nil {
			t.Fatal(err)
		}
		jobs.Every(q, "test", 100*time.Millisecond, func(context.Context) error {
			c.runs.Add(1)
			return nil
		})
		queues = append(queues, q)
	}
	(&fixture{queues: queues}).start(t)
	// Thirty sweeps, three seconds or more: a queue's first sweep waits for it to be elected
	// leader, which has taken up to two seconds here with one sweeping beside it.
	waitFor(t, 60*time.Second, "30 sweeps of the control queue", func() bool { return control.Load() >= 30 })
	if n := quiet.Load(); n != 0 {
		t.Errorf("the queue without sweeps swept %d times, want none", n)
	}
}
