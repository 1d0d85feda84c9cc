package kiosk

import (
	"embed"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"hailong/static"
)

//go:embed templates/*.html
var templateFS embed.FS

// views are parsed once at start-up; a test renders every one.
var views = template.Must(template.New("").Funcs(template.FuncMap{"css": static.URL}).ParseFS(templateFS, "templates/*.html"))

// notice is a simple full-page message.
type notice struct {
	Title   string
	Lines   []string
	English []string
	OK      bool
}

func render(c *fiber.Ctx, status int, name string, data any) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Status(status)
	return views.ExecuteTemplate(c.Response().BodyWriter(), name, data)
}
