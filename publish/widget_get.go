package publish

import (
	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/web"
)

// widgetView is the small page an agency's website frames: its index, rank
// and change for the current period, and a link to the full page.
type widgetView struct {
	Name, Period, Group string
	Index               figure
	Rank                string
	Change              change
	Label, RankLabel    string
	ChangeLabel         string
	Link, LinkText      string
	Notice              string // instead of figures: not published, unknown agency
}

// getWidget handles GET /cong-khai/widget/{unit}[?lang=en][&p=…]: a page
// for an <iframe>. Its frame-ancestors lists the configured portal origins
// (setting publish_origins) and it has no X-Frame-Options; every other page
// keeps the global frame denial.
func (s *server) getWidget(c *fiber.Ctx) error {
	r, err := s.parse(c, c.Params("unit"))
	if r != nil {
		allowFraming(c, r.st.Origins)
	}
	if err == nil && r.unit == "" {
		err = errNoUnit
	}
	if err != nil {
		return s.widgetNotice(c, r, err)
	}
	out, err := s.cached(r, "widget", func(snap *snapshot) (*output, error) {
		v := buildWidget(snap, r)
		body, err := render("widget", "widget", &web.Page{Title: v.Name, Lang: r.lang, Data: v})
		if err != nil {
			return nil, err
		}
		return newOutput(fiber.MIMETextHTMLCharsetUTF8, body), nil
	})
	if err != nil {
		return s.widgetNotice(c, r, err)
	}
	return send(c, out, fileMaxAge)
}

func buildWidget(snap *snapshot, r *request) *widgetView {
	f := engine.NewFormatter(r.lang)
	u := snap.unit(r.unit)
	g := snap.group(u.Unit.Group)
	v := &widgetView{Name: u.Unit.Name, Period: periodLabel(f, snap.Choice), Group: g.Name, Index: fig(f, u.Cur.Index, snap.Cfg.MinN, u.Held.Index),
		Label: f.T("Chỉ số hài lòng", "Satisfaction index"), RankLabel: f.T("Xếp hạng", "Rank"),
		ChangeLabel: f.T("so với kỳ trước", "since the previous period"),
		Link:        pageLink("/cong-khai", snap.Choice.Key, r.lang, u.Unit.ID), LinkText: f.T("Xem chi tiết", "See details")}
	if v.Index.Shown {
		if u.Rank > 0 {
			v.Rank = rankText(f, u.Rank, g.Of, g.Name)
		}
		v.Change = delta(f, snap, u)
	}
	return v
}

// widgetNotice answers a widget request that cannot be served with a
// small framed page saying why, and its 4xx status.
func (s *server) widgetNotice(c *fiber.Ctx, r *request, err error) error {
	lang := "vi"
	if r != nil {
		lang = r.lang
	}
	se := asPublicError(err)
	if se == nil {
		return err
	}
	noStore(c)
	v := &widgetView{Notice: half(se.Message, lang), Link: pageLink("/cong-khai", "", lang, ""),
		LinkText: engine.NewFormatter(lang).T("Kết quả công khai", "Published results")}
	body, rerr := render("widget", "widget", &web.Page{Title: "Hài Lòng", Lang: lang, Data: v})
	if rerr != nil {
		return rerr
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(web.Status(se.Code)).Send(body)
}
