package host

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-plugin"

	"github.com/repflow/repflow/plugins/sdk"
)

// noPings leaves crash handling to calls: the ping loop never comes round during a test.
func noPings() Options {
	o := fastOptions
	o.PingEvery = time.Hour
	return o
}

func TestPingLoopRestartsAndReconfiguresAKilledProcess(t *testing.T) {
	s, _ := newSupervisor(t, catalog, fastOptions)
	start(t, s, "crm", `{"records":3}`)
	old := pidOf(s, "crm")

	crash(t, old)
	waitFor(t, 5*time.Second, "restart by the ping loop", func() bool {
		h := health(t, s, "crm")
		return h.State == StateRunning && h.Restarts == 1
	})
	h := health(t, s, "crm")
	if !strings.Contains(h.LastError, "exited") && !strings.Contains(h.LastError, "ping") {
		t.Errorf("last error %q does not say the process went away", h.LastError)
	}
	pid := pidOf(s, "crm")
	if pid == old || pid == 0 {
		t.Fatalf("pid after restart %d, before %d", pid, old)
	}
	// The new process serves with the same configuration: 3 records, not the default 10
	// (and an unconfigured one would refuse to pull).
	got, err := pullAll(s, "crm", "")
	if err != nil || cursors(got) != "1,2,3" || servedBy(t, got[0]) != pid {
		t.Errorf("pull after restart: %s, %v", cursors(got), err)
	}
}

func TestCallOnDeadProcessRestartsItOnceAndSucceeds(t *testing.T) {
	s, _ := newSupervisor(t, catalog, noPings())
	ctx := context.Background()
	start(t, s, "crm", `{"records":2}`)

	crash(t, pidOf(s, "crm"))
	if err := s.Check(ctx, "crm"); err != nil {
		t.Errorf("check on a dead process: %v", err)
	}
	crash(t, pidOf(s, "crm"))
	res, err := s.Push(ctx, "crm", "items", []sdk.Record{{Entity: "items", ExternalID: "a"}})
	if err != nil || len(res) != 1 || !res[0].OK {
		t.Errorf("push on a dead process: %+v, %v", res, err)
	}
	// A pull that had not received anything yet is retried too.
	crash(t, pidOf(s, "crm"))
	got, err := pullAll(s, "crm", "")
	if err != nil || cursors(got) != "1,2" {
		t.Errorf("pull on a dead process: %s, %v", cursors(got), err)
	}
	if h := health(t, s, "crm"); h.Restarts != 3 || h.State != StateRunning {
		t.Errorf("health after three crashes: %+v", h)
	}
}

func TestConcurrentCallsDuringACrashRestartOnce(t *testing.T) {
	// The ping loop runs too: it and the calls race to notice the crash.
	s, _ := newSupervisor(t, catalog, fastOptions)
	start(t, s, "crm", `{"call_delay_ms":20}`)
	crash(t, pidOf(s, "crm"))

	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			if i%2 == 0 {
				errs <- s.Check(context.Background(), "crm")
				return
			}
			_, err := s.Push(context.Background(), "crm", "items", []sdk.Record{{Entity: "items", ExternalID: "x"}})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			// Among others, the test connector fails calls that overlap.
			t.Errorf("call during a crash: %v", err)
		}
	}
	if h := health(t, s, "crm"); h.Restarts != 1 {
		t.Errorf("%d restarts for one crash", h.Restarts)
	}
}

func TestPullThatCrashesMidStreamIsNotRetried(t *testing.T) {
	s, _ := newSupervisor(t, catalog, noPings())
	start(t, s, "crm", `{"records":8,"crash_after_record":3}`)
	first := pidOf(s, "crm")

	got, err := pullAll(s, "crm", "")
	if !errors.Is(err, ErrCrashed) {
		t.Fatalf("pull through a crash: %v, want ErrCrashed", err)
	}
	if cursors(got) != "1,2,3" {
		t.Errorf("records before the crash: %s, want 1,2,3", cursors(got))
	}
	// The caller resumes from its last cursor on the restarted process.
	rest, err := pullAll(s, "crm", got[len(got)-1].Cursor)
	if err != nil || cursors(rest) != "4,5,6,7,8" {
		t.Errorf("resumed pull: %s, %v", cursors(rest), err)
	}
	if pid := servedBy(t, rest[0]); pid == first {
		t.Errorf("resumed pull served by the crashed pid %d", pid)
	}
	if h := health(t, s, "crm"); h.Restarts != 1 {
		t.Errorf("%d restarts, want 1", h.Restarts)
	}
}

func TestGivesUpAfterMaxRestarts(t *testing.T) {
	opts := fastOptions
	opts.MaxRestarts = 2
	s, _ := newSupervisor(t, catalog, opts)
	marker := filepath.Join(t.TempDir(), "exit")
	start(t, s, "crm", `{"exit_on_configure_if":"`+marker+`"}`)

	must(t, os.WriteFile(marker, nil, 0o644)) // from now on every new process dies configuring
	crash(t, pidOf(s, "crm"))
	waitFor(t, 10*time.Second, "failed state", func() bool { return health(t, s, "crm").State == StateFailed })
	h := health(t, s, "crm")
	if h.Restarts != 2 || !strings.Contains(h.LastError, "gave up after 2 restarts") {
		t.Errorf("health: %+v", h)
	}
	if err := s.Check(context.Background(), "crm"); !errors.Is(err, ErrFailed) {
		t.Errorf("check on a failed instance: %v", err)
	}
}

func TestReplacedBinaryRefusesToStart(t *testing.T) {
	dir := t.TempDir()
	path := copyBinary(t, dir, "testconn")
	cat, err := Discover(context.Background(), dir, newSupervisorLogger())
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newSupervisor(t, cat, fastOptions)
	start(t, s, "running", `{}`)

	// Replace the file as an installer would (a new file renamed over it: a running
	// executable cannot be written in place).
	b := mustRead(t, path)
	must(t, os.WriteFile(path+".new", append(b, 0), 0o755))
	must(t, os.Rename(path+".new", path))

	_, err = s.Start(context.Background(), "new", "testconn", []byte(`{}`))
	if !errors.Is(err, plugin.ErrChecksumsDoNotMatch) {
		t.Errorf("start of a replaced binary: %v, want a checksum mismatch", err)
	}
	// The running process is not disturbed, but it is not restarted from the new file either.
	if err := s.Check(context.Background(), "running"); err != nil {
		t.Errorf("check of the process started before: %v", err)
	}
	crash(t, pidOf(s, "running"))
	waitFor(t, 5*time.Second, "failed state", func() bool { return health(t, s, "running").State == StateFailed })
	if h := health(t, s, "running"); !strings.Contains(h.LastError, "checksum") || h.Restarts != 1 {
		t.Errorf("health after a crash with the binary replaced: %+v", h)
	}
}

func TestLateNoticeOfAnOldCrashDoesNotRestartAgain(t *testing.T) {
	s, _ := newSupervisor(t, catalog, noPings())
	start(t, s, "crm", `{}`)
	in, _ := s.instance("crm")
	in.mu.Lock()
	dead := in.proc
	in.mu.Unlock()

	crash(t, dead.pid)
	if err := s.Check(context.Background(), "crm"); err != nil { // notices, restarts, retries
		t.Fatalf("check: %v", err)
	}
	pid := pidOf(s, "crm")
	// The ping loop (or another caller) noticing the same dead process afterwards.
	in.replace(dead.gen, errors.New("ping: process exited"), false)
	if h := health(t, s, "crm"); h.Restarts != 1 || h.State != StateRunning || pidOf(s, "crm") != pid {
		t.Errorf("after a late notice: %+v, pid %d (was %d)", h, pidOf(s, "crm"), pid)
	}
}
