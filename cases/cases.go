// Package cases serves the citizens' cases (phản ánh, kiến nghị — PAKN,
// docs/CASES.md): the inbox of a unit subtree (/phan-anh), the case page
// with its forms (assign, status, internal note, reply), a case opened by
// hand by reception (/phan-anh/moi), the citizen's one-time page to rate
// the handling (/danh-gia/{token}) and the JSON API (/api/v1/cases).
//
// Who sees what: managers, reception staff and administrators see the
// cases of their subtree (a case outside it is a 404, as if it did not
// exist). Managers and administrators assign; the assignee, managers and
// administrators change the status, reply and see the citizen's contact
// (each read audited); everyone who sees a case may add a note.
package cases

import (
	"embed"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

//go:embed templates/*.html views/*.html
var templateFS embed.FS

// pages are the staff pages (in the layout), views the citizen's pages;
// both parsed once at start-up, and a test renders every one.
var (
	pages = web.ParsePages(templateFS, "templates/[a-z]*.html", "templates/_*.html")
	views = web.ParseViews(templateFS, "views/*.html")
)

// Routes registers the case pages, the rating page and the API.
func Routes(app fiber.Router, d *web.Deps) {
	app.Get("/danh-gia/:token", showRating(d))
	app.Post("/danh-gia/:token", saveRating(d))
	api := web.RequireAPI(d, web.ActManage)
	app.Get("/api/v1/cases", api, listCasesAPI(d))
	app.Get("/api/v1/cases/:id", api, showCaseAPI(d))
	g := app.Group("/phan-anh", web.RequireUser(d, web.ActCases))
	g.Get("/", showInbox(d))
	g.Get("/moi", newCaseForm(d))
	g.Post("/moi", createCase(d))
	g.Get("/:id", showCase(d))
	g.Post("/:id/assign", assignCase(d))
	g.Post("/:id/status", setStatus(d))
	g.Post("/:id/note", addNote(d))
	g.Post("/:id/reply", replyCase(d))
}

// visibleCase returns the case with id if the caller's subtree covers its
// unit; any other case is ENOTFOUND, as if it did not exist.
func visibleCase(c *fiber.Ctx, d *web.Deps, id string) (*survey.Case, error) {
	cs, err := d.Cases.Case(strings.Clone(id))
	if err != nil {
		return nil, err
	}
	if !web.Who(c).Covers(d.Org, cs.Unit) {
		return nil, survey.Errorf(survey.ENOTFOUND, "Không tìm thấy phản ánh. / Case not found.")
	}
	return cs, nil
}

// manages reports whether p may assign cases (managers and administrators).
func manages(p *web.Principal) bool { return p.Can(web.ActManage) }

// handles reports whether p handles cs: its assignee, a manager covering
// it, an administrator. Handlers change the status, reply and see the
// contact.
func handles(p *web.Principal, cs *survey.Case) bool {
	return manages(p) || cs.Assignee != "" && cs.Assignee == p.Name
}

// forbidden is the 403 of a step the caller's role may not take.
func forbidden() error {
	return survey.Errorf(survey.EFORBIDDEN, "Chỉ người được giao, lãnh đạo đơn vị và quản trị viên được làm việc này. / Only the assignee, the unit's managers and administrators may do this.")
}

// unitName is the name of a unit, or its id.
func unitName(d *web.Deps, id string) string {
	if u := d.Org.Unit(id); u != nil {
		return u.Name
	}
	return id
}

// page builds the common page data of the case pages.
func page(c *fiber.Ctx, title string, data any) *web.Page {
	return &web.Page{Title: title, User: web.Who(c), Nav: "cases", Data: data}
}

// formText is a form field copied out of Fiber's buffers, trimmed.
func formText(c *fiber.Ctx, key string) string {
	return strings.TrimSpace(strings.Clone(c.FormValue(key)))
}
