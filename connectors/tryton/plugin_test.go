package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-plugin"

	"github.com/repflow/repflow/plugins/sdk"
)

// TestPluginProcess builds the connector binary and drives it the way the host does: a real
// plugin process over go-plugin's gRPC, against the real trytond.
func TestPluginProcess(t *testing.T) {
	db := newDatabase(t)
	newAdmin(t, db).create("party.party", map[string]any{"name": "Over gRPC"})

	bin := filepath.Join(t.TempDir(), "tryton")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  sdk.Handshake,
		VersionedPlugins: sdk.VersionedPlugins,
		Cmd:              exec.Command(bin),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
	})
	defer client.Kill()
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("start plugin: %v", err)
	}
	raw, err := rpc.Dispense(sdk.PluginName)
	if err != nil {
		t.Fatalf("dispense: %v", err)
	}
	conn := raw.(sdk.Connector)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	d, err := conn.Describe(ctx)
	if err != nil || d.Kind != "tryton" || len(d.Entities) != 4 {
		t.Fatalf("Describe = %+v, %v", d, err)
	}
	errs, err := conn.Configure(ctx, json.RawMessage(`{"url":"gopher://x"}`))
	if err != nil || len(errs) != 4 || errs[0].Field != "/url" {
		t.Errorf("Configure with a bad config = %v, %v", errs, err)
	}
	cfg := fmt.Sprintf(`{"url":%q,"database":%q,"username":"admin","password":%q,"settle_seconds":0}`, server.url, db, adminPassword)
	if errs, err := conn.Configure(ctx, json.RawMessage(cfg)); err != nil || len(errs) > 0 {
		t.Fatalf("Configure: %v, %v", errs, err)
	}
	if err := conn.Check(ctx); err != nil {
		t.Fatalf("Check: %v", err)
	}
	var got []sdk.Record
	err = conn.Pull(ctx, sdk.PullRequest{Entity: "customers"}, func(r sdk.Record) error {
		got = append(got, r)
		return nil
	})
	if err != nil || len(got) != 2 || !strings.Contains(string(got[1].Data), `"name":"Over gRPC"`) || got[1].Cursor == "" {
		t.Fatalf("Pull = %d records %v", len(got), err)
	}
	var after []sdk.Record
	if err := conn.Pull(ctx, sdk.PullRequest{Entity: "customers", Cursor: got[0].Cursor}, func(r sdk.Record) error {
		after = append(after, r)
		return nil
	}); err != nil || len(after) != 1 || after[0].ExternalID != got[1].ExternalID {
		t.Errorf("Pull after the first cursor = %v, %v", after, err)
	}
	expired, cancelExpired := context.WithDeadline(ctx, time.Now().Add(-time.Second))
	defer cancelExpired()
	if err := conn.Check(expired); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Check past its deadline = %v", err)
	}
}
