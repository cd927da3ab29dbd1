package audit

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/store"
)

// verifyBatch is how many records Verify reads at a time: the chain never sits in memory whole.
const verifyBatch = 500

// Verify walks ctx's tenant's chain in seq order, recomputing every hash, and reports the first
// record that was changed, removed or added behind the log's back. It does not check access: jobs
// run it as identity.System; the HTTP operation checks the caller first.
func (l *Log) Verify(ctx context.Context) (Report, error) {
	v := chainWalk{}
	// First walk to the end as it is now, then read the head. A head commits together with the
	// records up to it, so the head read after the walk covers at least every record walked; the
	// records appended meanwhile are walked up to it before the two are compared.
	if err := l.walk(ctx, &v, 0); err != nil {
		return Report{}, err
	}
	if v.bad() {
		return v.report, nil
	}
	h, found, err := l.readHead(ctx)
	if err != nil {
		return Report{}, err
	}
	if h.Seq > v.lastSeq {
		if err := l.walk(ctx, &v, h.Seq); err != nil {
			return Report{}, err
		}
		if v.bad() {
			return v.report, nil
		}
	}
	v.checkHead(h, found)
	return v.report, nil
}

// walk continues v from its last record, up to seq upTo (0: to the end), batch by batch, each in
// its own short transaction so that a long walk never holds SQLite's write lock.
func (l *Log) walk(ctx context.Context, v *chainWalk, upTo int64) error {
	for {
		var rows []Record
		err := l.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error {
			q := db.Where("seq > ?", v.lastSeq)
			if upTo > 0 {
				q = q.Where("seq <= ?", upTo)
			}
			return q.Order("seq").Limit(verifyBatch).Find(&rows).Error
		})
		if err != nil {
			return fmt.Errorf("verify audit chain: %w", err)
		}
		for i := range rows {
			if !v.next(&rows[i]) {
				return nil
			}
		}
		if len(rows) < verifyBatch {
			return nil
		}
	}
}

func (l *Log) readHead(ctx context.Context) (head, bool, error) {
	var h head
	err := l.s.Tx(ctx, func(ctx context.Context, db *gorm.DB) error { return db.Take(&h).Error })
	if store.IsNotFound(err) {
		return head{}, false, nil
	}
	if err != nil {
		return head{}, false, fmt.Errorf("verify audit chain: read head: %w", err)
	}
	return h, true, nil
}

// chainWalk is the state of a walk: the last good record and the report so far.
type chainWalk struct {
	lastSeq  int64
	lastHash string
	report   Report
}

func (v *chainWalk) bad() bool { return v.report.Problem != "" }

func (v *chainWalk) fail(seq int64, format string, args ...any) {
	v.report = Report{Checked: v.report.Checked, FirstBadSeq: seq, Problem: fmt.Sprintf(format, args...)}
}

// next checks r against its predecessor and its own hash; false ends the walk at a problem.
func (v *chainWalk) next(r *Record) bool {
	want := v.lastSeq + 1
	switch {
	case r.Seq != want && v.lastSeq == 0:
		v.fail(want, "record %d is missing: the chain starts at record %d, so %s deleted", want, r.Seq, span(1, r.Seq-1))
	case r.Seq != want:
		v.fail(want, "record %d is missing: the chain jumps from record %d to record %d, so %s deleted", want, v.lastSeq, r.Seq, span(want, r.Seq-1))
	case r.PrevHash != v.lastHash:
		v.fail(r.Seq, "record %d does not link to record %d: the predecessor hash it carries differs, so one of the two was altered and re-hashed", r.Seq, v.lastSeq)
	case chainHash(r) != r.Hash:
		v.fail(r.Seq, "record %d was changed after it was written: its contents no longer match its hash", r.Seq)
	default:
		v.lastSeq, v.lastHash = r.Seq, r.Hash
		v.report.Checked++
		v.report.OK = true
		return true
	}
	return false
}

// checkHead compares the end of the walk with the head: a head past the end means the newest
// records were deleted, a head short of it means records were added outside the log.
func (v *chainWalk) checkHead(h head, found bool) {
	switch {
	case !found && v.lastSeq > 0:
		v.fail(1, "the chain head is missing while %d records exist: the head was deleted or the records were added outside the audit log", v.lastSeq)
	case h.Seq > v.lastSeq:
		v.fail(v.lastSeq+1, "the newest records are missing: the head says the chain reaches record %d but it ends at record %d, so %s deleted", h.Seq, v.lastSeq, span(v.lastSeq+1, h.Seq))
	case h.Seq < v.lastSeq:
		v.fail(h.Seq+1, "%s added outside the audit log: the head says the chain ends at record %d", span(h.Seq+1, v.lastSeq), h.Seq)
	case h.Hash != v.lastHash:
		v.fail(h.Seq, "record %d does not match the chain head's hash: the newest record or the head was altered", h.Seq)
	default:
		v.report.OK = true
	}
}

// span names records a to b with the verb that agrees: "record 5 was", "records 5 to 7 were".
func span(a, b int64) string {
	if a == b {
		return fmt.Sprintf("record %d was", a)
	}
	return fmt.Sprintf("records %d to %d were", a, b)
}
