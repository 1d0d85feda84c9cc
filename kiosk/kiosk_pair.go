package kiosk

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// pairKiosk redeems a one-time pairing link: the browser gets a long-lived
// HttpOnly device cookie and is sent to /kiosk, which confirms the pairing
// to whoever set the device up.
func pairKiosk(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		k, key, err := d.DB.PairKiosk(c.Params("code"))
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			return render(c, fiber.StatusNotFound, "notice", notice{
				Title:   "Liên kết ghép nối không hợp lệ",
				Lines:   []string{"Liên kết này không đúng hoặc đã được dùng. Mỗi liên kết chỉ dùng được một lần.", "Xin nhờ cán bộ quản trị tạo liên kết mới bằng lệnh hailong kiosk add."},
				English: []string{"This pairing link is wrong or was already used: each link works once. Ask the administrator for a new one."},
			})
		} else if err != nil {
			return err
		}
		c.Cookie(&fiber.Cookie{Name: web.KioskCookie, Value: key, Path: "/", HTTPOnly: true, Secure: d.Secure,
			SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Now().AddDate(5, 0, 0)})
		d.Log.Info("kiosk paired", "kiosk", k.ID, "unit", k.Unit)
		return c.Redirect("/kiosk?paired=1", fiber.StatusSeeOther)
	}
}
