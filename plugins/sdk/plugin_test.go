package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// memConnector is a small connector over an in-memory list of records, with hooks that let a
// test make one method fail or block.
type memConnector struct {
	records  []Record
	config   json.RawMessage
	failWith error                                                    // returned by every method when set
	pull     func(ctx context.Context, send func(Record) error) error // replaces Pull when set
	check    func(ctx context.Context) error                          // replaces Check when set
}

func (m *memConnector) Describe(context.Context) (Description, error) {
	if m.failWith != nil {
		return Description{}, m.failWith
	}
	return Description{
		Kind:        "mem",
		DisplayName: "In memory",
		Version:     "1.2.3",
		Entities: []Entity{
			{Name: "customers", Direction: Both, Description: "people who buy"},
			{Name: "orders", Direction: Pull},
			{Name: "notes", Direction: Push},
		},
		ConfigSchema: json.RawMessage(`{"type":"object","required":["url"]}`),
	}, nil
}

func (m *memConnector) Configure(_ context.Context, config json.RawMessage) ([]FieldError, error) {
	if m.failWith != nil {
		return nil, m.failWith
	}
	var c struct{ URL string }
	if err := json.Unmarshal(config, &c); err != nil {
		return []FieldError{{Field: "", Message: "not a JSON object"}}, nil
	}
	if c.URL == "" {
		return []FieldError{{Field: "/url", Message: "required"}}, nil
	}
	m.config = config
	return nil, nil
}

func (m *memConnector) Check(ctx context.Context) error {
	if m.check != nil {
		return m.check(ctx)
	}
	if m.failWith != nil {
		return m.failWith
	}
	if m.config == nil {
		return errors.New("not configured: set the URL first")
	}
	return nil
}

func (m *memConnector) Pull(ctx context.Context, req PullRequest, send func(Record) error) error {
	if m.pull != nil {
		return m.pull(ctx, send)
	}
	if m.failWith != nil {
		return m.failWith
	}
	n := 0
	for _, r := range m.records {
		if r.Entity != req.Entity || r.Cursor <= req.Cursor {
			continue
		}
		if req.Limit > 0 && n == req.Limit {
			break
		}
		if err := send(r); err != nil {
			return fmt.Errorf("send %s: %w", r.ExternalID, err)
		}
		n++
	}
	return nil
}

func (m *memConnector) Push(_ context.Context, _ string, records []Record) ([]PushResult, error) {
	if m.failWith != nil {
		return nil, m.failWith
	}
	var out []PushResult
	for _, r := range records {
		if r.Deleted {
			out = append(out, PushResult{ExternalID: r.ExternalID, Error: "cannot delete"})
			continue
		}
		out = append(out, PushResult{ExternalID: r.ExternalID, OK: true, RemoteID: "r-" + r.ExternalID})
	}
	return out, nil
}

// connect serves impl over a real gRPC connection in this process and returns the host's side.
func connect(t *testing.T, impl Connector) Connector {
	t.Helper()
	client, _ := plugin.TestPluginGRPCConn(t, false, plugin.PluginSet{PluginName: &ConnectorPlugin{Impl: impl}})
	// Closing the client stops the server too (go-plugin's controller Shutdown); stopping it
	// here as well would race with that.
	t.Cleanup(func() { _ = client.Close() })
	raw, err := client.Dispense(PluginName)
	if err != nil {
		t.Fatalf("dispense: %v", err)
	}
	c, ok := raw.(Connector)
	if !ok {
		t.Fatalf("dispensed %T, not a Connector", raw)
	}
	return c
}

func records(entity string, n int) []Record {
	var out []Record
	for i := 1; i <= n; i++ {
		out = append(out, Record{
			Entity:     entity,
			ExternalID: strconv.Itoa(i),
			Data:       json.RawMessage(fmt.Sprintf(`{"n":%d}`, i)),
			Cursor:     fmt.Sprintf("%08d", i),
			Deleted:    i%7 == 0,
			ChangedAt:  time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Millisecond),
		})
	}
	return out
}

func TestRoundTripEveryMethod(t *testing.T) {
	ctx := context.Background()
	impl := &memConnector{records: records("customers", 5)}
	c := connect(t, impl)

	got, err := c.Describe(ctx)
	if err != nil {
		t.Fatalf("describe: %v", err)
	}
	want, _ := impl.Describe(ctx)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("describe:\n got %+v\nwant %+v", got, want)
	}

	if err := c.Check(ctx); err == nil || err.Error() != "not configured: set the URL first" {
		t.Errorf("check before configure: %v, want the connector's words", err)
	}
	fes, err := c.Configure(ctx, json.RawMessage(`{"url":""}`))
	if err != nil || !reflect.DeepEqual(fes, []FieldError{{Field: "/url", Message: "required"}}) {
		t.Errorf("configure without url: %v, %v", fes, err)
	}
	fes, err = c.Configure(ctx, json.RawMessage(`{"url":"https://crm.example"}`))
	if err != nil || len(fes) != 0 {
		t.Fatalf("configure: %v, %v", fes, err)
	}
	if string(impl.config) != `{"url":"https://crm.example"}` {
		t.Errorf("connector got config %s", impl.config)
	}
	if err := c.Check(ctx); err != nil {
		t.Errorf("check: %v", err)
	}

	var pulled []Record
	err = c.Pull(ctx, PullRequest{Entity: "customers", Cursor: "00000002", Limit: 2}, func(r Record) error {
		pulled = append(pulled, r)
		return nil
	})
	if err != nil {
		t.Fatalf("pull: %v", err)
	}
	if want := impl.records[2:4]; !reflect.DeepEqual(pulled, want) {
		t.Errorf("pull after cursor 2, limit 2:\n got %+v\nwant %+v", pulled, want)
	}

	results, err := c.Push(ctx, "customers", records("customers", 7)[5:7])
	if err != nil {
		t.Fatalf("push: %v", err)
	}
	wantResults := []PushResult{
		{ExternalID: "6", OK: true, RemoteID: "r-6"},
		{ExternalID: "7", Error: "cannot delete"},
	}
	if !reflect.DeepEqual(results, wantResults) {
		t.Errorf("push: got %+v, want %+v", results, wantResults)
	}
}

func TestPullStreamsManyRecordsInOrder(t *testing.T) {
	const n = 20000
	impl := &memConnector{records: records("orders", n)}
	c := connect(t, impl)

	var got []Record
	err := c.Pull(context.Background(), PullRequest{Entity: "orders"}, func(r Record) error {
		got = append(got, r)
		return nil
	})
	if err != nil {
		t.Fatalf("pull: %v", err)
	}
	if !reflect.DeepEqual(got, impl.records) {
		t.Fatalf("pulled %d records, not the %d sent in order", len(got), n)
	}
}

// blockingPull sends records until its ctx ends and reports the error it ended with.
func blockingPull(ended chan<- error) func(ctx context.Context, send func(Record) error) error {
	return func(ctx context.Context, send func(Record) error) error {
		for i := 1; ; i++ {
			if err := send(Record{Entity: "orders", ExternalID: strconv.Itoa(i)}); err != nil {
				ended <- err
				return err
			}
			select {
			case <-ctx.Done():
				ended <- ctx.Err()
				return ctx.Err()
			case <-time.After(time.Millisecond):
			}
		}
	}
}

func TestPullCancelledByCtx(t *testing.T) {
	ended := make(chan error, 1)
	c := connect(t, &memConnector{pull: blockingPull(ended)})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := 0
	err := c.Pull(ctx, PullRequest{Entity: "orders"}, func(Record) error {
		if got++; got == 10 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("pull cancelled by its ctx returned %v, want context.Canceled", err)
	}
	if got < 10 {
		t.Errorf("received %d records before cancelling, want at least 10", got)
	}
	select {
	case err := <-ended:
		if err == nil {
			t.Error("connector's pull ended without an error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("connector's pull still running 5 s after the host cancelled")
	}
}

func TestPullStopsWhenSendRefuses(t *testing.T) {
	ended := make(chan error, 1)
	c := connect(t, &memConnector{pull: blockingPull(ended)})

	errCommit := errors.New("commit failed")
	got := 0
	err := c.Pull(context.Background(), PullRequest{Entity: "orders"}, func(Record) error {
		if got++; got == 3 {
			return errCommit
		}
		return nil
	})
	if !errors.Is(err, errCommit) || got != 3 {
		t.Errorf("pull returned %v after %d records, want send's error after 3", err, got)
	}
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("connector's pull still running 5 s after send refused a record")
	}
}

func TestConnectorErrorsKeepTheirMessage(t *testing.T) {
	ctx := context.Background()
	const msg = "CRM answered 503: maintenance until 14:00"
	c := connect(t, &memConnector{failWith: errors.New(msg)})

	calls := map[string]func() error{
		"describe":  func() error { _, err := c.Describe(ctx); return err },
		"configure": func() error { _, err := c.Configure(ctx, json.RawMessage(`{}`)); return err },
		"check":     func() error { return c.Check(ctx) },
		"pull": func() error {
			return c.Pull(ctx, PullRequest{Entity: "orders"}, func(Record) error { return nil })
		},
		"push": func() error { _, err := c.Push(ctx, "orders", records("orders", 1)); return err },
	}
	for name, call := range calls {
		err := call()
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		st, ok := status.FromError(err)
		if !ok || st.Message() != msg || st.Code() != codes.Unknown {
			t.Errorf("%s: status %v (ok %v), want Unknown %q", name, st, ok, msg)
		}
		if err.Error() != msg {
			t.Errorf("%s: error text %q, want the connector's %q", name, err, msg)
		}
	}

	// A connector that answers with a status of its own keeps its code.
	c = connect(t, &memConnector{failWith: status.Error(codes.Unimplemented, "push is not supported")})
	_, err := c.Push(ctx, "orders", nil)
	if status.Code(err) != codes.Unimplemented || err.Error() != "push is not supported" {
		t.Errorf("push: %v (code %v), want Unimplemented", err, status.Code(err))
	}
}

func TestCallerDeadlineReachesTheConnector(t *testing.T) {
	seen := make(chan time.Time, 1)
	ended := make(chan error, 1)
	c := connect(t, &memConnector{check: func(ctx context.Context) error {
		d, _ := ctx.Deadline()
		seen <- d
		<-ctx.Done() // a connector that takes longer than the host allows
		ended <- ctx.Err()
		return ctx.Err()
	}})

	deadline := time.Now().Add(300 * time.Millisecond)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	start := time.Now()
	err := c.Check(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("check past its deadline returned %v, want context.DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("check took %v with a 300 ms deadline", took)
	}
	got := <-seen
	if got.IsZero() || got.Sub(deadline).Abs() > time.Second {
		t.Errorf("connector saw deadline %v, host set %v", got, deadline)
	}
	select {
	case err := <-ended:
		if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
			t.Errorf("connector's ctx ended with %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("connector's ctx did not end at the deadline")
	}
}
