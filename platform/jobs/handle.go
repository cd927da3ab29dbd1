package jobs

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
)

// Handle makes work the handler of jobs of args' type. work runs inside a transaction of the
// job's tenant, as the platform (no user); the job is marked completed in the same transaction.
// An error rolls both back and River retries the job later with backoff. Handle must be called
// before the first job of that type is queued.
func Handle[A Args](q *Queue, work func(ctx context.Context, args A) error) {
	river.AddWorker(q.workers, &worker[A]{q: q, work: work})
}

type worker[A Args] struct {
	river.WorkerDefaults[A]
	q    *Queue
	work func(ctx context.Context, args A) error
}

func (w *worker[A]) Work(ctx context.Context, job *river.Job[A]) error {
	ctx = identity.System(ctx, job.Args.tenant())
	return w.q.store.Tx(ctx, func(ctx context.Context, _ *gorm.DB) error {
		if err := w.work(ctx, job.Args); err != nil {
			return err
		}
		tx, err := store.SQLTx(ctx)
		if err != nil {
			return err
		}
		return completeTx(ctx, w.q.store.Dialect(), tx, job)
	})
}

// HandleOutside makes work the handler of jobs of args' type, run as the platform in the job's
// tenant but in no transaction: for work that waits on the network (a connector's process) and
// commits as it goes, in transactions of its own, each step safe to repeat. River marks the job
// completed when work returns nil; a job cut short (an error, a crash) runs again.
func HandleOutside[A Args](q *Queue, work func(ctx context.Context, args A) error) {
	river.AddWorker(q.workers, &outsideWorker[A]{work: work})
}

type outsideWorker[A Args] struct {
	river.WorkerDefaults[A]
	work func(ctx context.Context, args A) error
}

func (w *outsideWorker[A]) Work(ctx context.Context, job *river.Job[A]) error {
	return w.work(identity.System(ctx, job.Args.tenant()), job.Args)
}

func (w *outsideWorker[A]) Timeout(job *river.Job[A]) time.Duration { return timeoutOf(job) }

// Timeout is River's limit on one run of the job: the args' own (an export of a large tenant
// runs for long), else River's default of a minute.
func (w *worker[A]) Timeout(job *river.Job[A]) time.Duration { return timeoutOf(job) }

func timeoutOf[A Args](job *river.Job[A]) time.Duration {
	if t, ok := any(job.Args).(interface{ Timeout() time.Duration }); ok {
		return t.Timeout()
	}
	return 0
}

// completeTx marks job completed in tx; River's generic helper needs the driver's type.
func completeTx[A Args](ctx context.Context, d store.Dialect, tx *sql.Tx, job *river.Job[A]) error {
	var err error
	if d == store.Postgres {
		_, err = river.JobCompleteTx[*riverdatabasesql.Driver](ctx, tx, job)
	} else {
		_, err = river.JobCompleteTx[*riversqlite.Driver](ctx, tx, job)
	}
	return err
}

// levelFloor drops records below a level: River's logger has no level of its own.
type levelFloor struct {
	slog.Handler
	min slog.Level
}

func (h levelFloor) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h levelFloor) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFloor{h.Handler.WithAttrs(a), h.min}
}

func (h levelFloor) WithGroup(n string) slog.Handler {
	return levelFloor{h.Handler.WithGroup(n), h.min}
}
