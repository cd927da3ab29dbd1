// Package web is the user interface: the TypeScript app in this directory (see README.md),
// which Vite builds into dist/, embedded into the repflow binary and served at /.
package web

import (
	"embed"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// dist is the built app. A checkout that has not built it holds only dist/.keep, and the server
// then answers the app's pages with a note saying how to build it: the API works either way.
//
//go:embed all:dist
var dist embed.FS

// notBuilt is the page served when the binary was built without the app.
const notBuilt = `<!doctype html><meta charset="utf-8"><title>repflow</title>
<p>This repflow binary was built without its user interface. Build it with <code>make build</code>
(or <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>, then build the binary again); the
API answers at <a href="/api/docs">/api/docs</a> meanwhile.</p>`

// apiPrefixes are the paths the app never answers: an unknown API path is the API's 404.
var apiPrefixes = []string{"/api/", "/admin/api/", "/healthz", "/readyz", "/metrics"}

func init() {
	// The platform's MIME table may not know these, and a phone will not install a PWA whose
	// manifest comes as text/plain.
	_ = mime.AddExtensionType(".webmanifest", "application/manifest+json")
	_ = mime.AddExtensionType(".svg", "image/svg+xml")
}

// Mount serves the app on app, after every other route: a file of dist where there is one,
// index.html for any other page path (the app routes in the browser), 404 for a missing asset.
// Hashed assets are cached for a year; the pages and the service worker are revalidated on
// each load, so a new release reaches phones at once.
func Mount(app *fiber.App) {
	files, _ := fs.Sub(dist, "dist")
	index, err := fs.ReadFile(files, "index.html")
	built := err == nil
	app.Use(func(c *fiber.Ctx) error {
		p := c.Path()
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
			return c.Next()
		}
		for _, prefix := range apiPrefixes {
			if strings.HasPrefix(p, prefix) {
				return c.Next()
			}
		}
		if !built {
			c.Set(fiber.HeaderCacheControl, "no-cache")
			c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
			return c.Status(http.StatusOK).SendString(notBuilt)
		}
		name := strings.TrimPrefix(path.Clean(p), "/")
		if name != "" && name != "index.html" {
			if body, err := fs.ReadFile(files, name); err == nil {
				if strings.HasPrefix(name, "assets/") {
					c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
				} else {
					c.Set(fiber.HeaderCacheControl, "no-cache")
				}
				if t := mime.TypeByExtension(path.Ext(name)); t != "" {
					c.Set(fiber.HeaderContentType, t)
				}
				return c.Send(body)
			}
			if strings.HasPrefix(name, "assets/") {
				return c.Status(http.StatusNotFound).SendString("not found")
			}
		}
		c.Set(fiber.HeaderCacheControl, "no-cache")
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		return c.Send(index)
	})
}
