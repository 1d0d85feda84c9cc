// Package kiosk serves what citizens and devices touch: the submission API,
// kiosk pairing and the kiosk page, the receipt QR form and slips.
package kiosk

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"

	"hailong/web"
)

// Routes registers the package's routes: one table, handlers are factories.
func Routes(app fiber.Router, d *web.Deps) {
	gz := compress.New(compress.Config{Level: compress.LevelBestCompression})
	app.Post("/api/v1/responses", submitResponse(d))
	app.Post("/api/v1/kiosk/heartbeat", kioskHeartbeat(d))
	app.Post("/api/v1/counters/:id/sign-on", counterSignOn(d))
	app.Post("/api/v1/counters/:id/sign-off", counterSignOff(d))
	app.Get("/kiosk/pair/:code", pairKiosk(d))
	app.Get("/kiosk/state.json", gz, kioskState(d))
	app.Get("/kiosk/sw.js", gz, kioskWorker)
	app.Get("/kiosk", gz, kioskPage(d))
	if err := d.Metrics.Register(newKioskCollector(d.DB)); err != nil {
		d.Log.Error("kiosk metrics not registered", "err", err)
	}
}
