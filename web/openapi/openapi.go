// Package openapi serves the OpenAPI 3 description of every /api/v1 route,
// written by hand in openapi.json and embedded in the binary, so that the
// one-stop system vendors can generate clients (docs/INTEGRATION.md). The
// tests in cmd/hailong check that every /api/v1 route is described and
// validate the suite's requests and answers against it.
package openapi

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// Path is where the description is served.
const Path = "/api/v1/openapi.json"

// Document is the description, as served.
//
//go:embed openapi.json
var Document []byte

// Routes registers GET /api/v1/openapi.json: public, cacheable for an hour
// (it changes only with the binary).
func Routes(app fiber.Router) {
	app.Get(Path, func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.Send(Document)
	})
}
