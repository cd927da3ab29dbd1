package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxResponse bounds one JSON-RPC answer read into memory.
const maxResponse = 64 << 20

// client speaks Tryton's JSON-RPC to one database with one logged-in session.
type client struct {
	http     *http.Client
	endpoint string // <url>/<database>/
	cfg      config
	nextID   atomic.Int64

	mu      sync.Mutex
	auth    string // Authorization header of the current session; "" before login
	refused error  // set when Tryton refused the password: never try it again
	// answeredAt is the server's clock (its Date header, to the second) at its latest answer:
	// pulls measure the settle time on Tryton's clock, not on ours.
	answeredAt time.Time
}

func newClient(cfg config, hc *http.Client) *client {
	return &client{http: hc, endpoint: cfg.URL + "/" + url.PathEscape(cfg.Database) + "/", cfg: cfg}
}

// rpcError is an error Tryton answered with, e.g. ["UserError", ["message", "", null]].
type rpcError struct {
	Kind    string
	Message string
}

func (e *rpcError) Error() string {
	if e.Kind == "" || e.Kind == e.Message {
		return "Tryton: " + e.Message
	}
	return "Tryton " + e.Kind + ": " + e.Message
}

// statusError is an HTTP status Tryton answered with instead of a JSON-RPC result.
type statusError struct{ Code int }

func (e *statusError) Error() string {
	return fmt.Sprintf("the server answered HTTP %d %s", e.Code, http.StatusText(e.Code))
}

func isStatus(err error, codes ...int) bool {
	var se *statusError
	if !errors.As(err, &se) {
		return false
	}
	for _, c := range codes {
		if se.Code == c {
			return true
		}
	}
	return false
}

// login opens a session with common.db.login. A refused password is remembered and never sent
// again by this client: Tryton locks a user out after a few failures.
func (c *client) login(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.loginLocked(ctx)
}

func (c *client) loginLocked(ctx context.Context) error {
	if c.refused != nil {
		return c.refused
	}
	result, err := c.post(ctx, "", "common.db.login",
		[]any{c.cfg.Username, map[string]string{"password": c.cfg.Password}, "en"})
	switch {
	case isStatus(err, http.StatusUnauthorized, http.StatusForbidden):
		c.refused = fmt.Errorf("Tryton refused the user name or password for user %q on database %q; "+
			"fix them in the configuration (the connector will not try them again)", c.cfg.Username, c.cfg.Database)
		return c.refused
	case isStatus(err, http.StatusTooManyRequests):
		return fmt.Errorf("Tryton is blocking logins for user %q after too many failed attempts; "+
			"wait a few minutes and check the password", c.cfg.Username)
	case isMissingDatabase(err):
		return fmt.Errorf("database %q does not exist on the Tryton server at %s", c.cfg.Database, c.cfg.URL)
	case isStatus(err, http.StatusNotFound):
		return fmt.Errorf("database %q does not exist on the Tryton server at %s (or that URL is not a Tryton server's)",
			c.cfg.Database, c.cfg.URL)
	case errors.As(err, new(*statusError)):
		return fmt.Errorf("log in to Tryton at %s (check the URL): %w", c.cfg.URL, err)
	case err != nil:
		return fmt.Errorf("log in to Tryton: %w", err)
	}
	var session []json.RawMessage
	if err := json.Unmarshal(result, &session); err != nil || len(session) < 2 {
		return fmt.Errorf("log in to Tryton: unexpected answer %.200s", result)
	}
	var userID int64
	var key string
	if json.Unmarshal(session[0], &userID) != nil || json.Unmarshal(session[1], &key) != nil {
		return fmt.Errorf("log in to Tryton: unexpected answer %.200s", result)
	}
	token := c.cfg.Username + ":" + strconv.FormatInt(userID, 10) + ":" + key
	c.auth = "Session " + base64.StdEncoding.EncodeToString([]byte(token))
	return nil
}

func isMissingDatabase(err error) bool {
	var re *rpcError
	return errors.As(err, &re) && strings.Contains(re.Message, "Database") &&
		(strings.Contains(re.Message, "doesn't exist") || strings.Contains(re.Message, "does not exist"))
}

// serverNow asks the Tryton server for the time: the Date header of a cheap call that needs no
// session (common.server.version), to the second. A server that sends no Date header is taken to
// share our clock.
func (c *client) serverNow(ctx context.Context) (time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.answeredAt = time.Time{}
	if _, err := c.postTo(ctx, c.cfg.URL+"/", "", "common.server.version", []any{}); err != nil {
		return time.Time{}, fmt.Errorf("ask the Tryton server for the time: %w", err)
	}
	if c.answeredAt.IsZero() {
		return time.Now().UTC(), nil
	}
	return c.answeredAt, nil
}

// call runs a model method with the session, logging in first if needed. When a session that
// worked is rejected (expired: HTTP 401/403) it logs in again once and repeats the call once.
func (c *client) call(ctx context.Context, method string, params ...any) (json.RawMessage, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fresh := false
	if c.auth == "" {
		if err := c.loginLocked(ctx); err != nil {
			return nil, err
		}
		fresh = true
	}
	result, err := c.post(ctx, c.auth, method, params)
	if !fresh && isStatus(err, http.StatusUnauthorized, http.StatusForbidden) {
		c.auth = ""
		if err := c.loginLocked(ctx); err != nil {
			return nil, fmt.Errorf("session expired, logging in again: %w", err)
		}
		result, err = c.post(ctx, c.auth, method, params)
	}
	if isStatus(err, http.StatusUnauthorized, http.StatusForbidden) {
		return nil, fmt.Errorf("%s: Tryton denied access to user %q; check the user's access rights: %w",
			method, c.cfg.Username, err)
	}
	return result, err
}

// post sends one JSON-RPC request to the database and returns its result.
func (c *client) post(ctx context.Context, auth, method string, params []any) (json.RawMessage, error) {
	return c.postTo(ctx, c.endpoint, auth, method, params)
}

// postTo sends one JSON-RPC request to endpoint: the database's, or the server's own (methods
// such as common.server.version, which need no database).
func (c *client) postTo(ctx context.Context, endpoint, auth, method string, params []any) (json.RawMessage, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	id := c.nextID.Add(1)
	body, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return nil, fmt.Errorf("%s: encode request: %w", method, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("%s: %w", method, ctxErr)
		}
		return nil, fmt.Errorf("cannot reach the Tryton server at %s (is the URL right and the server running?): %w",
			c.cfg.URL, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("%s: %w", method, ctxErr)
		}
		return nil, fmt.Errorf("%s: read answer: %w", method, err)
	}
	if at, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		c.answeredAt = at.UTC()
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &statusError{Code: resp.StatusCode}
	}
	var answer struct {
		ID     int64             `json:"id"`
		Result json.RawMessage   `json:"result"`
		Error  []json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(raw, &answer); err != nil {
		return nil, fmt.Errorf("the server at %s did not answer like Tryton's JSON-RPC (%.100q)", c.cfg.URL, raw)
	}
	if answer.Error != nil {
		return nil, fmt.Errorf("%s: %w", method, decodeRPCError(answer.Error))
	}
	if answer.ID != id {
		return nil, fmt.Errorf("%s: answer for request %d, want %d", method, answer.ID, id)
	}
	return answer.Result, nil
}

// decodeRPCError reads ["Kind", ["message", ...]] or ["message", "details"].
func decodeRPCError(parts []json.RawMessage) *rpcError {
	e := &rpcError{}
	if len(parts) > 0 {
		_ = json.Unmarshal(parts[0], &e.Kind)
	}
	e.Message = e.Kind
	if len(parts) > 1 {
		var args []json.RawMessage
		var msg string
		if json.Unmarshal(parts[1], &args) == nil && len(args) > 0 && json.Unmarshal(args[0], &msg) == nil && msg != "" {
			e.Message = msg
		}
	}
	return e
}
