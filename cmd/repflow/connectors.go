package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	gosync "sync"

	"github.com/repflow/repflow/plugins/host"
	"github.com/repflow/repflow/plugins/sdk"
)

// connectorRunner is sync's Runner over the plugin host: the connector binaries of one directory,
// each tenant connector one supervised process.
type connectorRunner struct {
	catalog    *host.Catalog
	supervisor *host.Supervisor
	// starting makes Starts one at a time: a sweep's check and a sync job may both find a
	// connector not running yet (after a restart of the server), and only one may start it.
	starting gosync.Mutex
	// configs is the digest of the configuration each instance was started with: Start with the
	// same configuration again is a no-op, another one restarts the instance with it. Guarded by
	// starting.
	configs map[string][sha256.Size]byte
}

// openConnectors discovers the connector binaries in dir; nil when dir is empty (a command that
// does not serve) or does not exist.
func openConnectors(dir string, log *slog.Logger) (*connectorRunner, error) {
	if dir == "" {
		return nil, nil
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		log.Info("no connectors: their directory does not exist", "dir", dir)
		return nil, nil
	}
	cat, err := host.Discover(context.Background(), dir, log)
	if err != nil {
		return nil, fmt.Errorf("REPFLOW_CONNECTORS_DIR: %w", err)
	}
	kinds := []string{}
	for _, d := range cat.Kinds() {
		kinds = append(kinds, d.Kind+" "+d.Version)
	}
	log.Info("connectors", "dir", dir, "kinds", kinds)
	return &connectorRunner{catalog: cat, supervisor: host.NewSupervisor(cat, host.Options{}, log),
		configs: map[string][sha256.Size]byte{}}, nil
}

func (r *connectorRunner) Kinds() []sdk.Description { return r.catalog.Kinds() }

func (r *connectorRunner) Start(ctx context.Context, id, kind string, config json.RawMessage) ([]sdk.FieldError, error) {
	digest := sha256.Sum256(append([]byte(kind+"\x00"), config...))
	r.starting.Lock()
	defer r.starting.Unlock()
	same := r.configs[id] == digest
	running, _ := r.Running(id)
	if same && running {
		return nil, nil
	}
	if running { // with another configuration: a new process takes the new one
		_ = r.supervisor.Stop(id)
	}
	refused, err := r.supervisor.Start(ctx, id, kind, config)
	if errors.Is(err, host.ErrConfigRefused) {
		err = nil // the refusal is the field errors, for the caller to show
	}
	if err != nil || len(refused) > 0 {
		delete(r.configs, id)
	} else {
		r.configs[id] = digest
	}
	return refused, err
}

func (r *connectorRunner) Running(id string) (bool, int) {
	h, ok := r.supervisor.Health(id)
	if !ok {
		return false, 0
	}
	return h.State != host.StateStopped && h.State != host.StateFailed, h.Restarts
}

func (r *connectorRunner) Stop(id string) {
	r.starting.Lock()
	delete(r.configs, id)
	r.starting.Unlock()
	_ = r.supervisor.Stop(id) // an id never started, or stopped already: nothing runs either way
}

func (r *connectorRunner) Check(ctx context.Context, id string) error {
	return inWords(r.supervisor.Check(ctx, id), "check "+id+": ")
}

func (r *connectorRunner) Pull(ctx context.Context, id string, req sdk.PullRequest, send func(sdk.Record) error) error {
	return inWords(r.supervisor.Pull(ctx, id, req, send), "pull "+req.Entity+" "+id+": ")
}

// inWords is err as an administrator reads it on the connector's page: without the host's
// operation and instance id before the connector's own words. errors.Is still sees the cause.
func inWords(err error, prefix string) error {
	if err == nil || !strings.HasPrefix(err.Error(), prefix) {
		return err
	}
	return worded{msg: strings.TrimPrefix(err.Error(), prefix), cause: err}
}

type worded struct {
	msg   string
	cause error
}

func (w worded) Error() string { return w.msg }
func (w worded) Unwrap() error { return w.cause }

// Shutdown stops every connector process.
func (r *connectorRunner) Shutdown() {
	if r != nil {
		r.supervisor.Shutdown()
	}
}
