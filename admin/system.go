package admin

import (
	"github.com/gofiber/fiber/v2"

	"hailong/web"
)

// systemRoutes registers the installation pages: surveys, settings, users
// and tokens, backup, audit log. (Filled in by the system pages work.)
func systemRoutes(g fiber.Router, d *web.Deps) {}
