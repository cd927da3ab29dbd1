package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/repflow/repflow/plugins/sdk"
)

var (
	ErrUnknownKind    = errors.New("no connector of this kind")
	ErrUnknownID      = errors.New("no connector instance with this id")
	ErrAlreadyStarted = errors.New("connector instance already started")
	ErrConfigRefused  = errors.New("configuration refused")
	// ErrCrashed: the process died during a Pull. The records already handed to send are
	// valid; resume from the last committed cursor (the host restarts the process).
	ErrCrashed  = errors.New("connector process crashed")
	ErrFailed   = errors.New("connector instance failed")
	ErrStopped  = errors.New("connector instance stopped")
	ErrShutdown = errors.New("connector host shut down")
)

// Options tunes supervision; zero fields take the defaults.
type Options struct {
	StartTimeout  time.Duration // for a process to start and give its address; default 10 s
	CallTimeout   time.Duration // a call's deadline when its ctx has none; default 30 s
	PingEvery     time.Duration // health ping and crash check; default 10 s
	FirstBackoff  time.Duration // before the first restart; default 1 s, doubling
	MaxBackoff    time.Duration // default 1 min
	MaxRestarts   int           // in RestartWindow before giving up; default 5
	RestartWindow time.Duration // default 10 min
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.StartTimeout, 10*time.Second)
	def(&o.CallTimeout, 30*time.Second)
	def(&o.PingEvery, 10*time.Second)
	def(&o.FirstBackoff, time.Second)
	def(&o.MaxBackoff, time.Minute)
	def(&o.RestartWindow, 10*time.Minute)
	if o.MaxRestarts <= 0 {
		o.MaxRestarts = 5
	}
	return o
}

// Supervisor runs connector instances, one process each, keyed by the tenant's connector id.
type Supervisor struct {
	cat  *Catalog
	opts Options
	log  *slog.Logger

	mu        sync.Mutex
	instances map[string]*instance
	shutdown  bool
}

func NewSupervisor(cat *Catalog, opts Options, log *slog.Logger) *Supervisor {
	if log == nil {
		log = slog.Default()
	}
	return &Supervisor{cat: cat, opts: opts.withDefaults(), log: log, instances: map[string]*instance{}}
}

// Start runs a process of kind for id and configures it with config. When the connector
// refuses the configuration, Start returns its field errors with ErrConfigRefused and the
// instance is failed. An id whose instance is stopped or failed may be started again.
func (s *Supervisor) Start(ctx context.Context, id, kind string, config json.RawMessage) ([]sdk.FieldError, error) {
	bin, ok := s.cat.Lookup(kind)
	if !ok {
		return nil, fmt.Errorf("start %s: %w: %q", id, ErrUnknownKind, kind)
	}
	in := newInstance(id, bin, config, s.opts, s.log)
	s.mu.Lock()
	if s.shutdown {
		s.mu.Unlock()
		return nil, fmt.Errorf("start %s: %w", id, ErrShutdown)
	}
	old := s.instances[id]
	if old != nil && old.active() {
		s.mu.Unlock()
		return nil, fmt.Errorf("start %s: %w", id, ErrAlreadyStarted)
	}
	s.instances[id] = in
	s.mu.Unlock()
	if old != nil {
		old.stop() // a failed one may still run its ping loop
	}
	return in.start(ctx)
}

// Stop kills id's process and stops supervising it.
func (s *Supervisor) Stop(id string) error {
	in, err := s.instance(id)
	if err != nil {
		return fmt.Errorf("stop %s: %w", id, err)
	}
	in.stop()
	return nil
}

// Shutdown kills every process, in parallel, and waits for them to exit; nothing starts after.
// Processes are also go-plugin "managed", so plugin.CleanupClients at exit would catch any left.
func (s *Supervisor) Shutdown() {
	s.mu.Lock()
	s.shutdown = true
	all := make([]*instance, 0, len(s.instances))
	for _, in := range s.instances {
		all = append(all, in)
	}
	s.mu.Unlock()
	var wg sync.WaitGroup
	for _, in := range all {
		wg.Go(in.stop)
	}
	wg.Wait()
}

func (s *Supervisor) instance(id string) (*instance, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.instances[id]
	if in == nil {
		return nil, ErrUnknownID
	}
	return in, nil
}
