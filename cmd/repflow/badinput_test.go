package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/repflow/repflow/platform/web"
)

// TestBadInputIsRefusedInOneShape sends what clients get wrong and checks each answer: a 4xx, the
// one error shape with a message a person can act on, and no change to the tenant's data.
func TestBadInputIsRefusedInOneShape(t *testing.T) {
	h := newHarness(t)
	c := h.company("Careful Foods")
	token := c.tokens["admin"]
	east := c.regions["east"].ID.String()
	cases := []struct {
		name, method, path, body string
		want                     int
		mention                  string // a word the message or details must contain
	}{
		{"malformed JSON", "POST", "/api/v1/regions", `{"name": "North", "parent_id": `, 400, ""},
		{"wrong type", "POST", "/api/v1/regions", `{"name": 5, "parent_id": "` + east + `"}`, 422, "name"},
		{"unknown field", "POST", "/api/v1/regions", `{"name": "North", "parent_id": "` + east + `", "colour": "red"}`, 422, "colour"},
		{"missing field", "POST", "/api/v1/users", `{"name": "No Mail"}`, 422, "email"},
		{"invalid uuid in body", "POST", "/api/v1/regions", `{"name": "North", "parent_id": "not-a-uuid"}`, 422, "parent_id"},
		{"invalid uuid in path", "GET", "/api/v1/users/not-a-uuid", ``, 422, "id"},
		{"unknown route", "GET", "/api/v1/nothing-here", ``, 404, "nothing-here"},
		{"invalid query parameter", "GET", "/api/v1/users?limit=100000", ``, 422, "limit"},
	}
	// Over a real socket: fasthttp refuses an oversized body before any handler runs, which the
	// in-memory App.Test cannot show.
	base := h.listen()
	before := h.snapshot(c.tenant)
	for _, tc := range cases {
		req, err := http.NewRequest(tc.method, base+tc.path, strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		if tc.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var shape struct {
			Error *struct {
				Code    string `json:"code"`
				Message string `json:"message"`
				Details []struct {
					Location string `json:"location"`
					Message  string `json:"message"`
				} `json:"details"`
			} `json:"error"`
		}
		if err := json.NewDecoder(bytes.NewReader(raw)).Decode(&shape); err != nil || shape.Error == nil {
			t.Errorf("%s: answer %d is not the error shape: %.300s", tc.name, resp.StatusCode, raw)
			continue
		}
		if resp.StatusCode != tc.want {
			t.Errorf("%s: status %d, want %d: %.300s", tc.name, resp.StatusCode, tc.want, raw)
		}
		if shape.Error.Code == "" || shape.Error.Message == "" {
			t.Errorf("%s: error without code or message: %.300s", tc.name, raw)
		}
		if tc.mention != "" && !strings.Contains(string(raw), tc.mention) {
			t.Errorf("%s: the answer does not point at %q: %.300s", tc.name, tc.mention, raw)
		}
	}
	// A body over the server's limit is refused from its Content-Length, before it is read: the
	// server may close the connection while a client is still sending, so only the headers go out.
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/regions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", token, web.BodyLimit+1)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(raw), `"code":"body_too_large"`) {
		t.Errorf("body over the server's limit: %d %.300s; want 413 in the error shape", resp.StatusCode, raw)
	}
	// Under the server's limit, each operation keeps its own: 1 MiB unless it takes uploads.
	big := `{"name":"` + strings.Repeat("x", 3<<19) + `"}`
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/regions", strings.NewReader(big))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(raw), `"error"`) {
		t.Errorf("1.5 MiB body to an operation of 1 MiB: %d %.300s; want 413 in the error shape", resp.StatusCode, raw)
	}
	after := h.snapshot(c.tenant)
	// Refused attempts are themselves audited, and the session notes its use: the rest stays.
	for _, m := range []map[string][]string{before, after} {
		delete(m, "audit_records")
		delete(m, "audit_heads")
		delete(m, "sessions")
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("refused requests changed data (-before +after):\n%s", diff)
	}
	if code := h.call(token, http.MethodGet, "/api/v1/users", nil, nil); code != http.StatusOK {
		t.Errorf("the server answers %d after the bad input", code)
	}
}
