package admin

import (
	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// servePhoto serves /photos/<content hash>: the staff card on a kiosk and
// staff pages. A kiosk sees the photos of staff in its unit's line (its
// subtree or the units above it: a Sở's staff may serve at a department's
// counter); users and tokens see those in their subtree. The URL changes
// with the photo, so it is cached for good.
func servePhoto(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := web.Authenticate(d, c)
		if err != nil {
			return err
		}
		s, ctype, img := d.Staff.PhotoByHash(c.Params("hash"))
		if s == nil {
			return survey.Errorf(survey.ENOTFOUND, "Không có ảnh này. / No such photo.")
		}
		ok := p.Covers(d.Org, s.Unit)
		if p.Kind == "kiosk" {
			ok = ok || d.Org.InSubtree(p.Unit, s.Unit)
		}
		if !ok {
			return web.Forbid(s.Unit)
		}
		c.Set(fiber.HeaderContentType, ctype)
		c.Set(fiber.HeaderCacheControl, "private, max-age=31536000, immutable")
		return c.Send(img)
	}
}
