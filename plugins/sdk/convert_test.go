package sdk

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/repflow/repflow/plugins/proto"
)

func TestRecordTimesTravelAsMilliseconds(t *testing.T) {
	changed := time.Date(2026, 5, 4, 3, 2, 1, 987654321, time.FixedZone("CEST", 2*3600))
	r := Record{Entity: "orders", ExternalID: "9", Data: json.RawMessage(`{}`), Cursor: "c9", ChangedAt: changed}

	p := recordToProto(r)
	if p.ChangedAtUnixMs != changed.UnixMilli() {
		t.Errorf("changed_at_unix_ms = %d, want %d", p.ChangedAtUnixMs, changed.UnixMilli())
	}
	back := recordFromProto(p)
	if want := changed.Truncate(time.Millisecond); !back.ChangedAt.Equal(want) || back.ChangedAt.Location() != time.UTC {
		t.Errorf("changed at came back as %v, want %v in UTC", back.ChangedAt, want)
	}

	// An unknown time is 0 on the wire, not the Unix milliseconds of year 1.
	if p := recordToProto(Record{}); p.ChangedAtUnixMs != 0 {
		t.Errorf("zero time went out as %d", p.ChangedAtUnixMs)
	}
	if back := recordFromProto(&proto.Record{}); !back.ChangedAt.IsZero() {
		t.Errorf("0 came back as %v, want the zero time", back.ChangedAt)
	}
}

func TestPullLimitFitsTheWire(t *testing.T) {
	for limit, want := range map[int]int32{0: 0, 50: 50, -3: 0, math.MaxInt32 + 10: math.MaxInt32} {
		if got := pullRequestToProto(PullRequest{Limit: limit}).Limit; got != want {
			t.Errorf("limit %d went out as %d, want %d", limit, got, want)
		}
	}
}

func TestDirectionsMatchTheProto(t *testing.T) {
	for d, want := range map[Direction]proto.Direction{
		Pull: proto.Direction_DIRECTION_PULL,
		Push: proto.Direction_DIRECTION_PUSH,
		Both: proto.Direction_DIRECTION_BOTH,
	} {
		p := descriptionToProto(Description{Entities: []Entity{{Direction: d}}})
		if got := p.Entities[0].Direction; got != want {
			t.Errorf("%d went out as %v, want %v", d, got, want)
		}
		if back := descriptionFromProto(p).Entities[0].Direction; back != d {
			t.Errorf("%v came back as %d", want, back)
		}
	}
}

func TestLoggerWritesLinesGoPluginParses(t *testing.T) {
	var buf bytes.Buffer
	newLogger(&buf).Warn("token expires soon", "days", 3)

	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("not one JSON line: %q", buf.String())
	}
	want := map[string]any{"@level": "warn", "@message": "token expires soon", "days": 3.0}
	for k, v := range want {
		if !reflect.DeepEqual(line[k], v) {
			t.Errorf("%s = %v, want %v", k, line[k], v)
		}
	}
	ts, _ := line["@timestamp"].(string)
	if _, err := time.Parse(hclogTime, ts); err != nil {
		t.Errorf("@timestamp %q does not parse as go-plugin expects: %v", ts, err)
	}
}
