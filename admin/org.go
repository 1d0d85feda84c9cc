package admin

import (
	"github.com/gofiber/fiber/v2"

	"hailong/web"
)

// orgRoutes registers the organisation pages: units, groups, counters,
// staff, kiosks. (Filled in by the organisation pages work.)
func orgRoutes(g fiber.Router, d *web.Deps) {}
