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

// Timeout is River's limit on one run of the job: the args' own (an export of a large tenant
// runs for long), else River's default of a minute.
func (w *worker[A]) Timeout(job *river.Job[A]) time.Duration {
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
