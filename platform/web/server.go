// Package web is the HTTP edge: one fiber app, huma operations with their OpenAPI document, the
// one error shape, request ids, logs, metrics, health, and the hooks that authenticate and audit.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"reflect"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humafiber"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/shopspring/decimal"

	"github.com/repflow/repflow/platform/identity"
)

// BodyLimit caps every request body as it is read. Each operation then sets its own limit,
// 1 MiB unless it says otherwise (huma's MaxBodyBytes): only uploads go above it.
const BodyLimit = 16 << 20

// Module is a domain's HTTP surface: it registers its operations on the API.
type Module interface {
	Register(api huma.API)
}

// Streamer is a module with plain routes besides its operations: streams (server-sent events)
// that huma's adapter for fiber cannot write as they happen. A stream ends when stopping is
// closed: a shutdown waits for open connections, and a stream never finishes on its own.
type Streamer interface {
	RegisterRoutes(r fiber.Router, stopping <-chan struct{})
}

// Options wires the server to the rest of the platform.
type Options struct {
	Version string
	Log     *slog.Logger
	// Ready reports whether the server can serve (the database answers).
	Ready func(ctx context.Context) error
	// Authenticate finds the caller's principal from the request's credentials, if any; it
	// returns ok=false for an anonymous request and a fault for bad credentials.
	Authenticate func(c *fiber.Ctx) (p identity.Principal, ok bool, err error)
	// Admit refuses an authenticated request when the caller's tenant is out of service, or
	// read-only and the request would write, with the fault that says why (nil: all admitted).
	Admit func(ctx context.Context, p identity.Principal, method, path string) error
	// Count notes each authenticated API request that was admitted, for the tenant's usage.
	Count func(tenant uuid.UUID)
	// Around wraps every authenticated API request (the request transaction and its audit
	// record). It must call next; it may answer next's error itself.
	Around func(c *fiber.Ctx, next func() error) error
	// Metrics registers collectors; nil means a new registry.
	Metrics *prometheus.Registry
	// TrustedProxies are the addresses (IPs or CIDRs) of load balancers whose X-Forwarded-For
	// names the client. Without them the client is the connection's peer: per-IP login limits
	// behind an untrusted proxy would otherwise lock everyone out together, or be spoofable.
	TrustedProxies []string
}

// Server is the HTTP application.
type Server struct {
	App     *fiber.App
	API     huma.API
	Metrics *prometheus.Registry

	stopping chan struct{} // closed by Shutdown
	stopOnce sync.Once
}

// New builds the server with its middleware; modules then register their operations on API.
func New(o Options) *Server {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Metrics == nil {
		o.Metrics = prometheus.NewRegistry()
		o.Metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	cfg := fiber.Config{
		// fasthttp reuses its buffers after a handler returns: strings taken from a request must
		// be copies, or they change under whoever kept them.
		Immutable:             true,
		BodyLimit:             BodyLimit,
		ErrorHandler:          fiberErrorHandler,
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
	}
	if len(o.TrustedProxies) > 0 {
		cfg.ProxyHeader = fiber.HeaderXForwardedFor
		cfg.EnableTrustedProxyCheck = true
		cfg.TrustedProxies = o.TrustedProxies
	}
	app := fiber.New(cfg)
	m := newHTTPMetrics(o.Metrics)
	app.Use(requestContext(o.Log), m.observe, accessLog(o.Log), recoverPanic)

	app.Get("/healthz", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) })
	app.Get("/readyz", func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 3*time.Second)
		defer cancel()
		if o.Ready != nil {
			if err := o.Ready(ctx); err != nil {
				o.Log.WarnContext(ctx, "not ready", "error", err)
				return c.Status(http.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "reason": "database does not answer"})
			}
		}
		return c.JSON(fiber.Map{"status": "ready"})
	})
	app.Get("/metrics", adaptor.HTTPHandler(promhttp.HandlerFor(o.Metrics, promhttp.HandlerOpts{})))

	if o.Authenticate != nil {
		app.Use("/api", authenticate(o.Authenticate, o.Admit, o.Count))
	}
	if o.Around != nil {
		app.Use("/api/v1", func(c *fiber.Ctx) error {
			if _, ok := identity.From(c.UserContext()); !ok {
				return c.Next()
			}
			return o.Around(c, c.Next)
		})
	}

	hcfg := huma.DefaultConfig("repflow API", o.Version)
	hcfg.OpenAPIPath = "/api/openapi"
	hcfg.DocsPath = "/api/docs"
	hcfg.SchemasPath = "/api/schemas"
	hcfg.Info.Description = "Field sales: visits, pipeline, orders and appraisal, per tenant."
	hcfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer":  {Type: "http", Scheme: "bearer", Description: "An API token (rft_...) from POST /api/v1/auth/tokens or a mobile login."},
		"session": {Type: "apiKey", In: "cookie", Name: SessionCookie, Description: "The web session; unsafe methods also need the X-CSRF-Token header."},
	}
	hcfg.Security = []map[string][]string{{"bearer": {}}, {"session": {}}}
	// Money travels as decimal text ("12.50"), never a float: the API describes and checks
	// decimal.Decimal as the string it marshals to.
	hcfg.Components.Schemas.RegisterTypeAlias(reflect.TypeFor[decimal.Decimal](), reflect.TypeFor[string]())
	api := humafiber.New(app, hcfg)
	api.UseMiddleware(requirePrincipal(api))
	return &Server{App: app, API: api, Metrics: o.Metrics, stopping: make(chan struct{})}
}

// Mount registers the modules' operations.
func (s *Server) Mount(mods ...Module) {
	for _, m := range mods {
		m.Register(s.API)
		if st, ok := m.(Streamer); ok {
			st.RegisterRoutes(s.App, s.stopping)
		}
	}
}

// Listen serves on addr until ctx ends, then drains in-flight requests for up to grace.
func (s *Server) Listen(ctx context.Context, addr string, grace time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- s.App.Listen(addr) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	return s.Shutdown(grace)
}

// Shutdown ends the streams, then stops accepting requests and waits up to grace for those in
// flight.
func (s *Server) Shutdown(grace time.Duration) error {
	s.stopOnce.Do(func() { close(s.stopping) })
	return s.App.ShutdownWithTimeout(grace)
}

// SessionCookie is the web session cookie's name.
const SessionCookie = "repflow_session"

// CSRFHeader carries the session's CSRF token on unsafe methods.
const CSRFHeader = "X-CSRF-Token"

// publicKey marks an operation that anonymous callers may use.
const publicKey = "repflow.public"

// Public marks op as callable without credentials (sign-up, login, password reset).
func Public(op huma.Operation) huma.Operation {
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[publicKey] = true
	op.Security = []map[string][]string{}
	return op
}

// IsPublic reports whether op was marked with Public.
func IsPublic(op *huma.Operation) bool {
	v, _ := op.Metadata[publicKey].(bool)
	return v
}
