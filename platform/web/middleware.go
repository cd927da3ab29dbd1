package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
)

// Request describes the HTTP request behind a context, for logs and the audit trail.
type Request struct {
	ID        string
	IP        string
	UserAgent string
	Method    string
	Path      string
}

type requestKey struct{}

// RequestOf returns the request behind ctx (zero outside a request).
func RequestOf(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey{}).(Request)
	return r
}

// RequestID returns the id of the request behind ctx.
func RequestID(ctx context.Context) string { return RequestOf(ctx).ID }

// WithRequest returns ctx carrying r (tests and background work acting for a request use it).
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// A caller-supplied request id is kept only when it is short and plain, so it cannot forge log lines.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

func requestContext(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id := c.Get("X-Request-ID")
		if !validRequestID.MatchString(id) {
			id = identity.NewID().String()
		}
		c.Set("X-Request-ID", id)
		r := Request{ID: id, IP: c.IP(), UserAgent: c.Get("User-Agent"), Method: c.Method(), Path: c.Path()}
		c.SetUserContext(WithRequest(c.UserContext(), r))
		return c.Next()
	}
}

func recoverPanic(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			slog.ErrorContext(c.UserContext(), "panic", "request_id", RequestID(c.UserContext()), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fiberErrorHandler(c, fmt.Errorf("panic: %v", r))
		}
	}()
	return c.Next()
}

func accessLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		if err != nil {
			// Let the error handler write the response now, so the log shows the real status.
			if herr := fiberErrorHandler(c, err); herr != nil {
				return herr
			}
			err = nil
		}
		ctx := c.UserContext()
		attrs := []any{"request_id", RequestID(ctx), "method", c.Method(), "path", c.Path(),
			"status", c.Response().StatusCode(), "duration_ms", time.Since(start).Milliseconds(), "ip", c.IP()}
		if p, ok := identity.From(ctx); ok {
			attrs = append(attrs, "tenant_id", p.TenantID.String(), "user_id", p.UserID.String())
		}
		log.InfoContext(ctx, "http", attrs...)
		return err
	}
}

type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg *prometheus.Registry) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "repflow_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "repflow_http_request_duration_seconds", Help: "HTTP request duration by route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

func (m *httpMetrics) observe(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	// The route pattern, not the raw path: ids in paths would explode the label set.
	route := c.Route().Path
	m.requests.WithLabelValues(c.Method(), route, strconv.Itoa(c.Response().StatusCode())).Inc()
	m.duration.WithLabelValues(c.Method(), route).Observe(time.Since(start).Seconds())
	return err
}

func authenticate(fn func(c *fiber.Ctx) (identity.Principal, bool, error), admit func(ctx context.Context, p identity.Principal, method, path string) error,
	count func(tenant uuid.UUID)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, ok, err := fn(c)
		if err != nil {
			return err
		}
		if ok {
			if admit != nil {
				if err := admit(c.UserContext(), p, c.Method(), c.Path()); err != nil {
					return err
				}
			}
			if count != nil {
				count(p.TenantID)
			}
			c.SetUserContext(identity.With(c.UserContext(), p))
		}
		return c.Next()
	}
}

// SignInFirst is the answer to an anonymous call of an operation that needs a caller, for the
// operations here and for plain routes (streams) that check for themselves.
func SignInFirst() *fault.Error {
	return fault.New(fault.Unauthorized, "unauthenticated", "sign in first: send a session cookie or an Authorization: Bearer token")
}

// requirePrincipal answers 401 for anonymous calls to operations not marked Public.
func requirePrincipal(api huma.API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		if IsPublic(ctx.Operation()) {
			next(ctx)
			return
		}
		if _, ok := identity.From(ctx.Context()); !ok {
			_ = huma.WriteErr(api, ctx, http.StatusUnauthorized, "", SignInFirst())
			return
		}
		next(ctx)
	}
}
