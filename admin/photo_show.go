package admin

import (
	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// showPhoto serves a staff member's photo to whoever manages them. The
// stored type was read from the bytes at upload, and nosniff is set on
// every response, so a browser never treats a photo as anything else.
func showPhoto(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		s, err := staffOf(c, d)
		if err != nil {
			return err
		}
		ctype, img := d.Staff.StaffPhoto(s.ID)
		if img == nil {
			return survey.Errorf(survey.ENOTFOUND, "Công chức này chưa có ảnh. / This staff member has no photo.")
		}
		c.Set(fiber.HeaderContentType, ctype)
		c.Set(fiber.HeaderCacheControl, "private, max-age=86400") // page URLs carry the content hash
		c.Set(fiber.HeaderContentDisposition, "inline")
		return c.Send(img)
	}
}
