package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/platform/sync"
	"github.com/repflow/repflow/tenants"
)

// connectorHarness runs the product with the plugin host's test connector installed; a sync page
// is three records, and a failed page is tried again after 50 ms. As in every harness, the
// scheduled sweep is off: it would check connectors and start syncs in the middle of a test, at
// a moment that depends on the machine. Tests call CheckAll instead.
func connectorHarness(t *testing.T, settings ...func(*config)) *harness {
	dir := testConnectors(t)
	return harnessOn(t, storetest.Open(t), true, append([]func(*config){func(c *config) {
		c.ConnectorsDir, c.syncPageSize, c.syncRetryAfter = dir, 3, 50*time.Millisecond
	}}, settings...)...)
}

type pulled struct {
	Records []struct {
		ExternalID string         `json:"external_id"`
		Data       map[string]any `json:"data"`
	} `json:"records"`
	NextCursor *string `json:"next_cursor"`
}

// waitForRun polls the connector's newest run until it has finished.
func (h *harness) waitForRun(token, connector string) sync.RunDTO {
	h.t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var runs struct{ Runs []sync.RunDTO }
		if code := h.call(token, http.MethodGet, "/api/v1/connectors/"+connector+"/runs", nil, &runs); code != http.StatusOK {
			h.t.Fatalf("runs: %d %+v", code, runs)
		}
		if len(runs.Runs) > 0 && (runs.Runs[0].Status == "done" || runs.Runs[0].Status == "failed") {
			return runs.Runs[0]
		}
	}
	h.t.Fatal("the sync run did not finish within 2 minutes")
	return sync.RunDTO{}
}

// A tenant admin adds a connector (its configuration checked by the connector itself), checks it,
// and syncs it: every record arrives once, in pages committed with their cursor, across a crash of
// the connector's process in the middle of a page and jobs that each pull one page and hand the
// run on; the next sync resumes where the last one ended.
func TestConnectorSyncResumesAcrossACrash(t *testing.T) {
	h := connectorHarness(t, func(c *config) { c.syncRunSlice = time.Nanosecond })
	c := h.company("Sync Foods")
	admin := c.tokens["admin"]

	var kinds struct{ Kinds []sync.KindDTO }
	if code := h.call(admin, http.MethodGet, "/api/v1/connectors/kinds", nil, &kinds); code != http.StatusOK ||
		len(kinds.Kinds) != 1 || kinds.Kinds[0].Kind != "testconn" || kinds.Kinds[0].Entities[0].Name != "items" {
		t.Fatalf("kinds: %d %+v", code, kinds)
	}
	// Connectors are configuration: a rep and a manager are refused.
	for _, who := range []string{"rep", "manager"} {
		if code, body := h.raw(c.tokens[who], http.MethodGet, "/api/v1/connectors", nil); code != http.StatusForbidden {
			t.Errorf("%s lists connectors: %d %s", who, code, body)
		}
	}

	// The connector refuses a field: named where it is, and nothing is kept.
	code, body := h.raw(admin, http.MethodPost, "/api/v1/connectors", map[string]any{"kind": "testconn", "name": "Items", "config": map[string]any{"records": -1}})
	if code != http.StatusBadRequest || !strings.Contains(body, `"location":"body.config.records"`) || !strings.Contains(body, "must not be negative") {
		t.Fatalf("a refused configuration: %d %s", code, body)
	}
	if code, body = h.raw(admin, http.MethodPost, "/api/v1/connectors", map[string]any{"kind": "salesforce", "name": "Items", "config": map[string]any{}}); code != http.StatusBadRequest ||
		!strings.Contains(body, "body.kind") || !strings.Contains(body, "testconn") {
		t.Fatalf("an unknown kind: %d %s", code, body)
	}

	marker := filepath.Join(t.TempDir(), "crashed")
	var conn sync.ConnectorDTO
	code = h.call(admin, http.MethodPost, "/api/v1/connectors", map[string]any{"kind": "testconn", "name": "Items",
		"config": map[string]any{"records": 8, "crash_after_record": 5, "crash_once_file": marker}}, &conn)
	if code != http.StatusCreated || conn.Health.State != "unknown" || !conn.Enabled {
		t.Fatalf("create: %d %+v", code, conn)
	}
	if code, body = h.raw(admin, http.MethodPost, "/api/v1/connectors", map[string]any{"kind": "testconn", "name": "Items", "config": map[string]any{}}); code != http.StatusConflict ||
		!strings.Contains(body, "name_taken") {
		t.Fatalf("a second connector of the same name: %d %s", code, body)
	}
	id := conn.ID.String()
	if code = h.call(admin, http.MethodPost, "/api/v1/connectors/"+id+"/check", nil, &conn); code != http.StatusOK ||
		conn.Health.State != "healthy" || conn.Health.CheckedAt == nil {
		t.Fatalf("check: %d %+v", code, conn.Health)
	}

	var run sync.RunDTO
	if code = h.call(admin, http.MethodPost, "/api/v1/connectors/"+id+"/sync", nil, &run); code != http.StatusAccepted || run.Status != "queued" {
		t.Fatalf("sync: %d %+v", code, run)
	}
	run = h.waitForRun(admin, id)
	if run.Status != "done" || run.Pulled != 8 || run.Error != "" {
		t.Fatalf("the run: %+v", run)
	}
	var items pulled
	if code = h.call(admin, http.MethodGet, "/api/v1/connectors/"+id+"/records?entity=items&limit=500", nil, &items); code != http.StatusOK {
		t.Fatalf("records: %d", code)
	}
	var ids []string
	pids := map[string]bool{}
	for _, r := range items.Records {
		ids = append(ids, r.ExternalID)
		pids[fmt.Sprint(r.Data["pid"])] = true
	}
	slices.Sort(ids)
	want := []string{"item-1", "item-2", "item-3", "item-4", "item-5", "item-6", "item-7", "item-8"}
	if !slices.Equal(ids, want) {
		t.Fatalf("records %v, want %v", ids, want)
	}
	// The process died after sending item 5 of the second page: that page was pulled again
	// from the cursor after item 3, by a new process.
	if len(pids) != 2 {
		t.Fatalf("records came from %d processes, want 2 (one crash): %v", len(pids), pids)
	}
	if code = h.call(admin, http.MethodPost, "/api/v1/connectors/"+id+"/check", nil, &conn); code != http.StatusOK || conn.Health.Restarts != 1 ||
		conn.Health.LastSyncAt == nil || conn.Health.LastSyncError != "" {
		t.Fatalf("after the run: %d %+v", code, conn.Health)
	}

	// The remote system gains two records; the next sync pulls only those. The configuration
	// changes through the API (a new process configured with it).
	if code = h.call(admin, http.MethodPatch, "/api/v1/connectors/"+id, map[string]any{"config": map[string]any{"records": 10}}, &conn); code != http.StatusOK {
		t.Fatalf("reconfigure: %d", code)
	}
	h.call(admin, http.MethodPost, "/api/v1/connectors/"+id+"/sync", nil, nil)
	if run = h.waitForRun(admin, id); run.Status != "done" || run.Pulled != 2 {
		t.Fatalf("the second run: %+v", run)
	}

	// Switched off: not synced, and said so.
	if code = h.call(admin, http.MethodPatch, "/api/v1/connectors/"+id, map[string]any{"enabled": false}, &conn); code != http.StatusOK || conn.Health.State != "disabled" {
		t.Fatalf("switch off: %d %+v", code, conn.Health)
	}
	if code, body = h.raw(admin, http.MethodPost, "/api/v1/connectors/"+id+"/sync", nil); code != http.StatusConflict || !strings.Contains(body, "connector_disabled") {
		t.Fatalf("sync while off: %d %s", code, body)
	}
	// Deleted with what it pulled.
	if code = h.call(admin, http.MethodDelete, "/api/v1/connectors/"+id, nil, nil); code != http.StatusNoContent {
		t.Fatalf("delete: %d", code)
	}
	var left int64
	if err := h.app.store.Owner(t.Context()).Table("connector_records").Where("connector_id = ?", conn.ID).Count(&left).Error; err != nil || left != 0 {
		t.Fatalf("%d records left after the delete (%v)", left, err)
	}
}

// A run whose connector fails every attempt at a page ends failed, with the reason on the run and
// on the connector, after the retries; the records of the pages before stay committed.
func TestConnectorSyncFailsAfterRetries(t *testing.T) {
	h := connectorHarness(t)
	c := h.company("Failing Foods")
	admin := c.tokens["admin"]
	var conn sync.ConnectorDTO
	if code := h.call(admin, http.MethodPost, "/api/v1/connectors", map[string]any{"kind": "testconn", "name": "Crashing",
		"config": map[string]any{"records": 8, "crash_after_record": 5}}, &conn); code != http.StatusCreated {
		t.Fatalf("create: %d", code)
	}
	id := conn.ID.String()
	h.call(admin, http.MethodPost, "/api/v1/connectors/"+id+"/sync", nil, nil)
	run := h.waitForRun(admin, id)
	if run.Status != "failed" || run.Pulled != 3 || !strings.HasPrefix(run.Error, "items: ") || !strings.Contains(run.Error, "after 4 attempts") ||
		strings.Contains(run.Error, id) { // in words: no process or instance ids
		t.Fatalf("the run: %+v", run)
	}
	var items pulled
	h.call(admin, http.MethodGet, "/api/v1/connectors/"+id+"/records", nil, &items)
	if len(items.Records) != 3 {
		t.Fatalf("%d records kept, want the first page's 3", len(items.Records))
	}
	h.call(admin, http.MethodGet, "/api/v1/connectors/"+id, nil, &conn)
	if conn.Health.LastSyncError != run.Error {
		t.Fatalf("the connector's last sync error %q, want the run's %q", conn.Health.LastSyncError, run.Error)
	}
}

// Syncs asked for at once start one run: the others are told a sync is under way. The job queue
// is left off, so the run stays open while the clicks arrive however slowly they are served.
func TestConcurrentSyncsStartOneRun(t *testing.T) {
	h := harnessOn(t, storetest.Open(t), false, func(c *config) { c.ConnectorsDir = testConnectors(t) })
	c := h.company("Eager Foods")
	admin := c.tokens["admin"]
	var conn sync.ConnectorDTO
	if code := h.call(admin, http.MethodPost, "/api/v1/connectors", map[string]any{"kind": "testconn", "name": "Items", "config": map[string]any{}}, &conn); code != http.StatusCreated {
		t.Fatalf("create: %d", code)
	}
	id := conn.ID.String()
	const clicks = 8
	codes, bodies := make([]int, clicks), make([]string, clicks)
	done := make(chan struct{})
	for i := range clicks {
		go func() {
			defer func() { done <- struct{}{} }()
			codes[i], bodies[i] = h.raw(admin, http.MethodPost, "/api/v1/connectors/"+id+"/sync", nil)
		}()
	}
	for range clicks {
		<-done
	}
	started := 0
	for i, code := range codes {
		switch {
		case code == http.StatusAccepted:
			started++
		case code != http.StatusConflict || !strings.Contains(bodies[i], "sync_running"):
			t.Errorf("click %d: %d %s", i, code, bodies[i])
		}
	}
	if started != 1 {
		t.Fatalf("%d of %d clicks started a run, want 1: %v", started, clicks, codes)
	}
	var runs struct{ Runs []sync.RunDTO }
	if h.call(admin, http.MethodGet, "/api/v1/connectors/"+id+"/runs", nil, &runs); len(runs.Runs) != 1 || runs.Runs[0].Status != "queued" {
		t.Fatalf("runs %+v, want one queued", runs.Runs)
	}
}

// On a server that bills, a trial keeps one connector; the second is refused with the plan's
// numbers, and the plan counts them.
func TestTrialKeepsOneConnector(t *testing.T) {
	h := connectorHarness(t, billingOn)
	email := "owner@connectors.test"
	if code := h.call("", http.MethodPost, "/api/v1/signup", signupBody("Connector Co", "industrial", email), nil); code != http.StatusAccepted {
		t.Fatalf("sign-up: %d", code)
	}
	h.call("", http.MethodPost, "/api/v1/signup/verify", map[string]string{"token": h.verificationToken(email)}, nil)
	admin := h.login(email)
	add := func(name string) (int, string) {
		return h.raw(admin, http.MethodPost, "/api/v1/connectors", map[string]any{"kind": "testconn", "name": name, "config": map[string]any{}})
	}
	if code, body := add("First"); code != http.StatusCreated {
		t.Fatalf("the first connector: %d %s", code, body)
	}
	if code, body := add("Second"); code != http.StatusConflict || !strings.Contains(body, "your plan allows 1 connector; 1 is configured") {
		t.Fatalf("a second connector on the trial: %d %s", code, body)
	}
	var plan tenants.PlanDTO
	if code := h.call(admin, http.MethodGet, "/api/v1/plan", nil, &plan); code != http.StatusOK || plan.ConnectorsAllowed != tenants.TrialConnectors || plan.ConnectorsUsed != 1 {
		t.Fatalf("the plan: %d %+v", code, plan)
	}
	var list struct{ Connectors []json.RawMessage }
	if h.call(admin, http.MethodGet, "/api/v1/connectors", nil, &list); len(list.Connectors) != 1 {
		t.Fatalf("%d connectors kept, want 1", len(list.Connectors))
	}
}

// The sweep checks every enabled connector of every tenant and starts the syncs that are due: a
// connector never synced is synced; one synced within the hour is left alone; one whose process
// cannot start is kept as crashed, with why.
func TestSweepChecksAndSyncsDueConnectors(t *testing.T) {
	h := connectorHarness(t)
	c := h.company("Sweep Foods")
	admin := c.tokens["admin"]
	var fresh, broken sync.ConnectorDTO
	h.call(admin, http.MethodPost, "/api/v1/connectors", map[string]any{"kind": "testconn", "name": "Fresh", "config": map[string]any{"records": 4}}, &fresh)
	h.call(admin, http.MethodPost, "/api/v1/connectors", map[string]any{"kind": "testconn", "name": "Broken", "config": map[string]any{}}, &broken)
	// Its configuration went bad behind the API's back (as after an upgrade of the connector).
	if err := h.app.store.Owner(t.Context()).Table("connectors").Where("id = ?", broken.ID).Update("config", `{"records":-5}`).Error; err != nil {
		t.Fatal(err)
	}
	h.app.connectors.Stop(broken.ID.String())

	if err := h.app.sync.CheckAll(t.Context()); err != nil {
		t.Fatal(err)
	}
	if run := h.waitForRun(admin, fresh.ID.String()); run.Status != "done" || run.Pulled != 4 {
		t.Fatalf("the fresh connector's run: %+v", run)
	}
	h.call(admin, http.MethodGet, "/api/v1/connectors/"+broken.ID.String(), nil, &broken)
	if broken.Health.State != "crashed" || !strings.Contains(broken.Health.Message, "/records") || broken.Health.CheckedAt == nil {
		t.Fatalf("the broken connector's health: %+v", broken.Health)
	}
	// The fixture's connectors were synced just now: checked, but not synced again.
	var list struct{ Connectors []sync.ConnectorDTO }
	h.call(admin, http.MethodGet, "/api/v1/connectors", nil, &list)
	for _, conn := range list.Connectors {
		if conn.Name != "ERP" {
			continue
		}
		var runs struct{ Runs []sync.RunDTO }
		h.call(admin, http.MethodGet, "/api/v1/connectors/"+conn.ID.String()+"/runs", nil, &runs)
		if conn.Health.State != "healthy" || conn.Health.CheckedAt == nil || len(runs.Runs) != 1 {
			t.Fatalf("the recently synced connector: %+v, %d runs", conn.Health, len(runs.Runs))
		}
	}
}
