package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/pipeline"
	"github.com/repflow/repflow/platform/storetest"

	"github.com/repflow/repflow/tenants/billing/stripemock"
)

// asServer makes this test binary run repflow's own main with the arguments in serverArgs: the
// tests that need real server processes (a restart, two replicas) start it that way.
const (
	asServer   = "REPFLOW_TEST_AS_SERVER"
	serverArgs = "REPFLOW_TEST_SERVER_ARGS"
)

func TestMain(m *testing.M) {
	if os.Getenv(asServer) == "1" {
		os.Args = append([]string{"repflow"}, strings.Fields(os.Getenv(serverArgs))...)
		main()
		os.Exit(0)
	}
	code := m.Run()
	stripemock.Stop()
	removeTestConnectors()
	os.Exit(code)
}

// process is a repflow server running in a process of its own.
type process struct {
	name string
	base string
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServer runs `repflow serve` on databaseURL in a new process and waits until it is ready.
func startServer(t *testing.T, name, databaseURL string) *process {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	p := &process{name: name, base: "http://" + addr, out: &syncBuffer{}, done: make(chan error, 1)}
	p.cmd = exec.Command(os.Args[0], "-test.run=^$")
	p.cmd.Env = append(os.Environ(), asServer+"=1", serverArgs+"=serve",
		"REPFLOW_DATABASE_URL="+databaseURL, "REPFLOW_LISTEN="+addr, "REPFLOW_DATA_DIR="+t.TempDir(),
		"REPFLOW_JOB_POLL=200ms", "REPFLOW_LOG_LEVEL=warn", "REPFLOW_MIGRATE=check", "REPFLOW_SHUTDOWN_GRACE=5s")
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() { p.stop(t) })
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(p.base + "/readyz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case err := <-p.done:
			t.Fatalf("server %s exited before it was ready (%v):\n%s", name, err, p.out)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("server %s not ready after 30 s:\n%s", name, p.out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop sends SIGTERM and waits for the process to end; a second call does nothing.
func (p *process) stop(t *testing.T) {
	if p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
		t.Errorf("server %s ignored SIGTERM for 20 s:\n%s", p.name, p.out)
	}
}

// The workflow's timers are durable: a task's overdue timer set through one server fires after
// that server has stopped, once, although two other servers work the same database's queue.
func TestOverdueTimerFiresAfterRestartOnceAcrossTwoServers(t *testing.T) {
	s, url := storetest.OpenWithURL(t)
	if url == "" {
		t.Skip("two server processes share a PostgreSQL database: set " + storetest.EnvURL)
	}
	h := harnessOn(t, s, false)
	c := h.company("Restart Co")
	rep := c.tokens["rep"]
	rctx := identity.With(context.Background(), h.principal(c.tenant, c.users["rep"].ID))
	open, err := h.app.pipeline.ListTasks(rctx, pipeline.TaskFilter{OpportunityID: &c.opportunity.ID, Status: pipeline.TaskOpen})
	if err != nil || len(open.Tasks) == 0 {
		t.Fatalf("the rep's open tasks: %v %v", open, err)
	}
	task := open.Tasks[0]

	first := startServer(t, "first", url)
	due := time.Now().Add(4 * time.Second)
	if code := httpCall(t, first.base, rep, http.MethodPatch, "/api/v1/tasks/"+task.ID.String(), map[string]any{"due_at": due}, nil); code != http.StatusOK {
		t.Fatalf("reschedule through the first server: %d", code)
	}
	first.stop(t)
	if !time.Now().Before(due) {
		t.Fatal("the first server took until the task was due to stop; the test proves nothing")
	}
	second, third := startServer(t, "second", url), startServer(t, "third", url)

	overdue := func(base string) int {
		var page pipeline.ReminderPageDTO
		if code := httpCall(t, base, rep, http.MethodGet, "/api/v1/reminders", nil, &page); code != http.StatusOK {
			t.Fatalf("reminders: %d", code)
		}
		n := 0
		for _, r := range page.Reminders {
			if r.Kind == "task_overdue" && r.TaskID != nil && *r.TaskID == task.ID {
				n++
			}
		}
		return n
	}
	deadline := time.Now().Add(60 * time.Second)
	for overdue(second.base) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no overdue reminder a minute after the task was due\nsecond:\n%s\nthird:\n%s", second.out, third.out)
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(3 * time.Second) // room for a second firing, by either server
	if n := overdue(third.base); n != 1 {
		t.Errorf("%d overdue reminders, want exactly 1", n)
	}
	var runs []struct {
		State   string
		Attempt int
	}
	err = h.app.store.Owner(context.Background()).Raw(`SELECT state, attempt FROM river_job
		WHERE kind = 'pipeline.task_overdue' AND args->>'task_id' = ? AND state = 'completed'`, task.ID.String()).Scan(&runs).Error
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Attempt != 1 {
		t.Errorf("the timer's job ran as %+v, want one completed job on its first attempt", runs)
	}
}

// httpCall sends a JSON request to a server process with a bearer token and decodes the answer.
func httpCall(t *testing.T, base, token, method, path string, body, out any) int {
	t.Helper()
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, base+path, bytes.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode < 300 {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(fmt.Errorf("decode %s %s: %w", method, path, err))
		}
	}
	return resp.StatusCode
}
