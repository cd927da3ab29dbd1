package host

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"time"

	"github.com/hashicorp/go-plugin"

	"github.com/repflow/repflow/plugins/sdk"
)

// pingTimeout bounds one health ping: go-plugin's Ping has no deadline of its own, and a
// stopped process would otherwise hold the ping loop forever.
const pingTimeout = 5 * time.Second

// connectorEnv is what a connector process inherits of the host's environment. Connectors are
// third-party code: they get what a program needs to run and reach the network, not the host's
// database URL or API keys.
var connectorEnv = []string{
	"PATH", "HOME", "TMPDIR", "TZ", "LANG", "LC_ALL",
	"SSL_CERT_FILE", "SSL_CERT_DIR",
	"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
	"GOCOVERDIR",
}

// process is one running connector process.
type process struct {
	cmd    *exec.Cmd
	client *plugin.Client
	rpc    plugin.ClientProtocol
	conn   sdk.Connector
	pid    int
	gen    uint64 // which start of its instance this is
}

// spawn starts bin and connects to it. go-plugin refuses a file whose checksum is no longer
// the one discovery recorded.
func spawn(bin Binary, startTimeout time.Duration, log *slog.Logger) (*process, error) {
	cmd := exec.Command(bin.Path)
	for _, k := range connectorEnv {
		if v, ok := os.LookupEnv(k); ok {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  sdk.Handshake,
		VersionedPlugins: sdk.VersionedPlugins,
		Cmd:              cmd,
		SkipHostEnv:      true,
		SecureConfig:     &plugin.SecureConfig{Checksum: bin.SHA256, Hash: sha256.New()},
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Managed:          true,
		StartTimeout:     startTimeout,
		Logger:           pluginLogger(log),
		SyncStdout:       newLineWriter(log.With("stream", "stdout")),
		SyncStderr:       newLineWriter(log.With("stream", "stderr")),
	})
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("start %s: %w", bin.Path, err)
	}
	raw, err := rpc.Dispense(sdk.PluginName)
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("start %s: %w", bin.Path, err)
	}
	conn, ok := raw.(sdk.Connector)
	if !ok {
		client.Kill()
		return nil, fmt.Errorf("start %s: plugin is a %T, not a connector", bin.Path, raw)
	}
	return &process{cmd: cmd, client: client, rpc: rpc, conn: conn, pid: cmd.Process.Pid}, nil
}

var errExited = errors.New("process exited")

// alive says why the process cannot serve calls, or nil when it answers a ping.
func (p *process) alive() error {
	if p.client.Exited() {
		return errExited
	}
	answer := make(chan error, 1)
	go func() { answer <- p.rpc.Ping() }()
	t := time.NewTimer(pingTimeout)
	defer t.Stop()
	select {
	case err := <-answer:
		if err != nil {
			return fmt.Errorf("ping: %w", err)
		}
		return nil
	case <-t.C:
		return fmt.Errorf("ping: no answer in %v", pingTimeout)
	}
}

// killGrace bounds go-plugin's graceful Kill: it sends a Shutdown RPC without a deadline, which
// a process that is stopped or wedged never answers.
const killGrace = 5 * time.Second

// kill ends the process gracefully as go-plugin does, forcibly if that takes too long, and waits
// for it to be gone.
func (p *process) kill() {
	done := make(chan struct{})
	go func() {
		p.client.Kill()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(killGrace):
		p.killNow()
		<-done
	}
}

// killNow kills the process without asking, for one that is dead or no longer answers, then
// lets go-plugin clean up. The signal goes through the os.Process handle (a pidfd on Linux), so
// it cannot reach another process that was given the pid after this one was reaped.
func (p *process) killNow() {
	_ = p.cmd.Process.Kill()
	p.client.Kill()
}
