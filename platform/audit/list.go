package audit

import (
	"context"
	"fmt"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/fault"
)

// invalidFilter names the filter (and query parameter) that is wrong.
func invalidFilter(name string, value any, msg string) error {
	return fault.New(fault.Invalid, "invalid_filter", msg, fault.Detail{Location: "query." + name, Message: msg, Value: value})
}

// MaxLimit is the largest page List returns.
const MaxLimit = 200

// List returns one page of ctx's tenant's records matching f, newest first.
func (l *Log) List(ctx context.Context, f Filter) (Page, error) {
	if err := l.authorize(ctx); err != nil {
		return Page{}, err
	}
	if f.Limit < 1 || f.Limit > MaxLimit {
		return Page{}, invalidFilter("limit", f.Limit, fmt.Sprintf("limit must be between 1 and %d, not %d", MaxLimit, f.Limit))
	}
	if f.Outcome != "" && f.Outcome != OutcomeOK && f.Outcome != OutcomeRejected {
		return Page{}, invalidFilter("outcome", f.Outcome, fmt.Sprintf("outcome must be %q or %q, not %q", OutcomeOK, OutcomeRejected, f.Outcome))
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return Page{}, invalidFilter("to", f.To, "to must be later than from")
	}
	var rows []Record
	err := l.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
		q := db.Model(&Record{})
		if f.ActorID != nil {
			q = q.Where("actor_id = ?", *f.ActorID)
		}
		if f.Action != "" {
			q = q.Where("action = ?", f.Action)
		}
		if f.ResourcePrefix != "" {
			// substr compares exactly on both databases, where LIKE would need escaping and
			// ignores case for ASCII on SQLite only.
			q = q.Where("substr(resource, 1, ?) = ?", utf8.RuneCountInString(f.ResourcePrefix), f.ResourcePrefix)
		}
		if f.Outcome != "" {
			q = q.Where("outcome = ?", f.Outcome)
		}
		if !f.From.IsZero() {
			q = q.Where("at >= ?", f.From.UTC())
		}
		if !f.To.IsZero() {
			q = q.Where("at < ?", f.To.UTC())
		}
		if f.Before > 0 {
			q = q.Where("seq < ?", f.Before)
		}
		// One row more than the page tells whether another page follows.
		return q.Order("seq DESC").Limit(f.Limit + 1).Find(&rows).Error
	})
	if err != nil {
		return Page{}, fmt.Errorf("list audit records: %w", err)
	}
	page := Page{Items: rows}
	if len(rows) > f.Limit {
		page.Items = rows[:f.Limit]
		page.Next = fmt.Sprint(page.Items[f.Limit-1].Seq)
	}
	return page, nil
}
