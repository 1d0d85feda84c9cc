// Package admin serves the administration pages: the unit tree, counters,
// staff, kiosks, surveys, settings, users, tokens, backups and the audit
// log. Managers see the pages for their subtree's counters, staff and kiosks
// (kiosks without adding or pairing them); everything else is for
// administrators.
package admin

import (
	"embed"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages are parsed once at start-up, each with the partials of
// templates/_shared.html; a test renders every one.
var pages = web.ParsePages(templateFS, "templates/[a-z]*.html", "templates/_shared.html")

// Routes registers /admin and its sub-pages.
func Routes(app fiber.Router, d *web.Deps) {
	app.Get("/photos/:hash", servePhoto(d))
	g := app.Group("/admin", web.RequireUser(d, web.ActManage))
	g.Get("/", showIndex(d))
	orgRoutes(g, d)
	systemRoutes(g, d)
}

// adminOnly refuses managers on the pages that change the whole installation.
func adminOnly(c *fiber.Ctx) error {
	if !web.Who(c).Can(web.ActAdmin) {
		return survey.Errorf(survey.EFORBIDDEN, "Chỉ quản trị hệ thống được dùng trang này. / Only administrators may use this page.")
	}
	return c.Next()
}

// audit records an administrative action by the current user.
func audit(c *fiber.Ctx, d *web.Deps, action, target, detail string) {
	if err := d.Audit.Audit(survey.AuditEntry{Actor: web.Who(c).Actor(), Action: action, Target: target, Detail: detail}); err != nil {
		d.Log.Error("audit", "action", action, "err", err)
	}
}

// page builds the common page data for the admin section.
func page(c *fiber.Ctx, title string, data any) *web.Page {
	return &web.Page{Title: title, User: web.Who(c), Nav: "admin", Data: data}
}

func showIndex(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return pages.Render(c, fiber.StatusOK, "index", page(c, "Quản trị / Administration", nil))
	}
}
