package sdk

import (
	"io"
	"log/slog"
	"os"
)

// Logger returns a logger for a connector: it writes to stderr in the JSON lines go-plugin
// understands (@level, @message, @timestamp), so the host logs each record at its own level
// with its attributes and the connector's id and kind. Plain lines on stdout or stderr reach
// the host's log too, but with no level of their own.
func Logger() *slog.Logger { return newLogger(os.Stderr) }

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{
		Level:       slog.LevelDebug - 4, // the host decides what to keep
		ReplaceAttr: hclogAttr,
	}))
}

// hclogTime is the only timestamp layout go-plugin parses; with any other the whole line is
// logged verbatim at debug level.
const hclogTime = "2006-01-02T15:04:05.000000Z07:00"

func hclogAttr(groups []string, a slog.Attr) slog.Attr {
	if len(groups) > 0 {
		return a
	}
	switch a.Key {
	case slog.TimeKey:
		return slog.String("@timestamp", a.Value.Time().Format(hclogTime))
	case slog.MessageKey:
		return slog.String("@message", a.Value.String())
	case slog.LevelKey:
		return slog.String("@level", hclogLevel(a.Value.Any()))
	}
	return a
}

func hclogLevel(v any) string {
	l, ok := v.(slog.Level)
	switch {
	case !ok:
		return "info"
	case l < slog.LevelDebug:
		return "trace"
	case l < slog.LevelInfo:
		return "debug"
	case l < slog.LevelWarn:
		return "info"
	case l < slog.LevelError:
		return "warn"
	}
	return "error"
}
