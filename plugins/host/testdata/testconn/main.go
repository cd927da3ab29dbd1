// Command testconn is a connector used only by the host's tests. Its configuration tells it how
// to misbehave, so the tests can watch the host supervise a real process that crashes, hangs or
// refuses to start.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/repflow/repflow/plugins/sdk"
)

type config struct {
	Records           int    `json:"records"`              // the "items" entity holds items 1..Records
	CrashAfterRecord  int    `json:"crash_after_record"`   // exit once item N has been sent
	CrashOnceFile     string `json:"crash_once_file"`      // with CrashAfterRecord: only while this file does not exist; made on the crash
	Hang              bool   `json:"hang"`                 // Check never returns, whatever its ctx says
	ExitOnConfigure   bool   `json:"exit_on_configure"`    // exit while being configured
	ExitOnConfigureIf string `json:"exit_on_configure_if"` // exit while being configured if this file exists
	CallDelayMS       int    `json:"call_delay_ms"`        // Check and Push take this long
}

type connector struct {
	log      *slog.Logger
	cfg      atomic.Pointer[config]
	inFlight atomic.Int32 // the host promises one call at a time; this checks it
}

func main() {
	sdk.Serve(&connector{log: sdk.Logger()})
}

// enter fails a call that overlaps another one.
func (c *connector) enter() (func(), error) {
	if c.inFlight.Add(1) > 1 {
		c.inFlight.Add(-1)
		return nil, errors.New("overlapping calls: the host must call one at a time")
	}
	return func() { c.inFlight.Add(-1) }, nil
}

func (c *connector) Describe(context.Context) (sdk.Description, error) {
	return sdk.Description{
		Kind:         "testconn",
		DisplayName:  "Test connector",
		Version:      "0.0.1",
		Entities:     []sdk.Entity{{Name: "items", Direction: sdk.Both, Description: "numbered items"}},
		ConfigSchema: json.RawMessage(`{"type":"object","properties":{"records":{"type":"integer","minimum":0}}}`),
	}, nil
}

func (c *connector) Configure(_ context.Context, raw json.RawMessage) ([]sdk.FieldError, error) {
	leave, err := c.enter()
	if err != nil {
		return nil, err
	}
	defer leave()
	cfg := config{Records: 10}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return []sdk.FieldError{{Field: "", Message: "not a JSON object: " + err.Error()}}, nil
	}
	if cfg.Records < 0 {
		return []sdk.FieldError{{Field: "/records", Message: "must not be negative"}}, nil
	}
	if cfg.ExitOnConfigure {
		os.Exit(3)
	}
	if cfg.ExitOnConfigureIf != "" {
		if _, err := os.Stat(cfg.ExitOnConfigureIf); err == nil {
			os.Exit(3)
		}
	}
	c.cfg.Store(&cfg)
	c.log.Info("configured", "records", cfg.Records)
	fmt.Fprintln(os.Stderr, "plain stderr line from configure")
	return nil, nil
}

func (c *connector) config() (*config, error) {
	cfg := c.cfg.Load()
	if cfg == nil {
		return nil, errors.New("not configured")
	}
	return cfg, nil
}

func (c *connector) Check(ctx context.Context) error {
	cfg, err := c.config()
	if err != nil {
		return err
	}
	if cfg.Hang {
		// Outside enter: the host has given up on this call by the time another one comes.
		time.Sleep(time.Hour)
	}
	leave, err := c.enter()
	if err != nil {
		return err
	}
	defer leave()
	return delay(ctx, cfg.CallDelayMS)
}

func delay(ctx context.Context, ms int) error {
	select {
	case <-time.After(time.Duration(ms) * time.Millisecond):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *connector) Pull(ctx context.Context, req sdk.PullRequest, send func(sdk.Record) error) error {
	leave, err := c.enter()
	if err != nil {
		return err
	}
	defer leave()
	cfg, err := c.config()
	if err != nil {
		return err
	}
	if req.Entity != "items" {
		return fmt.Errorf("no entity %q", req.Entity)
	}
	after := 0
	if req.Cursor != "" {
		if after, err = strconv.Atoi(req.Cursor); err != nil {
			return fmt.Errorf("bad cursor %q", req.Cursor)
		}
	}
	sent := 0
	for n := after + 1; n <= cfg.Records && (req.Limit == 0 || sent < req.Limit); n++ {
		rec := sdk.Record{
			Entity:     "items",
			ExternalID: "item-" + strconv.Itoa(n),
			Data:       json.RawMessage(fmt.Sprintf(`{"n":%d,"pid":%d}`, n, os.Getpid())),
			Cursor:     strconv.Itoa(n),
		}
		if err := send(rec); err != nil {
			return err
		}
		sent++
		if n == cfg.CrashAfterRecord && crashNow(cfg.CrashOnceFile) {
			time.Sleep(200 * time.Millisecond) // let the records sent so far reach the host
			os.Exit(4)
		}
	}
	return ctx.Err()
}

// crashNow says whether to crash: always without a marker file, else only the first time, which
// leaves the marker behind.
func crashNow(marker string) bool {
	if marker == "" {
		return true
	}
	if _, err := os.Stat(marker); err == nil {
		return false
	}
	return os.WriteFile(marker, nil, 0o600) == nil
}

func (c *connector) Push(ctx context.Context, entity string, records []sdk.Record) ([]sdk.PushResult, error) {
	leave, err := c.enter()
	if err != nil {
		return nil, err
	}
	defer leave()
	cfg, err := c.config()
	if err != nil {
		return nil, err
	}
	if err := delay(ctx, cfg.CallDelayMS); err != nil {
		return nil, err
	}
	var out []sdk.PushResult
	for _, r := range records {
		var data struct{ Reject string }
		_ = json.Unmarshal(r.Data, &data)
		if data.Reject != "" {
			out = append(out, sdk.PushResult{ExternalID: r.ExternalID, Error: data.Reject})
			continue
		}
		out = append(out, sdk.PushResult{ExternalID: r.ExternalID, OK: true, RemoteID: fmt.Sprintf("r-%s-%d", r.ExternalID, os.Getpid())})
	}
	return out, nil
}
