package publish

import (
	"html"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/web"
)

// getBadge handles GET /cong-khai/badge/{unit}.svg[?lang=en][&p=…]: a
// badge an agency's website shows with a plain <img>, no script: "Chỉ số hài
// lòng 2025 | 76,29 % · hạng 12/14". A badge that cannot be served says why,
// grey, with its 4xx status.
func (s *server) getBadge(c *fiber.Ctx) error {
	r, err := s.parse(c, c.Params("unit"))
	if err == nil && r.unit == "" {
		err = errNoUnit
	}
	if err != nil {
		return badgeError(c, r, err)
	}
	out, err := s.cached(r, "badge", func(snap *snapshot) (*output, error) {
		f := engine.NewFormatter(r.lang)
		u := snap.unit(r.unit)
		g := snap.group(u.Unit.Group)
		label := f.T("Chỉ số hài lòng ", "Satisfaction ") + snap.Choice.Key
		x := fig(f, u.Cur.Index, snap.Cfg.MinN, u.Held.Index)
		period := lowerFirst(periodLabel(f, snap.Choice))
		value, title := x.Note, u.Unit.Name+" – "+f.T("Chỉ số hài lòng ", "Satisfaction index, ")+period+": "+x.Note
		if x.Shown {
			value, title = x.Value, u.Unit.Name+" – "+f.T("Chỉ số hài lòng ", "Satisfaction index, ")+period+": "+x.Value
			if u.Rank > 0 {
				rank := strconv.Itoa(u.Rank) + "/" + strconv.Itoa(g.Of)
				value += " · " + f.T("hạng ", "rank ") + rank
				title += ", " + f.T("hạng ", "rank ") + rankText(f, u.Rank, g.Of, g.Name)
			}
		}
		return newOutput("image/svg+xml; charset=utf-8", badgeSVG(label, value, title, x.Shown)), nil
	})
	if err != nil {
		return badgeError(c, r, err)
	}
	return send(c, out, fileMaxAge)
}

// badgeError answers a badge that cannot be served with a grey badge saying
// why, and its 4xx status (anything else goes to the error handler).
func badgeError(c *fiber.Ctx, r *request, err error) error {
	se := asPublicError(err)
	if se == nil {
		return err
	}
	lang := "vi"
	if r != nil {
		lang = r.lang
	}
	f := engine.NewFormatter(lang)
	noStore(c)
	c.Set(fiber.HeaderContentType, "image/svg+xml; charset=utf-8")
	text := f.T("không tìm thấy", "not found")
	if se == errOff || se == errNothing {
		text = f.T("chưa công bố", "not published")
	}
	return c.Status(web.Status(se.Code)).Send(badgeSVG(f.T("Chỉ số hài lòng", "Satisfaction index"), text, half(se.Message, lang), false))
}

// badgeSVG draws a two-part badge; text lengths are estimated and fixed with
// textLength so that any font fits.
func badgeSVG(label, value, title string, ok bool) []byte {
	lw, vw := textWidth(label)+12, textWidth(value)+12
	colour := "#0b5394"
	if !ok {
		colour = "#5f5f5f"
	}
	esc := html.EscapeString
	n := func(x int) string { return strconv.Itoa(x) }
	half := func(x int) string { return strconv.FormatFloat(float64(x)/2, 'f', 1, 64) }
	svg := `<svg xmlns="http://www.w3.org/2000/svg" width="` + n(lw+vw) + `" height="20" role="img" aria-label="` + esc(title) + `">` +
		`<title>` + esc(title) + `</title>` +
		`<rect width="` + n(lw) + `" height="20" fill="#333"/>` +
		`<rect x="` + n(lw) + `" width="` + n(vw) + `" height="20" fill="` + colour + `"/>` +
		`<g fill="#fff" font-family="Verdana,DejaVu Sans,Noto Sans,Arial,sans-serif" font-size="11" text-anchor="middle">` +
		`<text x="` + half(lw) + `" y="14" textLength="` + n(lw-12) + `" lengthAdjust="spacingAndGlyphs">` + esc(label) + `</text>` +
		`<text x="` + strconv.FormatFloat(float64(lw)+float64(vw)/2, 'f', 1, 64) + `" y="14" textLength="` + n(vw-12) + `" lengthAdjust="spacingAndGlyphs">` + esc(value) + `</text>` +
		`</g></svg>`
	return []byte(svg)
}

// textWidth estimates the width of s in 11 px Verdana.
func textWidth(s string) int {
	w := 0.0
	for _, r := range s {
		switch {
		case r == ' ' || r == '\u00a0' || r == '.' || r == ',' || r == ':' || r == '·' || r == 'i' || r == 'l':
			w += 3.9
		case r == '%':
			w += 11.8
		case r >= '0' && r <= '9':
			w += 7
		case r >= 'A' && r <= 'Z' || r == 'Đ' || r == 'm' || r == 'w':
			w += 7.8
		default:
			w += 6.6
		}
	}
	return int(w + 0.5)
}
