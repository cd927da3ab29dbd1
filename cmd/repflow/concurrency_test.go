package main

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// TestConcurrentWritesAllLand sends many writes at once, as a team of reps syncing after a dead
// zone would. On the embedded database writers queue for the lock instead of failing; on
// PostgreSQL they run side by side. Either way every write lands, once, with its audit record.
func TestConcurrentWritesAllLand(t *testing.T) {
	h := newHarness(t)
	c := h.company("Busy Foods")
	before := h.lastAudit(c.tenant).Count
	const writers = 24
	var wg sync.WaitGroup
	codes := make([]int, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = h.call(c.tokens["admin"], http.MethodPost, "/api/v1/regions",
				map[string]any{"name": fmt.Sprintf("Area %d", i), "parent_id": c.regions["east"].ID}, nil)
		}()
	}
	wg.Wait()
	for i, code := range codes {
		if code != http.StatusCreated {
			t.Errorf("writer %d: status %d", i, code)
		}
	}
	var list struct {
		Regions []map[string]any `json:"regions"`
	}
	h.call(c.tokens["admin"], http.MethodGet, "/api/v1/regions", nil, &list)
	if got, want := len(list.Regions), 4+writers; got != want {
		t.Errorf("%d regions after %d concurrent creations, want %d", got, writers, want)
	}
	if got := h.lastAudit(c.tenant).Count - before; got != writers {
		t.Errorf("%d audit records for %d writes", got, writers)
	}
	var report struct {
		OK bool `json:"ok"`
	}
	if h.call(c.tokens["admin"], http.MethodPost, "/api/v1/audit/verify", nil, &report); !report.OK {
		t.Error("the audit chain does not verify after concurrent appends")
	}
}
