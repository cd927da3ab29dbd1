package jobs_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/jobs"
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
