package analytics

import (
	"github.com/gofiber/fiber/v2"

	"hailong/web"
)

// Routes registers the analytics API: one table, handlers are factories.
// Every route needs a viewer, manager or admin (docs/METHODOLOGY.md "API").
func Routes(app fiber.Router, d *web.Deps) {
	app.Get("/api/v1/analytics/summary", getSummary(d))
	app.Get("/api/v1/analytics/timeliness", getTimeliness(d))
	app.Get("/api/v1/analytics/trend", getTrend(d))
	app.Get("/api/v1/analytics/breakdown", getBreakdown(d))
	app.Get("/api/v1/analytics/heatmap", getHeatmap(d))
	app.Get("/api/v1/analytics/painpoints", getPainPoints(d))
	app.Get("/api/v1/analytics/tt01", getTT01(d))
}
