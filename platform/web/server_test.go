package web_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/web"
)

type echo struct{}

func (echo) Register(api huma.API) {
	huma.Register(api, web.Public(huma.Operation{OperationID: "fail", Method: http.MethodGet, Path: "/api/v1/fail/{kind}"}),
		func(ctx context.Context, in *struct {
			Kind string `path:"kind"`
		}) (*struct{}, error) {
			switch in.Kind {
			case "conflict":
				return nil, fault.New(fault.Conflict, "taken", "that name is taken; pick another")
			case "slow-down":
				f := fault.New(fault.TooMany, "slow_down", "wait a minute")
				f.RetryAfter = 60
				return nil, f
			}
			return nil, errors.New("database password is hunter2")
		})
	huma.Register(api, web.Public(huma.Operation{OperationID: "ip", Method: http.MethodGet, Path: "/api/v1/ip"}),
		func(ctx context.Context, _ *struct{}) (*struct{ Body string }, error) {
			return &struct{ Body string }{web.RequestOf(ctx).IP}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "private", Method: http.MethodGet, Path: "/api/v1/private"},
		func(ctx context.Context, _ *struct{}) (*struct{}, error) { return nil, nil })
}

func get(t *testing.T, srv *web.Server, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := srv.App.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func TestErrorsHealthAndMetrics(t *testing.T) {
	ready := errors.New("down")
	srv := web.New(web.Options{Version: "test", Ready: func(context.Context) error { return ready }})
	srv.Mount(echo{})
	cases := []struct {
		path       string
		status     int
		contains   string
		notContain string
	}{
		{"/api/v1/fail/conflict", 409, `"code":"taken"`, ""},
		{"/api/v1/fail/slow-down", 429, `"message":"wait a minute"`, ""},
		{"/api/v1/fail/boom", 500, `"code":"internal"`, "hunter2"},
		{"/api/v1/private", 401, `"code":"unauthenticated"`, ""},
		{"/api/v1/nowhere", 404, `"error":{"code":"not_found"`, ""},
		{"/healthz", 200, `"ok"`, ""},
		{"/readyz", 503, `"unavailable"`, "down"},
		{"/api/openapi.json", 200, `"/api/v1/fail/{kind}"`, ""},
	}
	for _, c := range cases {
		resp, body := get(t, srv, c.path)
		if resp.StatusCode != c.status || !strings.Contains(body, c.contains) || (c.notContain != "" && strings.Contains(body, c.notContain)) {
			t.Errorf("GET %s: %d %s; want %d containing %s", c.path, resp.StatusCode, body, c.status, c.contains)
		}
	}
	if resp, _ := get(t, srv, "/api/v1/fail/slow-down"); resp.Header.Get("Retry-After") != "60" {
		t.Errorf("Retry-After = %q, want 60", resp.Header.Get("Retry-After"))
	}
	ready = nil
	if resp, _ := get(t, srv, "/readyz"); resp.StatusCode != 200 {
		t.Errorf("readyz with the database answering: %d", resp.StatusCode)
	}
	_, metrics := get(t, srv, "/metrics")
	if !strings.Contains(metrics, `repflow_http_requests_total{method="GET",route="/api/v1/fail/:kind",status="409"} 1`) {
		t.Errorf("metrics lack the request counter by route pattern:\n%.2000s", metrics)
	}
}

func TestRequestIDs(t *testing.T) {
	srv := web.New(web.Options{})
	resp, _ := get(t, srv, "/healthz", "X-Request-ID", "client-chosen-id-1")
	if got := resp.Header.Get("X-Request-ID"); got != "client-chosen-id-1" {
		t.Errorf("a plain caller id is kept: got %q", got)
	}
	resp, _ = get(t, srv, "/healthz", "X-Request-ID", "bad id\nforged log line")
	if got := resp.Header.Get("X-Request-ID"); strings.ContainsAny(got, " \n") || got == "" {
		t.Errorf("an unsafe caller id must be replaced: got %q", got)
	}
}

func TestClientIPTrustsOnlyConfiguredProxies(t *testing.T) {
	for _, c := range []struct {
		trusted []string
		want    string
	}{
		{nil, "0.0.0.0"},                    // no proxy configured: the peer, whatever the header says
		{[]string{"10.0.0.0/8"}, "0.0.0.0"}, // the peer is not a trusted proxy
		{[]string{"0.0.0.0"}, "203.0.113.7"},
	} {
		srv := web.New(web.Options{TrustedProxies: c.trusted})
		srv.Mount(echo{})
		_, body := get(t, srv, "/api/v1/ip", "X-Forwarded-For", "203.0.113.7")
		if !strings.Contains(body, c.want) {
			t.Errorf("trusted %v: client IP %s, want %s", c.trusted, body, c.want)
		}
	}
}
