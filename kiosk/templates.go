package kiosk

import (
	"embed"
	"hailong/web"

	"github.com/gofiber/fiber/v2"
)

//go:embed templates/*.html
var templateFS embed.FS

// views are parsed once at start-up; a test renders every one.
var views = web.ParseViews(templateFS, "templates/*.html")

// notice is a simple full-page message.
type notice struct {
	Title   string
	Lines   []string
	English []string
	OK      bool
}

func render(c *fiber.Ctx, status int, name string, data any) error {
	return web.RenderView(c, views, status, name, data)
}
