package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/repflow/repflow/platform/access"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/web"
)

// Record appends e to the trail of ctx's tenant. It joins the transaction ctx carries, if any, so
// that a change and its record commit together or not at all.
func (l *Log) Record(ctx context.Context, e Entry) error {
	// A record is written even when the request only reads (an export downloaded).
	return l.s.Tx(store.Writing(ctx), func(ctx context.Context, db *gorm.DB) error {
		_, err := l.appendEntry(ctx, db, e)
		return err
	})
}

// appendEntry writes the next record of the chain inside the transaction of db. The head row is
// locked first, so a concurrent append of the same tenant waits for this transaction and then
// builds on the record written here.
func (l *Log) appendEntry(ctx context.Context, db *gorm.DB, e Entry) (Record, error) {
	if e.Outcome == "" {
		e.Outcome = OutcomeOK
	}
	if e.Outcome != OutcomeOK && e.Outcome != OutcomeRejected {
		return Record{}, fmt.Errorf("audit record: outcome %q is neither %q nor %q", e.Outcome, OutcomeOK, OutcomeRejected)
	}
	if e.Action == "" {
		return Record{}, errors.New("audit record: empty action")
	}
	h, err := l.lockHead(db)
	if err != nil {
		return Record{}, fmt.Errorf("audit record: %w", err)
	}
	p, _ := identity.From(ctx)
	req := web.RequestOf(ctx)
	r := Record{
		TenantID:  p.TenantID,
		Seq:       h.Seq + 1,
		ID:        identity.NewID(),
		At:        time.Now().UTC().Truncate(time.Microsecond),
		ActorID:   presentID(p.UserID),
		SessionID: presentID(p.SessionID),
		Action:    e.Action,
		Resource:  e.Resource,
		Outcome:   e.Outcome,
		Status:    e.Status,
		IP:        req.IP,
		UserAgent: req.UserAgent,
		RequestID: req.ID,
		Digest:    e.Digest,
		PrevHash:  h.Hash,
	}
	r.Hash = chainHash(&r)
	if err := db.Create(&r).Error; err != nil {
		return Record{}, fmt.Errorf("audit record: insert: %w", err)
	}
	moved := db.Model(&head{}).Where("seq = ?", h.Seq).Updates(map[string]any{"seq": r.Seq, "hash": r.Hash})
	if moved.Error != nil {
		return Record{}, fmt.Errorf("audit record: move head: %w", moved.Error)
	}
	if moved.RowsAffected != 1 {
		// Cannot happen while the head is locked; if it does, refusing keeps the chain whole.
		return Record{}, fmt.Errorf("audit record: head moved from seq %d during the append", h.Seq)
	}
	return r, nil
}

// lockHead reads the tenant's chain head for update, creating the empty head on first use.
func (l *Log) lockHead(db *gorm.DB) (head, error) {
	var h head
	err := l.forUpdate(db).Take(&h).Error
	if err == nil {
		return h, nil
	}
	if !store.IsNotFound(err) {
		return h, fmt.Errorf("lock head: %w", err)
	}
	// Two first appends may race here: DO NOTHING lets the loser wait for the winner's row.
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&head{}).Error; err != nil {
		return h, fmt.Errorf("create head: %w", err)
	}
	if err := l.forUpdate(db).Take(&h).Error; err != nil {
		return h, fmt.Errorf("lock head: %w", err)
	}
	return h, nil
}

// forUpdate locks the rows it reads on PostgreSQL. SQLite has no row locks and needs none: its
// transactions take the write lock at BEGIN, so writers already run one at a time.
func (l *Log) forUpdate(db *gorm.DB) *gorm.DB {
	if l.s.Dialect() == store.Postgres {
		return db.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	return db
}

func presentID(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

// authorize lets only those whom the tenant's policies allow to list audit records read the trail
// or verify it (tenant admins, by the built-in policies).
func (l *Log) authorize(ctx context.Context) error {
	return l.w.Check(ctx, access.List, access.Resource{Kind: access.KindAudit})
}
