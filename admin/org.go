package admin

import (
	"github.com/gofiber/fiber/v2"

	"hailong/web"
)

// orgRoutes registers the organisation pages. Units and groups change the
// whole installation and are for administrators; counters and staff are for
// managers too, each within their own unit subtree. Kiosks submit responses
// that count toward the unit's rank, so only administrators add them or
// make pairing links; a manager sees the subtree's kiosks, renames them and
// can revoke one (a lost tablet) — nothing that adds what counts.
func orgRoutes(g fiber.Router, d *web.Deps) {
	g.Get("/units", adminOnly, showUnits(d))
	g.Post("/units", adminOnly, createUnit(d))
	g.Post("/units/import", adminOnly, importUnits(d))
	g.Get("/units/:id/edit", adminOnly, editUnit(d))
	g.Post("/units/:id/edit", adminOnly, saveUnit(d))
	g.Post("/groups", adminOnly, createGroup(d))
	g.Post("/groups/:id", adminOnly, renameGroup(d))

	g.Get("/counters", listCounters(d))
	g.Post("/counters", createCounter(d))
	g.Post("/counters/:id", renameCounter(d))

	g.Get("/staff", listStaff(d))
	g.Post("/staff", createStaff(d))
	g.Get("/staff/:id/edit", editStaff(d))
	g.Post("/staff/:id/edit", saveStaff(d))
	g.Get("/staff/:id/photo", showPhoto(d))
	g.Post("/staff/:id/photo", uploadPhoto(d))
	g.Post("/staff/:id/photo/delete", deletePhoto(d))

	g.Get("/kiosks", listKiosks(d))
	g.Post("/kiosks", adminOnly, createKiosk(d))
	g.Get("/kiosks/:id", showKiosk(d))
	g.Post("/kiosks/:id", renameKiosk(d))
	g.Post("/kiosks/:id/pair", adminOnly, repairKiosk(d))
	g.Post("/kiosks/:id/revoke", revokeKiosk(d))
}
