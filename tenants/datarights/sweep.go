package datarights

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/repflow/repflow/platform/jobs"
)

// How often the sweeps run: a purge or an expiry may come up to this late.
const sweepEvery = time.Hour

// abandonAfter is how long an export may stay queued before the sweep gives it up: its job's
// few attempts are long over by then.
const abandonAfter = 24 * time.Hour

// Schedule has the service's queue purge the tenants past their grace period and the sign-ups
// abandoned unverified, and delete the export files past their time.
func (s *Service) Schedule() {
	jobs.Every(s.queue, "tenant_purge", sweepEvery, s.PurgeDue)
	jobs.Every(s.queue, "tenant_export_expiry", sweepEvery, s.ExpireExports)
	jobs.Every(s.queue, "abandoned_signup_purge", sweepEvery, s.PurgeAbandoned)
}

// ExpireExports deletes the files of the exports past their download time, and gives up the
// exports queued for longer than abandonAfter, across tenants.
func (s *Service) ExpireExports(ctx context.Context) error {
	now := s.now()
	db := s.store.Owner(ctx)
	var rows []exportRow
	err := db.Where("(status = ? AND expires_at <= ?) OR (status = ? AND requested_at <= ?)",
		ExportReady, now, ExportQueued, now.Add(-abandonAfter)).Find(&rows).Error
	if err != nil {
		return fmt.Errorf("list exports to expire: %w", err)
	}
	var errs []error
	for _, r := range rows {
		to := ExportExpired
		if r.Status == ExportQueued {
			to = ExportFailed
		}
		file := s.exportFile(r.TenantID, r.ID)
		for _, f := range []string{file, file + ".part"} {
			if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, fmt.Errorf("delete export %s: %w", r.ID, err))
			}
		}
		// The status in the WHERE keeps a job that finishes meanwhile from being overwritten.
		err := db.Model(&exportRow{}).Where("tenant_id = ? AND id = ? AND status = ?", r.TenantID, r.ID, r.Status).
			Update("status", to).Error
		if err != nil {
			errs = append(errs, fmt.Errorf("expire export %s: %w", r.ID, err))
		}
	}
	return errors.Join(errs...)
}
