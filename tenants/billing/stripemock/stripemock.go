// Package stripemock runs Stripe's own API mock (stripe-mock) on loopback for tests: every
// Stripe call the product makes is checked against it. It is found on PATH or in Go's bin
// directory, and installed there from the Go module proxy when missing.
package stripemock

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// stripeMockVersion is the stripe-mock installed when none is found.
const stripeMockVersion = "v0.203.0"

// mock is the test binary's one stripe-mock, started by the first test that needs it.
var mock struct {
	once sync.Once
	url  string
	cmd  *exec.Cmd
	err  error
}

// URL returns the base URL of the test binary's running stripe-mock, started on first use
// (stateless: every test may share it). Call Stop from TestMain when the tests are done.
func URL(t testing.TB) string {
	t.Helper()
	mock.once.Do(func() { mock.url, mock.cmd, mock.err = startStripeMock() })
	if mock.err != nil {
		t.Fatalf("stripe-mock: %v", mock.err)
	}
	return mock.url
}

// Stop ends the stripe-mock URL started, if any.
func Stop() {
	if mock.cmd != nil && mock.cmd.Process != nil {
		_ = mock.cmd.Process.Kill()
		_ = mock.cmd.Wait()
	}
}

// startStripeMock runs stripe-mock on loopback ports the system picks, so that parallel test
// runs never collide, and reads the HTTP address from its first lines.
func startStripeMock() (string, *exec.Cmd, error) {
	bin, err := stripeMockBinary()
	if err != nil {
		return "", nil, err
	}
	// Both listeners named: given only one, stripe-mock also opens the other on its fixed port.
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:", "-https-addr", "127.0.0.1:")
	dieWithParent(cmd)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("start %s: %w", bin, err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "Listening for HTTP at address: "); ok {
				addr <- a
			}
		}
		_, _ = io.Copy(io.Discard, out) // keep its pipe drained
	}()
	select {
	case a := <-addr:
		return "http://" + a, cmd, nil
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return "", nil, fmt.Errorf("%s did not start listening within a minute: %s", bin, stderr.String())
	}
}

// stripeMockBinary finds stripe-mock on PATH or in Go's bin directory, and installs it there
// from the module proxy when it is in neither (about 25 seconds), so that a fresh checkout's
// `go test ./...` needs nothing set up by hand.
func stripeMockBinary() (string, error) {
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p, nil
	}
	env, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output()
	if err != nil {
		return "", fmt.Errorf("go env: %w", err)
	}
	// One line per variable: GOBIN's is empty when unset, so the output is not trimmed first
	// (that would read GOPATH as GOBIN).
	lines := strings.Split(strings.TrimRight(string(env), "\n"), "\n")
	dir := strings.TrimSpace(lines[0])
	if dir == "" && len(lines) > 1 {
		dir = filepath.Join(strings.Split(strings.TrimSpace(lines[1]), string(os.PathListSeparator))[0], "bin")
	}
	bin := filepath.Join(dir, "stripe-mock")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	install := exec.Command("go", "install", "github.com/stripe/stripe-mock@"+stripeMockVersion)
	if out, err := install.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install stripe-mock@%s: %w: %s", stripeMockVersion, err, out)
	}
	if _, err := os.Stat(bin); err != nil {
		return "", errors.New("go install put stripe-mock somewhere other than " + bin)
	}
	return bin, nil
}
