package host

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/repflow/repflow/plugins/sdk"
)

// instance is one configured connector and the process currently serving it.
type instance struct {
	id     string
	bin    Binary
	config json.RawMessage
	opts   Options
	log    *slog.Logger

	// calls holds one token: sdk.Connector promises a connector one call at a time.
	calls chan struct{}

	mu       sync.Mutex
	proc     *process // nil while starting, restarting, failed or stopped
	gen      uint64
	launch   *launch // non-nil while a process is being started
	restarts []time.Time
	health   Health
	stopped  bool

	stopCh chan struct{} // closed by stop
	wg     sync.WaitGroup
}

// launch is one start of a process. Whoever notices a dead process begins it; everyone else who
// needs the process waits for done instead of starting another one.
type launch struct {
	done chan struct{}
	kick chan struct{} // a waiting call: skip the backoff
}

func newInstance(id string, bin Binary, config json.RawMessage, opts Options, log *slog.Logger) *instance {
	in := &instance{
		id:     id,
		bin:    bin,
		config: config,
		opts:   opts,
		log:    log.With("connector_id", id, "connector_kind", bin.Description.Kind),
		calls:  make(chan struct{}, 1),
		launch: newLaunch(),
		health: Health{State: StateStarting},
		stopCh: make(chan struct{}),
	}
	in.wg.Add(1) // for start, so a stop before start has begun still waits for it
	return in
}

func newLaunch() *launch {
	return &launch{done: make(chan struct{}), kick: make(chan struct{}, 1)}
}

func (in *instance) active() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	switch in.health.State {
	case StateStarting, StateRunning, StateRestarting:
		return true
	}
	return false
}

// start is the first launch; it fails for good rather than retrying, so the caller hears why.
func (in *instance) start(ctx context.Context) ([]sdk.FieldError, error) {
	defer in.wg.Done()
	l := in.launch
	p, fes, err := in.run(ctx)
	if err != nil {
		in.fail(l, err)
		return fes, fmt.Errorf("start %s: %w", in.id, err)
	}
	if !in.install(l, p) {
		return nil, fmt.Errorf("start %s: %w", in.id, ErrStopped)
	}
	in.wg.Add(1)
	go in.watch()
	return nil, nil
}

// run starts a process and configures it.
func (in *instance) run(ctx context.Context) (*process, []sdk.FieldError, error) {
	p, err := spawn(in.bin, in.opts.StartTimeout, in.log)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := withCallTimeout(ctx, in.opts.CallTimeout)
	defer cancel()
	fes, err := p.conn.Configure(ctx, in.config)
	if err == nil && len(fes) > 0 {
		err = fmt.Errorf("%w: %s", ErrConfigRefused, fieldErrorsText(fes))
	}
	if err != nil {
		p.kill()
		return nil, fes, fmt.Errorf("configure: %w", err)
	}
	return p, nil, nil
}

func fieldErrorsText(fes []sdk.FieldError) string {
	parts := make([]string, 0, len(fes))
	for _, fe := range fes {
		parts = append(parts, fe.Field+": "+fe.Message)
	}
	return strings.Join(parts, "; ")
}

// install makes p the serving process and ends launch l; false when the instance was stopped
// meanwhile (p is killed then).
func (in *instance) install(l *launch, p *process) bool {
	in.mu.Lock()
	if in.stopped {
		in.launch = nil
		in.mu.Unlock()
		close(l.done)
		p.kill()
		return false
	}
	in.gen++
	p.gen = in.gen
	in.proc = p
	in.launch = nil
	in.health.State = StateRunning
	in.health.StartedAt = time.Now()
	in.mu.Unlock()
	close(l.done)
	in.log.Info("connector running", "pid", p.pid)
	return true
}

// fail gives up on the instance and ends launch l.
func (in *instance) fail(l *launch, err error) {
	in.mu.Lock()
	in.launch = nil
	stopped := in.stopped
	if !stopped {
		in.health.State = StateFailed
		in.health.LastError = err.Error()
	}
	in.mu.Unlock()
	close(l.done)
	if !stopped {
		in.log.Error("connector failed", "error", err)
	}
}

// ready returns the serving process, waiting for a launch under way (and cutting its backoff
// short: someone needs the process now).
func (in *instance) ready(ctx context.Context) (*process, error) {
	for {
		in.mu.Lock()
		p, l, h := in.proc, in.launch, in.health
		in.mu.Unlock()
		switch {
		case p != nil:
			return p, nil
		case l != nil:
			select {
			case l.kick <- struct{}{}:
			default:
			}
			select {
			case <-l.done:
				continue
			case <-ctx.Done():
				return nil, fmt.Errorf("waiting for the process to start: %w", ctx.Err())
			}
		case h.State == StateFailed:
			return nil, fmt.Errorf("%w: %s", ErrFailed, h.LastError)
		default:
			return nil, ErrStopped
		}
	}
}

// stop kills the process and waits for the instance's goroutines; a launch under way kills
// what it starts.
func (in *instance) stop() {
	in.mu.Lock()
	var p *process
	if !in.stopped {
		in.stopped = true
		close(in.stopCh)
		p, in.proc = in.proc, nil
		in.health.State = StateStopped
	}
	in.mu.Unlock()
	if p != nil {
		p.kill()
	}
	in.wg.Wait()
}

func withCallTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}
