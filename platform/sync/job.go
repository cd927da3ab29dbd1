package sync

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/plugins/sdk"
)

// onSyncRun pulls the run's pages one after another. Each page is pulled with no transaction
// open (the connector may take seconds, and the embedded database has one writer) and then
// committed with the cursor after it in a short transaction of its own: a crash anywhere leaves
// the cursor where the stored records end, and the run's next job goes on from there.
func (s *Service) onSyncRun(ctx context.Context, job syncRun) error {
	handOver := time.Now().Add(s.opts.RunSlice)
	attempt := job.Attempt
	for {
		at, err := s.where(ctx, job.RunID)
		if err != nil || at == nil {
			return err
		}
		records, pullErr := s.pull(ctx, at.connector, at.entity, at.cursor)
		goOn := false
		err = s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
			var err error
			if goOn, err = s.commit(ctx, db, job, at, records, pullErr, attempt); err != nil || !goOn || time.Now().Before(handOver) {
				return err
			}
			goOn = false
			return s.queue.Enqueue(ctx, syncRun{Tenant: job.Tenant, RunID: job.RunID}, time.Time{})
		})
		if err != nil || !goOn {
			return err
		}
		attempt = 0
	}
}

// where reads where run id stands; nil when it has nothing left to do. A run whose connector was
// switched off meanwhile ends here.
func (s *Service) where(ctx context.Context, id uuid.UUID) (*page, error) {
	var at *page
	err := s.store.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		var run runRow
		if err := db.Where("id = ?", id).Take(&run).Error; err != nil {
			if store.IsNotFound(err) {
				return nil // its connector was deleted
			}
			return err
		}
		if run.Status == string(RunDone) || run.Status == string(RunFailed) {
			return nil
		}
		var row connectorRow
		if err := db.Where("id = ?", run.ConnectorID).Take(&row).Error; err != nil {
			return err
		}
		if !row.Enabled {
			return s.finish(db, &run, "the connector was switched off during the sync")
		}
		pending := run.pending()
		if len(pending) == 0 {
			return s.finish(db, &run, "")
		}
		var cur cursorRow
		if err := db.Where("connector_id = ? AND entity = ?", row.ID, pending[0]).Find(&cur).Error; err != nil {
			return err
		}
		at = &page{run: run, connector: row, entity: pending[0], cursor: cur.Cursor}
		return nil
	})
	return at, err
}

// commit keeps a pulled page and the cursor after it, or handles the pull's failure, and says
// whether the run goes on in this job. When the run moved on meanwhile (another job of it ran
// after this one's process was thought dead) the page is dropped and the run left as it is.
func (s *Service) commit(ctx context.Context, db *gorm.DB, job syncRun, at *page, records []sdk.Record, pullErr error, attempt int) (bool, error) {
	var run runRow
	if err := db.Where("id = ?", at.run.ID).Take(&run).Error; err != nil {
		return false, err
	}
	var cur cursorRow
	if err := db.Where("connector_id = ? AND entity = ?", at.connector.ID, at.entity).Find(&cur).Error; err != nil {
		return false, err
	}
	pending := run.pending()
	if run.Status == string(RunDone) || run.Status == string(RunFailed) || len(pending) == 0 || pending[0] != at.entity || cur.Cursor != at.cursor {
		return false, nil
	}
	if pullErr != nil {
		why := fmt.Sprintf("%s: %v", at.entity, pullErr)
		if attempt+1 >= maxAttempts {
			return false, s.finish(db, &run, fmt.Sprintf("%s (after %d attempts)", why, maxAttempts))
		}
		run.Status, run.Error = string(RunRunning), why
		if err := db.Save(&run).Error; err != nil {
			return false, err
		}
		wait := s.opts.RetryAfter << attempt
		return false, s.queue.Enqueue(ctx, syncRun{Tenant: job.Tenant, RunID: run.ID, Attempt: attempt + 1}, s.now().Add(wait))
	}
	if err := s.keep(db, at.connector.ID, at.entity, records); err != nil {
		return false, err
	}
	run.Pulled += len(records)
	if len(records) < s.opts.PageSize {
		pending = pending[1:]
	}
	next, _ := json.Marshal(pending)
	run.Pending, run.Status, run.Error = string(next), string(RunRunning), ""
	if len(pending) == 0 {
		return false, s.finish(db, &run, "")
	}
	return true, db.Save(&run).Error
}
