package kiosk

import (
	"github.com/gofiber/fiber/v2"

	"hailong/static"
	"hailong/survey"
	"hailong/web"
)

// The slip and the receipt's QR images are for the desk that issued them:
// they need a reception or admin token or login covering the dossier's unit
// (never a kiosk). Their URLs carry the token, so they are sent only to the
// issuer, marked no-store and noindex, and leave no Referer (the server's
// Referrer-Policy is no-referrer); metrics label routes by pattern, never
// by path.

var (
	slipCSS = static.URL("css/slip.css")
	slipJS  = formJS // the print button
)

// slipView is templates/slip.html.
type slipView struct {
	Size               string // "a5" or "roll" (80 mm thermal)
	Parent, Unit       string
	Code, Procedure    string
	Staff              string
	Received, Due      string
	Expires, ExpiresEn string
	Answered           bool
	QR                 qrInline
	A5URL, RollURL     string
	CSS, JS            string
}

// staffReceipt authenticates the caller and returns the receipt of the
// request's token within its subtree. Errors: 401, 403, 404.
func staffReceipt(d *web.Deps, c *fiber.Ctx) (*survey.Dossier, string, error) {
	p, err := receptionist(d, c)
	if err != nil {
		return nil, "", err
	}
	token := c.Params("token")
	dos, err := d.Dossiers.ReceiptByToken(token)
	if err != nil {
		return nil, "", err
	}
	if !p.Covers(d.Org, dos.Unit) {
		return nil, "", survey.Errorf(survey.EFORBIDDEN, "Hồ sơ này thuộc đơn vị ngoài phạm vi của tài khoản. / This dossier belongs to a unit outside your scope.")
	}
	noStore(c)
	return dos, token, nil
}

// receiptSlip handles GET /receipts/{token}/slip[?size=80mm]: the printable
// slip, A5 by default.
func receiptSlip(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		dos, token, err := staffReceipt(d, c)
		if err != nil {
			return err
		}
		qr, err := inlineQR(surveyURL(d, token))
		if err != nil {
			return err
		}
		db, loc := d.Services, d.Clock.Loc()
		self := "/receipts/" + token + "/slip"
		v := slipView{Size: "a5", Code: dos.Code, Received: timeIn(dos.ReceivedAt, loc, "vi"),
			Due: dateIn(dos.DueAt, loc, "vi"), Answered: dos.Answered, QR: qr, A5URL: self, RollURL: self + "?size=80mm",
			CSS: slipCSS, JS: slipJS}
		if c.Query("size") == "80mm" {
			v.Size = "roll"
		}
		if u := db.Org.Unit(dos.Unit); u != nil {
			v.Unit = u.Name
			if p := db.Org.Unit(u.Parent); p != nil {
				v.Parent = p.Name
			}
		}
		if dos.Procedure != "" {
			v.Procedure = procedureName(db.Procedures, dos.Procedure)
		}
		if s := db.Staff.StaffMember(dos.Staff); s != nil {
			v.Staff = s.Name
		}
		last := dos.TokenExpires.Add(-1)
		v.Expires, v.ExpiresEn = dateIn(last, loc, "vi"), dateIn(last, loc, "en")
		return render(c, fiber.StatusOK, "slip", v)
	}
}

// receiptQR handles GET /api/v1/receipts/{token}/qr.png and qr.svg.
func receiptQR(d *web.Deps, format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		_, token, err := staffReceipt(d, c)
		if err != nil {
			return err
		}
		return sendQR(c, surveyURL(d, token), format, false)
	}
}
