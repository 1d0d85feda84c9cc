package web

import (
	"embed"
	"html/template"
	"io/fs"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/static"
	"hailong/survey"
)

//go:embed templates/*.html
var layoutFS embed.FS

// Page is what every page template receives: the layout reads User, CSRF,
// Title and Flash; the page's own template reads Data.
type Page struct {
	Title string
	User  *Principal // nil on public pages
	CSRF  string     // put in every state-changing form as _csrf
	Nav   string     // the active menu entry: dashboard, reception, admin, account
	Flash string     // a one-line confirmation shown above the content
	Lang  string     // "vi" (default) or "en"
	Data  any
}

// Can lets templates show only what the user may use.
func (p *Page) Can(action string) bool { return p.User != nil && p.User.Can(action) }

// Funcs are the template functions every template may use.
var Funcs = template.FuncMap{
	"asset": static.URL,
	"csrf": func(p *Page) template.HTML {
		return template.HTML(`<input type="hidden" name="` + CSRFField + `" value="` + template.HTMLEscapeString(p.CSRF) + `">`)
	},
	"roleName": RoleName,
}

// Templates are loaded in one way, here, once at start-up (a package's test
// renders every one): ParsePages for pages inside the staff layout,
// ParseViews for standalone documents (the kiosk, the citizen's forms,
// slips, the home page). Both use Funcs.

// Pages is a set of page templates, each parsed together with the layout:
// a page file defines "title" (optional) and "main".
type Pages map[string]*template.Template

// ParsePages parses every file matching pattern in fsys as one page named
// after the file (without .html), each joined with the layout and with the
// partials of the files matching shared ("" = none).
func ParsePages(fsys fs.FS, pattern, shared string) Pages {
	base := template.Must(template.New("layout").Funcs(Funcs).ParseFS(layoutFS, "templates/layout.html"))
	if shared != "" {
		template.Must(base.ParseFS(fsys, shared))
	}
	files, err := fs.Glob(fsys, pattern)
	if err != nil || len(files) == 0 {
		panic("web: no page templates match " + pattern)
	}
	out := Pages{}
	for _, f := range files {
		if path.Base(f) == "layout.html" {
			continue
		}
		t := template.Must(template.Must(base.Clone()).ParseFS(fsys, f))
		out[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return out
}

// ParseViews parses every file matching pattern in fsys into one set of
// standalone documents; each file defines a template named after its view.
func ParseViews(fsys fs.FS, pattern string) *template.Template {
	return template.Must(template.New("").Funcs(Funcs).ParseFS(fsys, pattern))
}

// RenderView writes view name of set with status.
func RenderView(c *fiber.Ctx, set *template.Template, status int, name string, data any) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Status(status)
	return set.ExecuteTemplate(c.Response().BodyWriter(), name, data)
}

// Render writes page name with status.
func (ps Pages) Render(c *fiber.Ctx, status int, name string, p *Page) error {
	t := ps[name]
	if t == nil {
		return survey.Errorf(survey.EINTERNAL, "no page %q", name)
	}
	if p.Lang == "" {
		p.Lang = "vi"
	}
	if p.User != nil && p.CSRF == "" {
		p.CSRF = p.User.CSRF
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(status)
	return t.ExecuteTemplate(c.Response().BodyWriter(), "layout.html", p)
}

var ownPages = ParsePages(layoutFS, "templates/*.html", "")

// RoleName is a role in Vietnamese and English.
func RoleName(role string) string {
	switch role {
	case survey.RoleAdmin:
		return "Quản trị hệ thống / Administrator"
	case survey.RoleManager:
		return "Lãnh đạo, quản lý / Manager"
	case survey.RoleReception:
		return "Tiếp nhận hồ sơ / Reception"
	case survey.RoleViewer:
		return "Xem báo cáo / Viewer"
	}
	return role
}

// wantsHTML reports whether an error should be shown as a page rather than
// JSON: browsers asking for a page outside /api/.
func wantsHTML(c *fiber.Ctx) bool {
	if strings.HasPrefix(c.Path(), "/api/") || c.Path() == "/metrics" || c.Path() == "/healthz" {
		return false
	}
	return strings.Contains(c.Get(fiber.HeaderAccept), "text/html")
}

// errorPage renders e as an HTML page for a browser.
func errorPage(c *fiber.Ctx, status int, e *survey.Error) error {
	p := &Page{Title: "Lỗi / Error", Data: e}
	if status == fiber.StatusUnauthorized {
		return c.Redirect("/login?next="+pathOnly(c), fiber.StatusSeeOther)
	}
	return ownPages.Render(c, status, "error", p)
}

// pathOnly is the request's path and query, as a safe "next" target.
func pathOnly(c *fiber.Ctx) string {
	return template.URLQueryEscaper(string(c.Request().URI().RequestURI()))
}
