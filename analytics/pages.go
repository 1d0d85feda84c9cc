package analytics

import (
	"embed"
	"html/template"

	"hailong/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages are the dashboard, criterion, comments, report and invalid-filter
// pages, each joined with the shared layout (web.ParsePages) and with the
// partials of templates/_shared.html. Parsed once at start-up; a test
// renders every one.
var pages = parsePages()

func parsePages() web.Pages {
	ps := web.ParsePages(templateFS, "templates/[a-z]*.html", nil)
	for _, t := range ps {
		template.Must(t.ParseFS(templateFS, "templates/_shared.html"))
	}
	return ps
}
