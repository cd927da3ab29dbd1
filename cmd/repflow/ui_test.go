package main

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// The user interface is served at / from the binary: its pages (any path the API does not
// answer) get index.html, revalidated on each load; its hashed assets are cached for a year; the
// API's paths stay the API's, so an unknown one is still a JSON 404.
func TestTheUserInterfaceIsServed(t *testing.T) {
	h := newHarness(t)
	get := func(path string) (int, http.Header, string) {
		resp, err := h.srv.App.Test(httptest.NewRequest(http.MethodGet, path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(body)
	}
	code, hdr, page := get("/")
	if code != http.StatusOK || !strings.Contains(hdr.Get("Content-Type"), "text/html") || hdr.Get("Cache-Control") != "no-cache" {
		t.Fatalf("/: %d %v", code, hdr)
	}
	if code, _, again := get("/dashboard/team"); code != http.StatusOK || again != page {
		t.Errorf("a page path answers %d, not the app", code)
	}
	if code, _, body := get("/api/v1/no-such-thing"); code != http.StatusNotFound || !strings.Contains(body, `"error"`) {
		t.Errorf("an unknown API path: %d %s", code, body)
	}
	assets, err := fs.Glob(os.DirFS("../../web/dist"), "assets/*.js")
	if err != nil || len(assets) == 0 {
		if !strings.Contains(page, "without its user interface") {
			t.Errorf("no built app, and no page saying so: %s", page)
		}
		return // a checkout that has not built the app: the note is what it serves
	}
	code, hdr, _ = get("/" + assets[0])
	if code != http.StatusOK || hdr.Get("Cache-Control") != "public, max-age=31536000, immutable" || !strings.Contains(hdr.Get("Content-Type"), "javascript") {
		t.Errorf("/%s: %d %v", assets[0], code, hdr)
	}
	if code, _, _ := get("/assets/no-such-file.js"); code != http.StatusNotFound {
		t.Errorf("a missing asset: %d", code)
	}
	if code, hdr, _ := get("/manifest.webmanifest"); code != http.StatusOK || hdr.Get("Content-Type") != "application/manifest+json" {
		t.Errorf("the manifest: %d %v", code, hdr)
	}
}
