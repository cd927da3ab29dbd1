package visits

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/web"
)

// LivePath is the live view's server-sent event stream. It is a plain route, not a huma
// operation, because it streams: each update is an event "position" whose data is a LiveUpdate.
const LivePath = "/api/v1/live"

// livePing keeps idle streams open through proxies and notices clients that went away.
const livePing = 15 * time.Second

// RegisterRoutes adds the streaming routes to the app.
func (h *HTTP) RegisterRoutes(r fiber.Router) { r.Get(LivePath, h.live) }

func (h *HTTP) live(c *fiber.Ctx) error {
	if _, ok := identity.From(c.UserContext()); !ok {
		return web.WriteError(c, fault.New(fault.Unauthorized, "unauthenticated", "sign in first: send a session cookie or an Authorization: Bearer token"))
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
			}
			if w.Flush() != nil {
				return // the client went away
			}
		}
	})
	return nil
}
