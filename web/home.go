package web

import (
	"embed"

	"github.com/gofiber/fiber/v2"
)

//go:embed views/*.html
var viewFS embed.FS

// views are web's standalone documents: home, the page at /, says what this
// server is and where to go, so that a newcomer opening the address after
// `make run` is not met by a JSON 404.
var views = ParseViews(viewFS, "views/*.html")

// Home serves the landing page.
func Home(c *fiber.Ctx) error {
	return RenderView(c, views, fiber.StatusOK, "home", nil)
}
