package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binDir holds the test connector, built once for the package; catalog is discovered from it.
var (
	binDir  string
	catalog *Catalog
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "repflow-host-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binDir = dir
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "testconn"), "./testdata/testconn")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build test connector:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	catalog, err = Discover(ctx, dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		fmt.Fprintln(os.Stderr, "discover test connector:", err)
		return 1
	}
	return m.Run()
}

// logs keeps every record a test's supervisor logs, so tests can look for the plugin's lines.
type logs struct {
	mu      sync.Mutex
	records []slog.Record
}

func (l *logs) Enabled(context.Context, slog.Level) bool { return true }
func (l *logs) WithAttrs(as []slog.Attr) slog.Handler    { return &attrHandler{logs: l, attrs: as} }
func (l *logs) WithGroup(string) slog.Handler            { return l }
func (l *logs) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, r.Clone())
	return nil
}

type attrHandler struct {
	*logs
	attrs []slog.Attr
}

func (h *attrHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &attrHandler{logs: h.logs, attrs: append(slices.Clone(h.attrs), as...)}
}

func (h *attrHandler) Handle(ctx context.Context, r slog.Record) error {
	r = r.Clone()
	r.AddAttrs(h.attrs...)
	return h.logs.Handle(ctx, r)
}

// find returns the attributes of the first record whose message is msg.
func (l *logs) find(msg string) (map[string]any, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range l.records {
		if r.Message != msg {
			continue
		}
		attrs := map[string]any{"level": r.Level}
		r.Attrs(func(a slog.Attr) bool {
			attrs[a.Key] = a.Value.Any()
			return true
		})
		return attrs, true
	}
	return nil, false
}

// fastOptions supervise on a test's time scale.
var fastOptions = Options{
	StartTimeout: 10 * time.Second,
	CallTimeout:  10 * time.Second,
	PingEvery:    50 * time.Millisecond,
	FirstBackoff: 20 * time.Millisecond,
	MaxBackoff:   200 * time.Millisecond,
	MaxRestarts:  5,
}

func newSupervisor(t *testing.T, cat *Catalog, opts Options) (*Supervisor, *logs) {
	t.Helper()
	l := &logs{}
	s := NewSupervisor(cat, opts, slog.New(l))
	t.Cleanup(s.Shutdown)
	return s, l
}

func start(t *testing.T, s *Supervisor, id, config string) {
	t.Helper()
	if fes, err := s.Start(context.Background(), id, "testconn", []byte(config)); err != nil || len(fes) > 0 {
		t.Fatalf("start %s: %v %v", id, fes, err)
	}
}

// pidOf is the pid of id's serving process, 0 when none serves.
func pidOf(s *Supervisor, id string) int {
	in, err := s.instance(id)
	if err != nil {
		return 0
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.proc == nil {
		return 0
	}
	return in.proc.pid
}

func gone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

// crash kills pid as a crash would and waits until it is gone.
func crash(t *testing.T, pid int) {
	t.Helper()
	if pid == 0 {
		t.Fatal("no process to kill")
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill %d: %v", pid, err)
	}
	waitFor(t, 5*time.Second, fmt.Sprintf("pid %d gone", pid), func() bool { return gone(pid) })
}

func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s after %v", what, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func health(t *testing.T, s *Supervisor, id string) Health {
	t.Helper()
	h, ok := s.Health(id)
	if !ok {
		t.Fatalf("no health for %s", id)
	}
	return h
}

func itoa(n int) string { return fmt.Sprint(n) }

func newSupervisorLogger() *slog.Logger { return slog.New(&logs{}) }
