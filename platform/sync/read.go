package sync

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/store"
)

// MaxPage is the largest page of runs or records one request returns.
const MaxPage = 500

// Runs returns connector id's newest sync runs, at most limit of them.
func (s *Service) Runs(ctx context.Context, id uuid.UUID, limit int) ([]Run, error) {
	var rows []runRow
	err := s.store.Tx(store.Reading(ctx), func(ctx context.Context, db *gorm.DB) error {
		if _, err := s.load(ctx, db, id, access.Read); err != nil {
			return err
		}
		return db.Where("connector_id = ?", id).Order("started_at DESC, id DESC").Limit(pageLimit(limit)).Find(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("list sync runs: %w", err)
	}
	out := make([]Run, len(rows))
	for i, r := range rows {
		out[i] = toRun(r)
	}
	return out, nil
}

// Records returns one page of the records connector id pulled, of entity ("" for all, by entity),
// by external id after the cursor of the previous page ("" from the first).
func (s *Service) Records(ctx context.Context, id uuid.UUID, entity, cursor string, limit int) (RecordPage, error) {
	limit = pageLimit(limit)
	afterEntity, afterID, _ := strings.Cut(cursor, ":")
	var rows []recordRow
	err := s.store.Tx(store.Reading(ctx), func(ctx context.Context, db *gorm.DB) error {
		if _, err := s.load(ctx, db, id, access.Read); err != nil {
			return err
		}
		q := db.Where("connector_id = ?", id)
		if entity != "" {
			q = q.Where("entity = ?", entity)
		}
		if cursor != "" {
			q = q.Where("(entity > ? OR (entity = ? AND external_id > ?))", afterEntity, afterEntity, afterID)
		}
		return q.Order("entity, external_id").Limit(limit + 1).Find(&rows).Error
	})
	if err != nil {
		return RecordPage{}, fmt.Errorf("list pulled records: %w", err)
	}
	page := RecordPage{Records: []Record{}}
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1]
		page.Next = last.Entity + ":" + last.ExternalID // entity names hold no colon; ids may
	}
	for _, r := range rows {
		page.Records = append(page.Records, toRecord(r))
	}
	return page, nil
}

func pageLimit(limit int) int {
	if limit <= 0 || limit > MaxPage {
		return 100
	}
	return limit
}
