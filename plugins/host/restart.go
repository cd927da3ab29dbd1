package host

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/go-plugin"
)

// Crashes are noticed two ways: the ping loop (watch) finds the process exited or silent, or a
// call fails and the process turns out dead. Either way replace starts one restart per dead
// process; whoever else needs the process waits for it (instance.ready).

// replace restarts the process of generation gen, which is dead. Only the first to notice
// restarts it: when a launch is already under way, or gen was already replaced, it does nothing.
// A replacement noticed by a call starts at once; one noticed by the ping loop backs off first.
func (in *instance) replace(gen uint64, cause error, now bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.launch != nil || in.proc == nil || in.proc.gen != gen {
		return
	}
	l := newLaunch()
	old := in.proc
	in.proc = nil
	in.launch = l
	in.health.State = StateRestarting
	in.health.LastError = cause.Error()
	in.wg.Add(1)
	go in.restart(l, old, now)
}

// restart replaces old with a new, re-configured process, backing off between attempts, until
// one runs or MaxRestarts in RestartWindow are used up.
func (in *instance) restart(l *launch, old *process, now bool) {
	defer in.wg.Done()
	in.log.Warn("connector process down, restarting", "pid", old.pid)
	old.killNow()
	wait := !now
	for {
		if wait && !in.backoff(l) {
			in.fail(l, ErrStopped)
			return
		}
		wait = true
		if err := in.countRestart(); err != nil {
			in.fail(l, err)
			return
		}
		p, _, err := in.run(context.Background())
		if err == nil {
			in.install(l, p)
			return
		}
		if errors.Is(err, plugin.ErrChecksumsDoNotMatch) || errors.Is(err, ErrConfigRefused) {
			in.fail(l, err) // the same again would be refused again
			return
		}
		in.log.Warn("connector restart failed", "error", err)
		in.mu.Lock()
		in.health.LastError = err.Error()
		in.mu.Unlock()
	}
}

// countRestart records one restart, or says why there may be no more.
func (in *instance) countRestart() error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if n := in.recentRestarts(); n >= in.opts.MaxRestarts {
		return fmt.Errorf("gave up after %d restarts in %v; last error: %s", n, in.opts.RestartWindow, in.health.LastError)
	}
	in.restarts = append(in.restarts, time.Now())
	in.health.Restarts++
	return nil
}

// recentRestarts forgets restarts older than RestartWindow and counts the others; in.mu is held.
func (in *instance) recentRestarts() int {
	cutoff := time.Now().Add(-in.opts.RestartWindow)
	in.restarts = slices.DeleteFunc(in.restarts, func(t time.Time) bool { return !t.After(cutoff) })
	return len(in.restarts)
}

// backoff waits FirstBackoff doubled per restart in the window, at most MaxBackoff; false when
// the instance is stopped meanwhile.
func (in *instance) backoff(l *launch) bool {
	in.mu.Lock()
	d := in.opts.FirstBackoff << min(in.recentRestarts(), 30)
	in.mu.Unlock()
	if d <= 0 || d > in.opts.MaxBackoff {
		d = in.opts.MaxBackoff
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-l.kick:
	case <-in.stopCh:
		return false
	}
	return true
}

// watch pings the process every PingEvery and replaces it when it is gone or does not answer.
func (in *instance) watch() {
	defer in.wg.Done()
	t := time.NewTicker(in.opts.PingEvery)
	defer t.Stop()
	for {
		select {
		case <-in.stopCh:
			return
		case <-t.C:
		}
		in.mu.Lock()
		p := in.proc
		in.mu.Unlock()
		if p == nil {
			continue
		}
		if err := p.alive(); err != nil {
			in.replace(p.gen, err, false)
			continue
		}
		in.mu.Lock()
		if in.proc == p {
			in.health.LastPingAt = time.Now()
		}
		in.mu.Unlock()
	}
}
