package analytics

import (
	"github.com/gofiber/fiber/v2"

	"hailong/web"
)

// Routes registers the analytics API, the dashboard pages, the official
// report and the exports: one table, handlers are factories. Every route
// needs a viewer, manager or admin (docs/METHODOLOGY.md "API",
// docs/DASHBOARD.md); flagging needs an admin (a manager proposes), writing
// improvement actions a manager or admin.
func Routes(app fiber.Router, d *web.Deps) {
	// The JSON API: an API token or a session of a viewer, manager or
	// admin (401 without, 403 for another role); the unit, group, counter
	// or staff member asked is then checked against the caller's subtree
	// as the query is parsed (parseRequest, 403 outside it).
	apiRead := web.RequireAPI(d, web.ActRead)
	app.Get("/api/v1/analytics/summary", apiRead, getSummary(d))
	app.Get("/api/v1/analytics/timeliness", apiRead, getTimeliness(d))
	app.Get("/api/v1/analytics/trend", apiRead, getTrend(d))
	app.Get("/api/v1/analytics/breakdown", apiRead, getBreakdown(d))
	app.Get("/api/v1/analytics/heatmap", apiRead, getHeatmap(d))
	app.Get("/api/v1/analytics/painpoints", apiRead, getPainPoints(d))
	app.Get("/api/v1/analytics/tt01", apiRead, getTT01(d))
	app.Get("/api/v1/analytics/satisfaction766", apiRead, getSat766(d))
	// The anomaly review (review_get.go): readers covering every unit.
	app.Get("/api/v1/analytics/anomalies", apiRead, getAnomalies(d))

	// Pages (a logged-in viewer, manager or admin; docs/DASHBOARD.md).
	read := web.RequireUser(d, web.ActRead)
	app.Get("/dashboard", read, getDashboard(d))
	app.Get("/dashboard/criteria/:key", read, getCriterion(d))
	app.Get("/dashboard/comments", read, getComments(d))
	// What counts (docs/SECURITY.md "The ranked party"): administrators
	// change flags, with a reason; managers propose, administrators decide.
	propose, flag := web.RequireUser(d, web.ActPropose), web.RequireUser(d, web.ActFlag)
	app.Get("/dashboard/comments/flag", propose, getFlagForm(d))
	app.Post("/dashboard/comments/flag", flag, postFlag(d))
	app.Get("/dashboard/proposals", propose, getProposals(d))
	app.Post("/dashboard/proposals", propose, postProposal(d))
	app.Post("/dashboard/proposals/:id", flag, postDecision(d))
	app.Post("/api/v1/responses/:ref/flags", web.RequireAPI(d, web.ActFlag), apiSetFlags(d))
	app.Get("/reports/official", read, getReport(d))
	app.Get("/review", read, getReview(d))

	// Improvement actions (action_*.go): viewers read, managers (their
	// subtree) and admins write.
	manage := web.RequireUser(d, web.ActManage)
	app.Get("/actions", read, getActions(d))
	app.Get("/actions/new", manage, getActionNew(d))
	app.Post("/actions", manage, postActionCreate(d))
	app.Get("/actions/:id", read, getAction(d))
	app.Post("/actions/:id", manage, postActionUpdate(d))
	app.Post("/actions/:id/close", manage, postActionClose(d))
	apiManage := web.RequireAPI(d, web.ActManage)
	app.Get("/api/v1/actions", apiRead, apiListActions(d))
	app.Post("/api/v1/actions", apiManage, apiCreateAction(d))
	app.Get("/api/v1/actions/:id", apiRead, apiGetAction(d))
	app.Patch("/api/v1/actions/:id", apiManage, apiUpdateAction(d))
	app.Post("/api/v1/actions/:id", apiManage, apiUpdateAction(d))

	// Exports: a session or an API token of a viewer, manager or admin.
	export := web.RequireAPI(d, web.ActRead)
	app.Get("/exports/responses.csv", export, getResponsesCSV(d))
	app.Get("/exports/responses.xlsx", export, getResponsesXLSX(d))
	app.Get("/exports/summary.csv", export, getSummaryCSV(d))
	app.Get("/exports/summary.xlsx", export, getSummaryXLSX(d))
	app.Get("/exports/breakdown.csv", export, getBreakdownCSV(d))
}
