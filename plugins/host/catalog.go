// Package host starts the connector plugins repflow has, and keeps the running ones alive: it
// finds connector binaries (Discover), runs one process per configured connector instance
// (Supervisor), pings them, restarts crashed ones with backoff and re-configures them, and
// passes each call's deadline into the plugin. It keeps health in memory; the caller persists it.
package host

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/repflow/repflow/plugins/sdk"
)

// discoverTimeout bounds starting one binary and asking it to describe itself.
const discoverTimeout = 10 * time.Second

// Binary is one connector executable, as discovery found it.
type Binary struct {
	Path string
	// SHA256 is the file's digest at discovery. Processes are started only from a file that
	// still has it, so a binary replaced afterwards refuses to start.
	SHA256      []byte
	Description sdk.Description
}

// Catalog is the connectors a directory offers, by kind.
type Catalog struct {
	binaries map[string]Binary
}

// Kinds describes every connector in the catalog, sorted by kind.
func (c *Catalog) Kinds() []sdk.Description {
	out := make([]sdk.Description, 0, len(c.binaries))
	for _, b := range c.binaries {
		out = append(out, b.Description)
	}
	slices.SortFunc(out, func(a, b sdk.Description) int { return strings.Compare(a.Kind, b.Kind) })
	return out
}

// Lookup finds the binary of a kind.
func (c *Catalog) Lookup(kind string) (Binary, bool) {
	b, ok := c.binaries[kind]
	return b, ok
}

// Discover treats every executable file in dir as a connector binary: it records the file's
// SHA-256 and runs it once to ask what it is. A binary that will not start, does not answer, or
// names a kind other than its file name is skipped with a warning; only an unreadable dir or
// ctx ending is an error.
func Discover(ctx context.Context, dir string, log *slog.Logger) (*Catalog, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("discover connectors in %s: %w", dir, err)
	}
	cat := &Catalog{binaries: map[string]Binary{}}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		info, err := os.Stat(path) // through symlinks: a linked binary is a binary
		if err != nil || !info.Mode().IsRegular() || info.Mode().Perm()&0o111 == 0 {
			continue
		}
		bin, err := describe(ctx, path, log)
		if ctx.Err() != nil {
			return nil, fmt.Errorf("discover connectors in %s: %w", dir, ctx.Err())
		}
		if err != nil {
			log.Warn("connector binary skipped", "path", path, "error", err)
			continue
		}
		cat.binaries[bin.Description.Kind] = bin
		log.Info("connector found", "kind", bin.Description.Kind, "version", bin.Description.Version, "path", path)
	}
	return cat, nil
}

func describe(ctx context.Context, path string, log *slog.Logger) (Binary, error) {
	sum, err := fileSHA256(path)
	if err != nil {
		return Binary{}, err
	}
	bin := Binary{Path: path, SHA256: sum}
	ctx, cancel := context.WithTimeout(ctx, discoverTimeout)
	defer cancel()
	p, err := spawn(bin, discoverTimeout, log.With("connector_binary", filepath.Base(path)))
	if err != nil {
		return Binary{}, err
	}
	defer p.kill()
	bin.Description, err = p.conn.Describe(ctx)
	if err != nil {
		return Binary{}, fmt.Errorf("describe: %w", err)
	}
	if name := filepath.Base(path); bin.Description.Kind != name {
		return Binary{}, fmt.Errorf("describes itself as kind %q, not %q as its file is named", bin.Description.Kind, name)
	}
	return bin, nil
}

func fileSHA256(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("checksum: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, fmt.Errorf("checksum %s: %w", path, err)
	}
	return h.Sum(nil), nil
}
