package activities

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/fault"
)

// position is a place in a newest-first list: rows sort by (At, Rank, ID), all descending. Rank
// orders rows of different sources (the timeline's activities, milestones and service records)
// that happen at the same moment; it is 0 where there is one source.
type position struct {
	At   time.Time
	Rank int
	ID   uuid.UUID
}

// cursor is the opaque form of a position a client passes back for the next page.
func (p position) cursor() string {
	raw := p.At.UTC().Format(time.RFC3339Nano) + "|" + strconv.Itoa(p.Rank) + "|" + p.ID.String()
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func parseCursor(s string) (*position, error) {
	if s == "" {
		return nil, nil
	}
	bad := fault.Field("query.cursor", "is not a cursor this API gave out: pass next_cursor of the previous page", s)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != 3 {
		return nil, bad
	}
	var p position
	if p.At, err = time.Parse(time.RFC3339Nano, parts[0]); err != nil {
		return nil, bad
	}
	if p.Rank, err = strconv.Atoi(parts[1]); err != nil {
		return nil, bad
	}
	if p.ID, err = uuid.Parse(parts[2]); err != nil {
		return nil, bad
	}
	return &p, nil
}

// before is the SQL condition for rows of a source with rank that come after p in the list
// (that is, sort before it): (at, rank, id) < (p.At, p.Rank, p.ID), with rank fixed per source.
func (p *position) before(atCol, idCol string, rank int) (string, []any) {
	switch {
	case rank < p.Rank:
		return atCol + " <= ?", []any{p.At}
	case rank > p.Rank:
		return atCol + " < ?", []any{p.At}
	}
	return fmt.Sprintf("(%[1]s < ? OR (%[1]s = ? AND %[2]s < ?))", atCol, idCol), []any{p.At, p.At, p.ID}
}

// less orders positions newest first.
func (p position) less(q position) bool {
	if !p.At.Equal(q.At) {
		return p.At.After(q.At)
	}
	if p.Rank != q.Rank {
		return p.Rank > q.Rank
	}
	return strings.Compare(p.ID.String(), q.ID.String()) > 0
}
