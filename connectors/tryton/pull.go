package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/repflow/repflow/plugins/sdk"
)

// position is where a pull stands: after the record (At, ID) in the order (change time, id),
// where a record's change time is its write_date, or its create_date while it was never written.
type position struct {
	At time.Time
	ID int64
}

const cursorTimeLayout = "2006-01-02T15:04:05.000000Z"

// String is the opaque cursor, e.g. "2026-01-02T03:04:05.678901Z/42".
func (p position) String() string {
	return p.At.UTC().Format(cursorTimeLayout) + "/" + strconv.FormatInt(p.ID, 10)
}

func parseCursor(s string) (*position, error) {
	if s == "" {
		return nil, nil
	}
	at, id, ok := strings.Cut(s, "/")
	t, err := time.Parse(cursorTimeLayout, at)
	n, idErr := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || idErr != nil || n < 0 {
		return nil, fmt.Errorf("invalid cursor %q: not one this connector made", s)
	}
	return &position{At: t, ID: n}, nil
}

func (p position) before(q position) bool {
	if !p.At.Equal(q.At) {
		return p.At.Before(q.At)
	}
	return p.ID < q.ID
}

// changed is one read row with its place in the pull order.
type changed struct {
	pos position
	row row
}

// Pull reads the entity in pages of the configured size, in (change time, id) order.
func (c *connector) Pull(ctx context.Context, req sdk.PullRequest, send func(sdk.Record) error) error {
	ent := findEntity(req.Entity)
	if ent == nil {
		return fmt.Errorf("pull %s: unknown entity (this connector has customers, products, opportunities, orders)", req.Entity)
	}
	cl, cfg, err := c.session()
	if err != nil {
		return fmt.Errorf("pull %s: %w", ent.name, err)
	}
	after, err := parseCursor(req.Cursor)
	if err != nil {
		return fmt.Errorf("pull %s: %w", ent.name, err)
	}
	limit := req.Limit
	if limit <= 0 {
		limit = cfg.PageSize
	}
	var settled time.Time // zero: no settle time, every change counts
	if cfg.Settle > 0 {
		// The Date header is the server's clock to the second, rounded down: a safe "now".
		now, err := cl.serverNow(ctx)
		if err != nil {
			return fmt.Errorf("pull %s: %w", ent.name, err)
		}
		settled = now.Add(-cfg.Settle)
	}
	for sent := 0; sent < limit; {
		want := min(cfg.PageSize, limit-sent)
		page, err := readPage(ctx, cl, cfg, ent, after, settled, want)
		if err != nil {
			return fmt.Errorf("pull %s: %w", ent.name, err)
		}
		for _, ch := range page {
			data, err := ent.data(ch.row)
			if err != nil {
				return fmt.Errorf("pull %s: %w", ent.name, err)
			}
			raw, err := json.Marshal(data)
			if err != nil {
				return fmt.Errorf("pull %s: encode record %d: %w", ent.name, ch.pos.ID, err)
			}
			rec := sdk.Record{
				Entity: ent.name, ExternalID: strconv.FormatInt(ch.pos.ID, 10), Data: raw,
				Cursor: ch.pos.String(), ChangedAt: ch.pos.At,
			}
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("pull %s: %w", ent.name, err)
			}
			if err := send(rec); err != nil {
				return fmt.Errorf("pull %s: send record %d: %w", ent.name, ch.pos.ID, err)
			}
			pos := ch.pos
			after = &pos
		}
		sent += len(page)
		if len(page) < want {
			break
		}
	}
	return nil
}

// readPage returns the first n records after the position and changed before settled (when it
// is not zero), oldest change first.
//
// Tryton cannot order by "write_date, else create_date", so the changed records are read as two
// disjoint sets the server can order: never written (ordered by create_date) and written
// (ordered by write_date). The first n of their merge are among the first n of each. Together
// they are the peers README's ["OR", create_date >= T, write_date >= T], made exact by the id
// tie-break so that records sharing a timestamp are neither skipped nor repeated.
func readPage(ctx context.Context, cl *client, cfg config, ent *entity, after *position, settled time.Time, n int) ([]changed, error) {
	fields := append([]string{"create_date", "write_date"}, ent.fields...)
	rpcContext := map[string]any{"company": cfg.Company, "active_test": false}
	var page []changed
	for _, set := range []struct{ written bool }{{false}, {true}} {
		stamp, op := "create_date", "="
		if set.written {
			stamp, op = "write_date", "!="
		}
		domain := []any{[]any{"write_date", op, nil}}
		if !settled.IsZero() {
			domain = append(domain, []any{stamp, "<", trytonDatetime(settled)})
		}
		if after != nil {
			at := trytonDatetime(after.At)
			domain = append(domain, []any{"OR",
				[]any{stamp, ">", at},
				[]any{[]any{stamp, "=", at}, []any{"id", ">", after.ID}},
			})
		}
		order := [][2]string{{stamp, "ASC"}, {"id", "ASC"}}
		result, err := cl.call(ctx, "model."+ent.model+".search_read", domain, 0, n, order, fields, rpcContext)
		if err != nil {
			return nil, err
		}
		var rows []row
		if err := json.Unmarshal(result, &rows); err != nil {
			return nil, fmt.Errorf("read %s: unexpected answer: %w", ent.model, err)
		}
		for _, r := range rows {
			id, err := r.id()
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", ent.model, err)
			}
			at, err := r.datetime(stamp)
			if err != nil || at == nil {
				return nil, fmt.Errorf("read %s: record %d has no %s", ent.model, id, stamp)
			}
			page = append(page, changed{pos: position{At: *at, ID: id}, row: r})
		}
	}
	sort.Slice(page, func(i, j int) bool { return page[i].pos.before(page[j].pos) })
	if len(page) > n {
		page = page[:n]
	}
	return page, nil
}
