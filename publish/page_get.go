package publish

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/survey"
	"hailong/web"
)

// getPage handles GET /cong-khai[?p=2025|2025-q3][&unit=<agency>][&lang=en]:
// every public agency's index with rank, change and n, group by group; the
// dossier timeliness table; with unit, that agency's elements and criteria.
func (s *server) getPage(c *fiber.Ctx) error {
	r, err := s.parse(c, c.Query("unit"))
	if err != nil {
		return s.notice(c, r, err)
	}
	out, err := s.cached(r, "page", func(snap *snapshot) (*output, error) {
		v := buildPage(snap, r.lang, r.unit, r.today, r.st.choices(r.today))
		v.Heads = recentHeads(s.d.Services, v.F, headsOnPage)
		title := v.Heading
		if v.Agency != nil {
			title = v.Agency.Name + " – " + v.Period
		}
		body, err := render("page", "layout.html", &web.Page{Title: title, Lang: r.lang, Data: v})
		if err != nil {
			return nil, err
		}
		return newOutput(fiber.MIMETextHTMLCharsetUTF8, body), nil
	})
	if err != nil {
		return s.notice(c, r, err)
	}
	return send(c, out, pageMaxAge)
}

// noticeView is a polite page for "not published", a bad period or an
// unknown agency.
type noticeView struct {
	Heading, Message, Back, BackText string
}

// notice renders err as the public notice page with its 4xx status
// (anything else goes to the error handler). It is never cached.
func (s *server) notice(c *fiber.Ctx, r *request, err error) error {
	e := asPublicError(err)
	if e == nil {
		return err
	}
	lang := "vi"
	if r != nil && r.lang == "en" {
		lang = "en"
	}
	f := engine.NewFormatter(lang)
	v := &noticeView{Message: half(e.Message, lang), Back: pageLink("/cong-khai", "", lang, ""),
		BackText: f.T("Xem kết quả công khai", "See the published results")}
	switch {
	case e == errOff || e == errNothing:
		v.Heading, v.Back = f.T("Chưa công bố", "Not published yet"), ""
	case e.Code == survey.EINVALID:
		v.Heading = f.T("Yêu cầu không hợp lệ", "Invalid request")
	default:
		v.Heading = f.T("Không tìm thấy", "Not found")
	}
	noStore(c)
	body, rerr := render("notice", "layout.html", &web.Page{Title: v.Heading, Lang: lang, Data: v})
	if rerr != nil {
		return rerr
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(web.Status(e.Code)).Send(body)
}

// half picks the language's half of a "Vietnamese. / English." message.
func half(msg, lang string) string { return survey.MessageText(msg).In(lang) }

// asPublicError returns err as a user error with a 4xx status, or nil.
func asPublicError(err error) *survey.Error {
	var e *survey.Error
	if errors.As(err, &e) && web.Status(e.Code) < 500 {
		return e
	}
	return nil
}
