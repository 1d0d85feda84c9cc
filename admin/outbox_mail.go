package admin

import (
	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// Mail (Quản trị → Thư điện tử): the SMTP configuration as the server runs
// it (--smtp-url, password masked), the mails waiting, and a test mail: it
// is queued like any other, and the page shows its state — delivered, or
// waiting in the outbox with the server's last answer when SMTP is down or
// not configured.

type mailView struct {
	SMTP    string
	Pending int
	To      string
	Test    *deliveryRow // the test mail just queued (?test=<id>)
	formState
}

func showMail(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &mailView{}
		if id := c.Query("test"); id != "" {
			x, err := d.Outbox.Delivery(id)
			if err != nil || x.Kind != survey.DeliverMail {
				return survey.Errorf(survey.ENOTFOUND, "Không tìm thấy thư thử. / Test mail not found.")
			}
			r := deliveryRowOf(x, nil, d.Clock.Loc())
			v.Test, v.To = &r, x.Mail.To
		}
		return renderMail(c, d, fiber.StatusOK, v)
	}
}

func renderMail(c *fiber.Ctx, d *web.Deps, status int, v *mailView) error {
	v.SMTP, v.Pending = d.Sender.SMTP, d.Outbox.PendingCount()[survey.DeliverMail]
	return pages.Render(c, status, "sys_mail", page(c, "Thư điện tử / Mail", v))
}

func testMail(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &mailView{To: form(c, "to")}
		id := "test-" + survey.NewSecret()[:16]
		m := &survey.Mail{To: v.To, Subject: "[Hài Lòng] Thư thử / Test mail",
			Text: "Đây là thư thử của hệ thống Hài Lòng: máy chủ thư đã được cấu hình đúng.\n\nThis is a test mail from Hài Lòng: mail is configured correctly.\n"}
		if err := d.Outbox.Enqueue(survey.Delivery{ID: id, Kind: survey.DeliverMail, Mail: m}); err != nil {
			if e := v.failErr(err, "to", func(string) string { return "to" }); e != nil {
				return e
			}
			return renderMail(c, d, fiber.StatusUnprocessableEntity, v)
		}
		audit(c, d, "mail.test", v.To, id)
		if d.Sender.Wake != nil {
			d.Sender.Wake()
		}
		return c.Redirect("/admin/mail?test="+id, fiber.StatusSeeOther)
	}
}
