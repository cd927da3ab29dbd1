package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/platform/sync"
)

// BenchmarkConnectorSync syncs 5,000 records of the plugin host's test connector through the
// product, from the API's "sync now" to the run's end, with the production settings (pages of
// 200 records, the job queue looking for work every second), on the database the tests use. It
// reports the records stored per second. The scheduled sweep is off, as in every harness: it
// would sync the company's other connectors at a moment of its own, in the middle of a run.
func BenchmarkConnectorSync(b *testing.B) {
	const records = 5000
	h := harnessOn(b, storetest.Open(b), true, func(c *config) {
		c.ConnectorsDir, c.JobPoll = testConnectors(b), time.Second
	})
	c := h.company("Bench Foods")
	admin := c.tokens["admin"]
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var conn sync.ConnectorDTO
		if code := h.call(admin, http.MethodPost, "/api/v1/connectors", map[string]any{"kind": "testconn",
			"name": "Bench " + time.Now().Format(time.RFC3339Nano), "config": map[string]any{"records": records}}, &conn); code != http.StatusCreated {
			b.Fatalf("create: %d", code)
		}
		start := time.Now()
		h.call(admin, http.MethodPost, "/api/v1/connectors/"+conn.ID.String()+"/sync", nil, nil)
		run := h.waitForRun(admin, conn.ID.String())
		elapsed := time.Since(start)
		if run.Status != "done" || run.Pulled != records {
			b.Fatalf("run: %+v", run)
		}
		b.ReportMetric(records/elapsed.Seconds(), "records/s")
		h.call(admin, http.MethodDelete, "/api/v1/connectors/"+conn.ID.String(), nil, nil)
	}
}
