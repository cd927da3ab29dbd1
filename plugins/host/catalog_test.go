package host

import (
	"context"
	"crypto/sha256"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// copyBinary copies the test connector to dir under name.
func copyBinary(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(binDir, "testconn"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDiscoverSkipsWhatIsNotAConnector(t *testing.T) {
	dir := t.TempDir()
	good := copyBinary(t, dir, "testconn")
	copyBinary(t, dir, "crm")                                                                 // describes itself as testconn
	must(t, os.WriteFile(filepath.Join(dir, "broken"), []byte("#!/bin/sh\nexit 1\n"), 0o755)) // not a plugin
	must(t, os.WriteFile(filepath.Join(dir, "README"), []byte("not executable"), 0o644))
	must(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))

	l := &logs{}
	cat, err := Discover(context.Background(), dir, slog.New(l))
	if err != nil {
		t.Fatalf("discover: %v", err)
	}
	kinds := cat.Kinds()
	if len(kinds) != 1 || kinds[0].Kind != "testconn" || kinds[0].Version != "0.0.1" || len(kinds[0].Entities) != 1 {
		t.Fatalf("kinds: %+v, want testconn alone", kinds)
	}
	bin, ok := cat.Lookup("testconn")
	want := sha256.Sum256(mustRead(t, good))
	if !ok || bin.Path != good || !reflect.DeepEqual(bin.SHA256, want[:]) {
		t.Errorf("lookup testconn: %+v %v, want %s with its checksum", bin, ok, good)
	}
	if _, ok := cat.Lookup("crm"); ok {
		t.Error("crm, which says it is testconn, is in the catalog")
	}

	skipped := map[string]bool{}
	l.mu.Lock()
	for _, r := range l.records {
		if r.Message == "connector binary skipped" {
			r.Attrs(func(a slog.Attr) bool {
				if a.Key == "path" {
					skipped[filepath.Base(a.Value.String())] = true
				}
				return true
			})
		}
	}
	l.mu.Unlock()
	if !reflect.DeepEqual(skipped, map[string]bool{"crm": true, "broken": true}) {
		t.Errorf("warned about skipping %v, want crm and broken", skipped)
	}
}

func TestDiscoverStopsWithItsContext(t *testing.T) {
	dir := t.TempDir()
	copyBinary(t, dir, "testconn")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Discover(ctx, dir, slog.New(&logs{})); err == nil {
		t.Error("discover with a cancelled ctx succeeded")
	}
	if _, err := Discover(context.Background(), filepath.Join(dir, "missing"), slog.New(&logs{})); err == nil {
		t.Error("discover in a missing directory succeeded")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	return b
}
