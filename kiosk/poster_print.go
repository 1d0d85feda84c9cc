package kiosk

import (
	"github.com/gofiber/fiber/v2"
)

// posterView is templates/poster.html: an A4 poster for the desk with the
// QR code of the unit's open form.
type posterView struct {
	Unit    string
	URL     string
	QR      qrInline
	CSS, JS string
}

func (p *posters) url(u string) string { return p.d.PublicURL + "/f/" + u }

// poster handles GET /f/{unit}/poster (public: it shows what the printed
// poster shows).
func (p *posters) poster(c *fiber.Ctx) error {
	u, err := p.unit(c, "vi")
	if u == nil {
		return err
	}
	qr, err := inlineQR(p.url(u.ID))
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, "poster", posterView{Unit: unitTitle(p.d.Org, u.ID), URL: p.url(u.ID), QR: qr, CSS: slipCSS, JS: slipJS})
}

// qr handles GET /f/{unit}/qr.png and qr.svg.
func (p *posters) qr(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u, err := p.unit(c, "vi")
		if u == nil {
			return err
		}
		return sendQR(c, p.url(u.ID), format, true)
	}
}
