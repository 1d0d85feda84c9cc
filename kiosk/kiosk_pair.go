package kiosk

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// pairKiosk redeems a one-time pairing link: the browser gets a long-lived
// HttpOnly device cookie and is sent to /kiosk.
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
		return c.Redirect("/kiosk", fiber.StatusSeeOther)
	}
}

// kioskPage serves the kiosk to a paired device, and a clear notice to any
// other browser.
func kioskPage(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var k *survey.Kiosk
		if key := c.Cookies(web.KioskCookie); key != "" {
			k = d.DB.KioskByKey(key)
		}
		if k == nil {
			return render(c, fiber.StatusOK, "notice", notice{
				Title:   "Thiết bị này chưa được ghép nối",
				Lines:   []string{"Ki-ốt cần được ghép nối với một đơn vị trước khi nhận đánh giá.", "Cán bộ quản trị: chạy lệnh hailong kiosk add rồi mở liên kết ghép nối trên thiết bị này."},
				English: []string{"This device is not paired. Administrator: run hailong kiosk add and open the pairing link on this device."},
			})
		}
		u := d.DB.Unit(k.Unit)
		lines := []string{"Ki-ốt «" + k.Name + "» đã được ghép nối với " + u.Name + "."}
		if ct := d.DB.Counter(k.Counter); ct != nil {
			lines = append(lines, "Quầy: "+ct.Name+".")
		}
		return render(c, fiber.StatusOK, "notice", notice{Title: "Ki-ốt đã sẵn sàng", OK: true, Lines: lines,
			English: []string{"This kiosk is paired."}})
	}
}
