package cases

import (
	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// replyCase records the office's reply (handlers only). By e-mail the mail
// (the reply and the citizen's one-time rating link) is queued in the
// outbox with the reply, in one transaction; by phone or letter the page
// shows the rating link once, for the officer to pass on (read out, or sent
// by SMS later). Either way the page is shown at once (no redirect), so the
// link never sits in a URL.
func replyCase(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		cs, err := visibleCase(c, d, c.Params("id"))
		if err != nil {
			return err
		}
		p := web.Who(c)
		if !handles(p, cs) {
			return forbidden()
		}
		kept := &caseView{ReplyText: formText(c, "text"), ReplyVia: formText(c, "via")}
		token := survey.NewSecret()
		link := d.PublicURL + "/danh-gia/" + token
		var mail *survey.Mail
		if kept.ReplyVia == survey.ReplyByEmail {
			if mail, err = replyMail(d, cs, kept.ReplyText, link, p.Actor()); err != nil {
				return refused(c, d, cs, kept, err, "f-via")
			}
		}
		r := survey.CaseReply{Via: kept.ReplyVia, Text: kept.ReplyText}
		stored, err := d.Cases.ReplyCase(cs.ID, r, token, mail, p.Actor())
		if err != nil {
			return refused(c, d, cs, kept, err, "f-reply")
		}
		v, err := newCaseView(c, d, &stored)
		if err != nil {
			return err
		}
		flash := "Đã ghi câu trả lời. / Reply recorded."
		if mail != nil {
			v.Queued = true
			flash = "Đã ghi câu trả lời; thư đang chờ gửi trong hộp thư đi. / Reply recorded; the e-mail waits in the outbox."
		} else {
			v.RatingLink = link
		}
		return renderCase(c, v, fiber.StatusOK, flash)
	}
}

// replyMail is the e-mail of a reply, to the contact's address (EINVALID
// "via" when the case has none).
func replyMail(d *web.Deps, cs *survey.Case, text, link, actor string) (*survey.Mail, error) {
	var ct *survey.Contact
	if cs.HasContact {
		var err error
		if ct, err = d.Cases.CaseContact(cs.ID, actor); err != nil {
			return nil, err
		}
	}
	if ct == nil || ct.Email == "" {
		return nil, survey.FieldError("via", "Người phản ánh không để lại địa chỉ thư điện tử: hãy trả lời qua điện thoại hoặc văn bản. / The citizen left no e-mail address: reply by telephone or letter.")
	}
	return ratingMail(ct.Email, cs.ID, text, link), nil
}
