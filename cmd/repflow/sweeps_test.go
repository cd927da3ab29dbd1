package main

import (
	"slices"
	"testing"

	"github.com/repflow/repflow/platform/storetest"
)

// The server gives its job queue every sweep the platform runs on its own (the connectors' only
// when it has connectors installed). The harness leaves their schedule out (noSweeps), and the
// tests of each sweep call it; this keeps the wiring.
func TestServerSchedulesEverySweep(t *testing.T) {
	h := harnessOn(t, storetest.Open(t), false, func(c *config) { c.ConnectorsDir = testConnectors(t) })
	want := []string{"abandoned_signup_purge", "appraisal_monthly_reports", "connector_health",
		"mail_delivery", "tenant_export_expiry", "tenant_purge"}
	if got := h.app.jobs.Sweeps(); !slices.Equal(got, want) {
		t.Errorf("sweeps: %v, want %v", got, want)
	}
}
