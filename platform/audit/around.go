package audit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/store"
	"github.com/repflow/repflow/platform/web"
)

// errNotCommitted answers a request whose change and audit record could not be committed.
var errNotCommitted = errors.New("audit: the request's change and its audit record did not commit")

// errRejected rolls back the request transaction of a request that did not succeed.
var errRejected = errors.New("audit: request rejected")

// Around is web.Options.Around: it gives each authenticated unsafe API request one transaction
// that the handler's services join and that also holds the request's audit record, so a change
// and its record commit together or not at all. A request that fails is rolled back and then
// recorded as rejected in a transaction of its own. Safe methods pass straight through.
func (l *Log) Around(c *fiber.Ctx, next func() error) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		// An operator's support session is recorded even when it only reads: the tenant sees
		// what was looked at.
		if p, _ := identity.From(c.UserContext()); !p.Support {
			c.SetUserContext(store.Reading(c.UserContext()))
			return next()
		}
	}
	orig := c.UserContext()
	var (
		ran      bool
		nextErr  error
		panicked any
	)
	err := l.s.Tx(orig, func(ctx context.Context, db *gorm.DB) error {
		ran = true
		panicked, nextErr = runHandler(c, ctx, orig, next)
		if panicked != nil || nextErr != nil || c.Response().StatusCode() >= fiber.StatusBadRequest {
			return errRejected
		}
		_, err := l.appendEntry(ctx, db, requestEntry(c, OutcomeOK, c.Response().StatusCode()))
		return err
	})
	switch {
	case err == nil:
		return nil
	case !ran:
		return fmt.Errorf("begin request transaction: %w", err)
	case !errors.Is(err, errRejected):
		// The handler answered, but its change and record did not commit: the answer is void.
		// The cause stays in the log; the caller gets a plain 500 even when the cause is one that
		// would otherwise map to a 4xx (a duplicate key in the audit insert is not their doing).
		slog.ErrorContext(orig, "audited request did not commit", "request_id", web.RequestID(orig), "error", err)
		requestID := c.GetRespHeader(fiber.HeaderXRequestID)
		c.Response().Reset()
		c.Set(fiber.HeaderXRequestID, requestID)
		return web.WriteError(c, errNotCommitted)
	}
	status := c.Response().StatusCode()
	if nextErr != nil {
		// Answer the error now, so the record carries the status the caller gets.
		if err := web.WriteError(c, nextErr); err != nil {
			return err
		}
		status = c.Response().StatusCode()
	}
	if panicked != nil {
		status = fiber.StatusInternalServerError
	}
	// The caller already has its answer; a failure to record the attempt is the platform's to fix.
	if err := l.Record(orig, requestEntry(c, OutcomeRejected, status)); err != nil {
		slog.ErrorContext(orig, "audit rejected request", "request_id", web.RequestID(orig), "error", err)
	}
	if panicked != nil {
		panic(panicked)
	}
	return nil
}

// runHandler runs next with the request transaction's context as the user context, restores the
// original afterwards, and turns a panic into a value so the transaction rolls back cleanly.
func runHandler(c *fiber.Ctx, txCtx, orig context.Context, next func() error) (panicked any, err error) {
	c.SetUserContext(txCtx)
	defer func() {
		c.SetUserContext(orig)
		panicked = recover()
	}()
	return nil, next()
}

func requestEntry(c *fiber.Ctx, outcome string, status int) Entry {
	return Entry{
		Action:   c.Method() + " " + routePattern(c.Route().Path),
		Resource: c.Path(),
		Outcome:  outcome,
		Status:   status,
		Digest:   Digest(c.Body()),
	}
}

// routePattern writes fiber's ":id" parameters as OpenAPI's "{id}", so actions read like the
// operations in /api/openapi.json.
func routePattern(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") {
			segs[i] = "{" + strings.TrimSuffix(s[1:], "?") + "}"
		}
	}
	return strings.Join(segs, "/")
}
