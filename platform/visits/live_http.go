package visits

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/gofiber/fiber/v2"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web"
)

// LivePath is the live view's server-sent event stream. It is a plain route, not a huma
// operation, because it streams: each update is an event "position" whose data is a LiveUpdate.
const LivePath = "/api/v1/live"

// livePing keeps idle streams open through proxies and notices clients that went away.
const livePing = 15 * time.Second

// documentLive describes the stream in the OpenAPI document; fiber serves it (RegisterRoutes).
func documentLive(api huma.API) {
	api.OpenAPI().AddOperation(&huma.Operation{OperationID: "live", Method: http.MethodGet, Path: LivePath, Tags: trackTags,
		Summary: "Live positions and fence events of the reps whose tracks the caller may read (server-sent events)",
		Description: "First each visible rep's last position, then one `position` event per batch of fixes as it is " +
			"stored, on any server: `data` is a JSON object with rep_id, position {rep_id, lat, lon, accuracy, at} and " +
			"events [{kind, customer_id, at}] (more_events counts those left out of a long batch). A comment line " +
			"arrives every 15 s. Delivery is best effort: after a reconnect, read GET /api/v1/tracks/positions.",
		Responses: map[string]*huma.Response{
			"200": {Description: "the stream", Content: map[string]*huma.MediaType{"text/event-stream": {}}},
			"401": {Description: "not signed in"},
			"403": {Description: "the caller may see no rep's track"},
		}})
}

// RegisterRoutes adds the streaming routes to the app; they end when stopping closes.
func (h *HTTP) RegisterRoutes(r fiber.Router, stopping <-chan struct{}) {
	r.Get(LivePath, func(c *fiber.Ctx) error { return h.live(c, stopping) })
}

func (h *HTTP) live(c *fiber.Ctx, stopping <-chan struct{}) error {
	if _, ok := identity.From(c.UserContext()); !ok {
		return web.WriteError(c, web.SignInFirst())
	}
	// The stream outlives this handler (fasthttp writes it afterwards), so it gets its own
	// context, ended when the client goes away.
	ctx, cancel := context.WithCancel(context.WithoutCancel(c.UserContext()))
	updates, err := h.svc.Live(ctx)
	if err != nil {
		cancel()
		return web.WriteError(c, err)
	}
	c.Set(fiber.HeaderContentType, "text/event-stream")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set("X-Accel-Buffering", "no")
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer cancel()
		ping := time.NewTicker(livePing)
		defer ping.Stop()
		if _, err := w.WriteString(": connected\n\n"); err != nil || w.Flush() != nil {
			return
		}
		for {
			select {
			case u, ok := <-updates:
				if !ok {
					return
				}
				raw, err := json.Marshal(u)
				if err != nil {
					return
				}
				fmt.Fprintf(w, "event: position\ndata: %s\n\n", raw)
			case <-ping.C:
				_, _ = w.WriteString(": ping\n\n")
			case <-stopping:
				return
			}
			if w.Flush() != nil {
				return // the client went away
			}
		}
	})
	return nil
}
