package host

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/go-hclog"
)

// A connector's output reaches the host two ways, both ending up in slog with the connector's
// id and kind:
//   - its real stderr, which go-plugin reads and hands to the hclog.Logger below: hclog JSON
//     lines (go-plugin's own, sdk.Logger's) keep their level, other lines come at debug and a
//     panic's at error;
//   - os.Stdout and os.Stderr as the connector sees them once sdk.Serve runs, which go-plugin
//     redirects over its stdio stream (SyncStdout, SyncStderr): hclog JSON keeps its level, a
//     plain line is logged at info.

// pluginLogger is the hclog.Logger go-plugin wants, writing into log.
func pluginLogger(log *slog.Logger) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{
		Name:       "plugin",
		Level:      hclogLevel(log),
		JSONFormat: true,
		Output:     newLineWriter(log),
	})
}

// hclogLevel is the lowest level log keeps, so go-plugin skips parsing lines that would be
// dropped anyway.
func hclogLevel(log *slog.Logger) hclog.Level {
	levels := []struct {
		h hclog.Level
		s slog.Level
	}{
		{hclog.Trace, slog.LevelDebug - 4},
		{hclog.Debug, slog.LevelDebug},
		{hclog.Info, slog.LevelInfo},
		{hclog.Warn, slog.LevelWarn},
	}
	for _, l := range levels {
		if log.Enabled(context.Background(), l.s) {
			return l.h
		}
	}
	return hclog.Error
}

// maxLine is where a line without an end is logged anyway, in pieces.
const maxLine = 64 << 10

// lineWriter logs what is written to it one line at a time.
type lineWriter struct {
	log *slog.Logger
	mu  sync.Mutex
	buf []byte
}

func newLineWriter(log *slog.Logger) *lineWriter { return &lineWriter{log: log} }

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	rest := w.buf
	for {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			break
		}
		w.logLine(rest[:i])
		rest = rest[i+1:]
	}
	if len(rest) > maxLine {
		w.logLine(rest)
		rest = nil
	}
	w.buf = append(w.buf[:0], rest...)
	return len(p), nil
}

// logLine logs an hclog JSON line at its level with its fields, anything else at info.
func (w *lineWriter) logLine(line []byte) {
	line = bytes.TrimRight(line, "\r")
	if len(line) == 0 {
		return
	}
	var entry map[string]any
	if err := json.Unmarshal(line, &entry); err != nil {
		w.log.Info(string(line))
		return
	}
	msg, _ := entry["@message"].(string)
	level, _ := entry["@level"].(string)
	attrs := make([]slog.Attr, 0, len(entry))
	for k, v := range entry {
		switch k {
		case "@message", "@level", "@timestamp":
			continue
		}
		attrs = append(attrs, slog.Any(strings.TrimPrefix(k, "@"), v))
	}
	slices.SortFunc(attrs, func(a, b slog.Attr) int { return strings.Compare(a.Key, b.Key) })
	w.log.LogAttrs(context.Background(), slogLevel(level), msg, attrs...)
}

func slogLevel(hclogLevel string) slog.Level {
	switch hclogLevel {
	case "trace":
		return slog.LevelDebug - 4
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}
