package analytics

import (
	"embed"

	"hailong/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages are the dashboard, criterion, comments, report and invalid-filter
// pages, each joined with the shared layout (web.ParsePages) and with the
// partials of templates/_shared.html. Parsed once at start-up; a test
// renders every one.
var pages = web.ParsePages(templateFS, "templates/[a-z]*.html", "templates/_shared.html")
