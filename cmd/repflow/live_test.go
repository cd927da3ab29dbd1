package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
)

// TestLiveStreamIsScoped opens the managers' live view over a real connection: the rep's manager
// sees the rep's position arrive, another region's manager and another tenant's admin do not,
// and nobody anonymous gets a stream.
func TestLiveStreamIsScoped(t *testing.T) {
	h := newHarness(t)
	a, b := h.company("Alpha Foods"), h.company("Beta Foods")
	base := h.listen()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	open := func(token string) (*http.Response, <-chan string) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/live", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 64)
		go func() {
			defer close(lines)
			defer resp.Body.Close()
			sc := bufio.NewScanner(resp.Body)
			for sc.Scan() {
				if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
					lines <- data
				}
			}
		}()
		return resp, lines
	}
	if resp, _ := open(""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("anonymous live view: %d, want 401", resp.StatusCode)
	}
	streams := map[string]<-chan string{}
	for _, key := range []string{"manager", "managerSouth"} {
		resp, lines := open(a.tokens[key])
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
			t.Fatalf("live view as %s: %d %s", key, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		streams[key] = lines
	}
	_, rival := open(b.tokens["admin"])
	time.Sleep(300 * time.Millisecond) // the listener of a PostgreSQL replica connects

	rep := a.users["rep"].ID
	fix := map[string]any{"id": identity.NewID(), "time": time.Now().UTC().Add(-time.Minute), "lat": 36.70, "lon": 117.10, "accuracy": 12}
	if code, text := h.raw(a.tokens["rep"], http.MethodPost, "/api/v1/tracks", map[string]any{"datum": "wgs84", "fixes": []any{fix}}); code != http.StatusOK {
		t.Fatalf("post track: %d %s", code, text)
	}
	for key, want := range map[string]bool{"manager": true, "managerSouth": false} {
		if got := sees(streams[key], rep, want); got != want {
			t.Errorf("%s saw the rep's position: %v, want %v", key, got, want)
		}
	}
	if sees(rival, rep, false) {
		t.Error("another tenant's admin saw the rep's position")
	}
}

// sees waits for an update with rep's position: 5 s when one is expected, 1 s when not.
func sees(lines <-chan string, rep uuid.UUID, expected bool) bool {
	wait := time.Second
	if expected {
		wait = 5 * time.Second
	}
	deadline := time.After(wait)
	for {
		select {
		case data, ok := <-lines:
			if !ok {
				return false
			}
			var u struct {
				RepID    uuid.UUID `json:"rep_id"`
				Position *struct{} `json:"position"`
			}
			if json.Unmarshal([]byte(data), &u) == nil && u.RepID == rep && u.Position != nil {
				return true
			}
		case <-deadline:
			return false
		}
	}
}
