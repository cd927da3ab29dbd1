package host

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/repflow/repflow/plugins/sdk"
)

// pullAll pulls items after cursor and returns them, with the error Pull ended with.
func pullAll(s *Supervisor, id, cursor string) ([]sdk.Record, error) {
	var got []sdk.Record
	err := s.Pull(context.Background(), id, sdk.PullRequest{Entity: "items", Cursor: cursor}, func(r sdk.Record) error {
		got = append(got, r)
		return nil
	})
	return got, err
}

func cursors(rs []sdk.Record) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Cursor)
	}
	return strings.Join(out, ",")
}

// servedBy is the pid the test connector wrote into a record.
func servedBy(t *testing.T, r sdk.Record) int {
	t.Helper()
	var data struct{ PID int }
	if err := json.Unmarshal(r.Data, &data); err != nil {
		t.Fatalf("record data %s: %v", r.Data, err)
	}
	return data.PID
}

func TestStartCallStop(t *testing.T) {
	s, logs := newSupervisor(t, catalog, fastOptions)
	ctx := context.Background()
	start(t, s, "crm-1", `{"records":5}`)
	pid := pidOf(s, "crm-1")

	if err := s.Check(ctx, "crm-1"); err != nil {
		t.Errorf("check: %v", err)
	}
	got, err := pullAll(s, "crm-1", "")
	if err != nil || cursors(got) != "1,2,3,4,5" {
		t.Fatalf("pull: %s, %v", cursors(got), err)
	}
	if servedBy(t, got[0]) != pid {
		t.Errorf("record from pid %d, want %d", servedBy(t, got[0]), pid)
	}
	var limited []sdk.Record
	err = s.Pull(ctx, "crm-1", sdk.PullRequest{Entity: "items", Cursor: "2", Limit: 2}, func(r sdk.Record) error {
		limited = append(limited, r)
		return nil
	})
	if err != nil || cursors(limited) != "3,4" {
		t.Errorf("pull after 2, limit 2: %s, %v", cursors(limited), err)
	}
	err = s.Pull(ctx, "crm-1", sdk.PullRequest{Entity: "invoices"}, func(sdk.Record) error { return nil })
	if err == nil || !strings.Contains(err.Error(), `no entity "invoices"`) {
		t.Errorf("pull of an unknown entity: %v, want the connector's message", err)
	}

	results, err := s.Push(ctx, "crm-1", "items", []sdk.Record{
		{Entity: "items", ExternalID: "a", Data: json.RawMessage(`{}`)},
		{Entity: "items", ExternalID: "b", Data: json.RawMessage(`{"reject":"duplicate email"}`)},
	})
	want := []sdk.PushResult{
		{ExternalID: "a", OK: true, RemoteID: "r-a-" + itoa(pid)},
		{ExternalID: "b", Error: "duplicate email"},
	}
	if err != nil || !reflect.DeepEqual(results, want) {
		t.Errorf("push: %+v, %v; want %+v", results, err, want)
	}

	waitFor(t, 5*time.Second, "answered ping", func() bool { return !health(t, s, "crm-1").LastPingAt.IsZero() })
	h := health(t, s, "crm-1")
	if h.State != StateRunning || h.Restarts != 0 || h.StartedAt.IsZero() || h.LastError != "" {
		t.Errorf("health: %+v", h)
	}
	if all := s.HealthAll(); len(all) != 1 || all["crm-1"].State != StateRunning {
		t.Errorf("health of all: %+v", all)
	}

	// The connector's log line and its plain stderr arrive in slog, tagged with id and kind.
	// go-plugin reads stderr on its own goroutine, so they may come after Start returned.
	waitFor(t, 5*time.Second, "stderr line logged", func() bool {
		_, ok := logs.find("plain stderr line from configure")
		return ok
	})
	attrs, ok := logs.find("configured")
	if !ok || attrs["connector_id"] != "crm-1" || attrs["connector_kind"] != "testconn" ||
		attrs["records"] != 5.0 || attrs["level"] != slog.LevelInfo {
		t.Errorf("connector's log line: %v (found %v)", attrs, ok)
	}
	if attrs, ok := logs.find("plain stderr line from configure"); !ok || attrs["connector_id"] != "crm-1" || attrs["stream"] != "stderr" {
		t.Errorf("connector's stderr line: %v (found %v)", attrs, ok)
	}

	if err := s.Stop("crm-1"); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if !gone(pid) {
		t.Errorf("pid %d still there after Stop", pid)
	}
	if h := health(t, s, "crm-1"); h.State != StateStopped {
		t.Errorf("state after stop: %s", h.State)
	}
	if err := s.Check(ctx, "crm-1"); !errors.Is(err, ErrStopped) {
		t.Errorf("check after stop: %v, want ErrStopped", err)
	}
	// A stopped id starts again.
	start(t, s, "crm-1", `{"records":1}`)
	if err := s.Check(ctx, "crm-1"); err != nil {
		t.Errorf("check after starting again: %v", err)
	}
}

func TestStartErrors(t *testing.T) {
	s, _ := newSupervisor(t, catalog, fastOptions)
	ctx := context.Background()

	if _, err := s.Start(ctx, "x", "salesforce", []byte(`{}`)); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("unknown kind: %v", err)
	}
	if err := s.Check(ctx, "nobody"); !errors.Is(err, ErrUnknownID) {
		t.Errorf("check of an unknown id: %v", err)
	}

	fes, err := s.Start(ctx, "refused", "testconn", []byte(`{"records":-1}`))
	if !errors.Is(err, ErrConfigRefused) || !reflect.DeepEqual(fes, []sdk.FieldError{{Field: "/records", Message: "must not be negative"}}) {
		t.Errorf("refused configuration: %v, %v", fes, err)
	}
	if h := health(t, s, "refused"); h.State != StateFailed || !strings.Contains(h.LastError, "must not be negative") {
		t.Errorf("health after refusal: %+v", h)
	}
	if err := s.Check(ctx, "refused"); !errors.Is(err, ErrFailed) {
		t.Errorf("check of a refused instance: %v, want ErrFailed", err)
	}
	start(t, s, "refused", `{"records":1}`) // fixed configuration, same id
	if _, err := s.Start(ctx, "refused", "testconn", []byte(`{}`)); !errors.Is(err, ErrAlreadyStarted) {
		t.Errorf("second start of a running id: %v", err)
	}

	if _, err := s.Start(ctx, "dies", "testconn", []byte(`{"exit_on_configure":true}`)); err == nil {
		t.Error("start of a connector that exits while configured succeeded")
	}
	if h := health(t, s, "dies"); h.State != StateFailed || h.LastError == "" {
		t.Errorf("health after dying at start: %+v", h)
	}
}

func TestHangingCallIsCutByItsDeadline(t *testing.T) {
	opts := fastOptions
	opts.CallTimeout = 300 * time.Millisecond
	s, _ := newSupervisor(t, catalog, opts)
	start(t, s, "stuck", `{"hang":true}`)

	for name, ctx := range map[string]context.Context{
		"caller's deadline": ctxTimeout(t, 200*time.Millisecond),
		"CallTimeout":       context.Background(),
	} {
		begun := time.Now()
		err := s.Check(ctx, "stuck")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: hanging check returned %v, want context.DeadlineExceeded", name, err)
		}
		if took := time.Since(begun); took > 2*time.Second {
			t.Errorf("%s: hanging check took %v", name, took)
		}
	}
	// A process that hangs in a call still answers pings; it is not restarted.
	if h := health(t, s, "stuck"); h.State != StateRunning || h.Restarts != 0 {
		t.Errorf("health: %+v", h)
	}
	if _, err := pullAll(s, "stuck", ""); err != nil {
		t.Errorf("pull after a hung check: %v", err)
	}
}

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestShutdownLeavesNoProcess(t *testing.T) {
	s, _ := newSupervisor(t, catalog, fastOptions)
	var pids []int
	for _, id := range []string{"a", "b", "c"} {
		start(t, s, id, `{}`)
		pids = append(pids, pidOf(s, id))
	}
	start(t, s, "stuck", `{"hang":true}`) // busy in a call that never returns
	pids = append(pids, pidOf(s, "stuck"))
	_ = s.Check(ctxTimeout(t, 100*time.Millisecond), "stuck")

	s.Shutdown()
	for _, pid := range pids {
		if pid == 0 || !gone(pid) {
			t.Errorf("pid %d still there after Shutdown", pid)
		}
	}
	for id, h := range s.HealthAll() {
		if h.State != StateStopped {
			t.Errorf("%s: %s after Shutdown", id, h.State)
		}
	}
	if _, err := s.Start(context.Background(), "d", "testconn", []byte(`{}`)); !errors.Is(err, ErrShutdown) {
		t.Errorf("start after Shutdown: %v", err)
	}
}
