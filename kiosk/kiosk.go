// Package kiosk serves what citizens and devices touch: the submission API,
// kiosk pairing and the kiosk page, the receipt QR form and slips.
package kiosk

import (
	"github.com/gofiber/fiber/v2"

	"hailong/web"
)

// Routes registers the package's routes: one table, handlers are factories.
func Routes(app fiber.Router, d *web.Deps) {
	app.Post("/api/v1/responses", submitResponse(d))
	app.Get("/kiosk/pair/:code", pairKiosk(d))
	app.Get("/kiosk", kioskPage(d))
}
