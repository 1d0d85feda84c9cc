package kiosk

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// Pairing a device is two steps. GET (and HEAD) /kiosk/pair/{code} only
// shows what the link pairs, with a button: link previews, mail scanners
// and prefetchers fetch links, and must neither use the link up nor get the
// device cookie. The button POSTs the code (a hidden field: the code itself
// is the capability, no session is needed) to /kiosk/pair, which redeems
// it, unless the browser says the post came from another site.

// pairView is the confirmation page (templates/pair.html).
type pairView struct {
	Code, Kiosk, Unit, Counter string
}

var (
	badPairLink = notice{
		Title:   "Liên kết ghép nối không hợp lệ",
		Lines:   []string{"Liên kết này không đúng hoặc đã được dùng. Mỗi liên kết chỉ dùng được một lần.", "Xin nhờ cán bộ quản trị tạo liên kết mới bằng lệnh hailong kiosk add."},
		English: []string{"This pairing link is wrong or was already used: each link works once. Ask the administrator for a new one."},
	}
	crossSitePair = notice{
		Title:   "Không ghép nối được từ trang này",
		Lines:   []string{"Yêu cầu ghép nối không được gửi từ trang của hệ thống Hài Lòng. Xin mở lại liên kết ghép nối và bấm nút trên trang đó."},
		English: []string{"The pairing request did not come from this server's own page. Open the pairing link again and press the button there."},
	}
)

// confirmPair handles GET and HEAD /kiosk/pair/{code}: the confirmation
// page, 404 for a wrong or used code. It changes nothing.
func confirmPair(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		noStore(c)
		code := c.Params("code")
		k := d.Kiosks.KioskByPairCode(code)
		if k == nil {
			return render(c, fiber.StatusNotFound, "notice", badPairLink)
		}
		v := pairView{Code: code, Kiosk: k.Name, Unit: unitTitle(d.Org, k.Unit)}
		if ct := d.Counters.Counter(k.Counter); ct != nil {
			v.Counter = ct.Name
		}
		return render(c, fiber.StatusOK, "pair", v)
	}
}

// pairKiosk handles POST /kiosk/pair (form field code): the browser gets a
// long-lived HttpOnly device cookie and is sent to /kiosk, which confirms
// the pairing. 404 for a wrong or used code, 403 for a cross-site post.
func pairKiosk(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		noStore(c)
		if d.ProvenanceOf(c) == web.ProvCrossSite {
			d.Log.Warn("kiosk pairing refused: cross-site post")
			return render(c, fiber.StatusForbidden, "notice", crossSitePair)
		}
		k, key, err := d.Kiosks.PairKiosk(c.FormValue("code"))
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			return render(c, fiber.StatusNotFound, "notice", badPairLink)
		} else if err != nil {
			return err
		}
		c.Cookie(&fiber.Cookie{Name: web.KioskCookie, Value: key, Path: "/", HTTPOnly: true, Secure: d.Secure,
			SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Now().AddDate(5, 0, 0)})
		d.Log.Info("kiosk paired", "kiosk", k.ID, "unit", k.Unit)
		return c.Redirect("/kiosk?paired=1", fiber.StatusSeeOther)
	}
}
