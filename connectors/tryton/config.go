package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/repflow/repflow/plugins/sdk"
)

// config is what an administrator sets for one Tryton server.
type config struct {
	URL      string // base URL of the server, e.g. http://erp.example:8000
	Database string
	Username string
	Password string
	Company  int64 // the company whose sales and opportunities are read
	PageSize int   // records per JSON-RPC read
	// Settle holds back records changed within this long of the server's clock: a transaction
	// still open during a pull commits rows stamped at its start, which a cursor already past
	// that time would skip for ever.
	Settle time.Duration
}

const (
	defaultCompany  = 1
	defaultPageSize = 100
	maxPageSize     = 500
	defaultSettle   = 60 // seconds
	maxSettle       = 3600
)

// configSchema is the JSON Schema of config, as Describe sends it.
const configSchema = `{
  "type": "object",
  "required": ["url", "database", "username", "password"],
  "additionalProperties": false,
  "properties": {
    "url": {"type": "string", "format": "uri", "pattern": "^https?://", "title": "Server URL",
      "description": "Base URL of the Tryton server (http or https), without the database name"},
    "database": {"type": "string", "minLength": 1, "title": "Database"},
    "username": {"type": "string", "minLength": 1, "title": "User name"},
    "password": {"type": "string", "minLength": 1, "title": "Password", "writeOnly": true, "format": "password"},
    "company": {"type": "integer", "minimum": 1, "default": 1, "title": "Company id",
      "description": "Id of the Tryton company whose sales and opportunities are synced"},
    "page_size": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100, "title": "Page size",
      "description": "Records read per request"},
    "settle_seconds": {"type": "integer", "minimum": 0, "maximum": 3600, "default": 60, "title": "Settle time (seconds)",
      "description": "Records changed this recently (by the Tryton server's clock) wait for the next sync, so that a change still being saved in Tryton is not skipped"}
  }
}`

// parseConfig validates raw against configSchema; the config is usable only when no field
// errors come back.
func parseConfig(raw json.RawMessage) (config, []sdk.FieldError) {
	cfg := config{Company: defaultCompany, PageSize: defaultPageSize, Settle: defaultSettle * time.Second}
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&fields); err != nil || fields == nil {
		return cfg, []sdk.FieldError{{Field: "", Message: "the configuration must be a JSON object"}}
	}
	var errs []sdk.FieldError
	fail := func(name, format string, args ...any) {
		errs = append(errs, sdk.FieldError{Field: "/" + name, Message: fmt.Sprintf(format, args...)})
	}
	text := func(name string) string {
		v, ok := fields[name]
		if !ok || string(v) == "null" {
			fail(name, "is required")
			return ""
		}
		var s string
		if json.Unmarshal(v, &s) != nil {
			fail(name, "must be a string")
			return ""
		}
		if strings.TrimSpace(s) == "" {
			fail(name, "must not be empty")
		}
		return s
	}
	integer := func(name string, min, max int64, def int64) int64 {
		v, ok := fields[name]
		if !ok || string(v) == "null" {
			return def
		}
		var n int64
		if json.Unmarshal(v, &n) != nil {
			fail(name, "must be an integer")
			return def
		}
		if n < min || n > max {
			fail(name, "must be between %d and %d", min, max)
			return def
		}
		return n
	}

	cfg.URL = strings.TrimRight(text("url"), "/")
	if cfg.URL != "" {
		if msg := checkURL(cfg.URL); msg != "" {
			fail("url", "%s", msg)
		}
	}
	cfg.Database = text("database")
	cfg.Username = text("username")
	cfg.Password = text("password")
	cfg.Company = integer("company", 1, 1<<31-1, defaultCompany)
	cfg.PageSize = int(integer("page_size", 1, maxPageSize, defaultPageSize))
	cfg.Settle = time.Duration(integer("settle_seconds", 0, maxSettle, defaultSettle)) * time.Second

	var unknown []string
	for name := range fields {
		switch name {
		case "url", "database", "username", "password", "company", "page_size", "settle_seconds":
		default:
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		fail(escapePointer(name), "is not a setting of the Tryton connector")
	}
	return cfg, errs
}

func checkURL(s string) string {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "is not a valid URL"
	case u.Scheme != "http" && u.Scheme != "https":
		return "must start with http:// or https://"
	case u.Host == "":
		return "must name a host, e.g. http://erp.example:8000"
	case u.RawQuery != "" || u.Fragment != "":
		return "must not have a query or fragment"
	case u.User != nil:
		return "must not contain credentials; use username and password"
	}
	return ""
}

// escapePointer escapes one JSON pointer token (RFC 6901).
func escapePointer(token string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(token)
}
