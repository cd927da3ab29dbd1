package main

import (
	"os"
	"os/exec"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	"github.com/repflow/repflow/platform/identity"
)

// addConnectors gives the company two connectors (the second a spare for the route walkers,
// which delete one), with a finished sync run and a pulled record, through the owner handle: the
// harness usually runs no connector binaries, and these rows stand for what sync writes.
func (c *company) addConnectors(h *harness, now time.Time) {
	h.t.Helper()
	db := h.app.store.Owner(h.t.Context())
	for _, name := range []string{"ERP", "Spare ERP"} {
		id := identity.NewID()
		rows := []struct {
			table string
			row   map[string]any
		}{
			{"connectors", map[string]any{"tenant_id": c.tenant, "id": id, "kind": "testconn", "name": name, "config": `{"records":3}`, "secrets": `{}`,
				"enabled": true, "state": "healthy", "message": "", "restarts": 0, "last_sync_error": "", "created_at": now, "updated_at": now}},
			{"sync_runs", map[string]any{"tenant_id": c.tenant, "id": identity.NewID(), "connector_id": id, "status": "done", "pending": "[]",
				"pulled": 1, "error": "", "started_at": now, "finished_at": now}},
			{"connector_records", map[string]any{"tenant_id": c.tenant, "connector_id": id, "entity": "items", "external_id": "item-1",
				"data": `{"n":1}`, "deleted": false, "pulled_at": now}},
		}
		for _, r := range rows {
			if err := db.Table(r.table).Create(r.row).Error; err != nil {
				h.t.Fatalf("%s: %v", r.table, err)
			}
		}
	}
}

var (
	testConnectorsOnce gosync.Once
	testConnectorsDir  string
	testConnectorsErr  error
)

// testConnectors builds the plugin host's test connector (plugins/host/testdata/testconn) once
// per test binary into a directory of its own, which a harness runs as REPFLOW_CONNECTORS_DIR.
func testConnectors(t testing.TB) string {
	t.Helper()
	testConnectorsOnce.Do(func() {
		if testConnectorsDir, testConnectorsErr = os.MkdirTemp("", "repflow-connectors-"); testConnectorsErr != nil {
			return
		}
		build := exec.Command("go", "build", "-o", filepath.Join(testConnectorsDir, "testconn"), "../../plugins/host/testdata/testconn")
		if out, err := build.CombinedOutput(); err != nil {
			testConnectorsErr = err
			t.Logf("go build testconn: %s", out)
		}
	})
	if testConnectorsErr != nil {
		t.Fatalf("build the test connector: %v", testConnectorsErr)
	}
	return testConnectorsDir
}

// removeTestConnectors removes what testConnectors built, when the tests are done.
func removeTestConnectors() {
	if testConnectorsDir != "" {
		_ = os.RemoveAll(testConnectorsDir)
	}
}
