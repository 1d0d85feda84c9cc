// Package kiosk serves what citizens and devices touch: the submission API,
// kiosk pairing and the kiosk page, the receipt QR form and slips, open
// posters, and the reception desk's receipts and dossier outcomes.
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
	app.Post("/api/v1/responses/:id/case", openCaseForKiosk(d)) // the kiosk's contact screen
	app.Post("/api/v1/kiosk/heartbeat", kioskHeartbeat(d))
	app.Post("/api/v1/counters/:id/sign-on", counterSignOn(d))
	app.Post("/api/v1/counters/:id/sign-off", counterSignOff(d))
	app.Get("/kiosk/pair/:code", confirmPair(d)) // and HEAD: shows, never redeems
	app.Post("/kiosk/pair", pairKiosk(d))
	app.Get("/kiosk/state.json", gz, kioskState(d))
	app.Get("/kiosk/sw.js", gz, kioskWorker)
	app.Get("/kiosk", gz, kioskPage(d))

	// Receipts, the mobile form and open posters (docs/RECEIPTS.md).
	app.Post("/api/v1/receipts", issueReceipt(d))
	app.Get("/api/v1/receipts/:token/qr.png", receiptQR(d, "png"))
	app.Get("/api/v1/receipts/:token/qr.svg", receiptQR(d, "svg"))
	app.Get("/receipts/:token/slip", gz, receiptSlip(d))
	app.Post("/api/v1/dossiers/:code/finish", finishDossier(d))
	app.Get("/r/:token", gz, receiptForm(d))
	app.Post("/r/:token", gz, receiptAnswer(d))
	desk := app.Group("/reception", web.RequireUser(d, web.ActReceipt)) // login, role, CSRF on posts
	desk.Get("/", showReception(d))
	desk.Post("/receipts", issueByHand(d))
	desk.Post("/finish", finishByHand(d))
	desk.Post("/counters/:id/sign-on", signOnByHand(d))
	desk.Post("/counters/:id/sign-off", signOffByHand(d))
	app.Post("/contact/:id", gz, sendContact(d)) // the forms' contact step (contact_form.go)
	p := newPosters(d)
	app.Get("/f/:unit", gz, p.form)
	app.Post("/f/:unit", gz, p.answer)
	app.Get("/f/:unit/poster", gz, p.poster)
	app.Get("/f/:unit/qr.png", p.qr("png"))
	app.Get("/f/:unit/qr.svg", p.qr("svg"))
	if err := d.Metrics.Register(newKioskCollector(d.Services)); err != nil {
		d.Log.Error("kiosk metrics not registered", "err", err)
	}
}
