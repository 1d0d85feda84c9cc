package kiosk

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
)

// doneView is a citizen-facing result page (templates/form_done.html):
// thanks, already answered, expired, not found, too many. It says it in the
// page's language first, then in the other one.
type doneView struct {
	Lang, Other string
	Agency      string
	Title       string
	Lines       []string
	OtherTitle  string
	OtherLines  []string
	OK          bool   // a check mark rather than "!"
	Screen      string // data-screen hook ("thanks")
	Link        *doneLink
	CSS         string
}

type doneLink struct{ URL, Text string }

// doneArgs formats the page's line in a language (e.g. a date).
type doneArgs func(lang string) []any

// renderDone renders result page key (formWords key and key+".sub").
func renderDone(c *fiber.Ctx, status int, lang, key, agency string, args doneArgs, link *doneLink) error {
	noStore(c)
	other := otherLang(lang)
	line := func(l string) []string {
		sub := formWords[key+".sub"].In(l)
		if args != nil {
			sub = fmt.Sprintf(sub, args(l)...)
		}
		return []string{sub}
	}
	v := doneView{Lang: lang, Other: other, Agency: agency, Title: formWords[key].In(lang), Lines: line(lang),
		OtherTitle: formWords[key].In(other), OtherLines: line(other), Link: link, CSS: formCSS,
		OK: key == "thanks" || key == "answered"}
	if key == "thanks" {
		v.Screen = "thanks"
	}
	return render(c, status, "form_done", v)
}

// noStore keeps citizen pages (whose URL may carry a token) out of caches
// and search engines.
func noStore(c *fiber.Ctx) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Robots-Tag", "noindex")
}
