package kiosk

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
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
	// Code is the confirmation code of the response just stored (thanks
	// only), with the labels and the address where it can be checked.
	Code                 string
	CodeLabel, CodeCheck []string // this language, the other
	VerifyURL            string
	// Contact is the optional step after a dissatisfied answer: leave a
	// contact for a reply, or file a petition (contact_form.go).
	Contact *contactView
}

type doneLink struct{ URL, Text string }

// doneArgs formats the page's line in a language (e.g. a date).
type doneArgs func(lang string) []any

// renderDone renders result page key (formWords key and key+".sub").
func renderDone(c *fiber.Ctx, status int, lang, key, agency string, args doneArgs, link *doneLink) error {
	noStore(c)
	return render(c, status, "form_done", doneViewOf(lang, key, agency, args, link))
}

// renderThanks renders the thanks page of a stored response of survey sv
// with its confirmation code (docs/INTEGRITY.md), when the store gave one,
// and the contact step when an answer is dissatisfied.
func renderThanks(c *fiber.Ctx, d *web.Deps, lang, agency string, sv *survey.Survey, r *survey.Response) error {
	noStore(c)
	v := doneViewOf(lang, "thanks", agency, nil, nil)
	if v.Code = d.Integrity.ConfirmationCode(r); v.Code != "" {
		other := otherLang(lang)
		v.CodeLabel = []string{formWords["confirm"].In(lang), formWords["confirm"].In(other)}
		v.CodeCheck = []string{formWords["confirm.check"].In(lang), formWords["confirm.check"].In(other)}
		v.VerifyURL = d.PublicURL + "/cong-khai/xac-minh"
	}
	v.Contact = contactStep(d, lang, agency, sv, r)
	return render(c, fiber.StatusOK, "form_done", v)
}

// okKeys are the result pages that show a check mark rather than "!".
var okKeys = map[string]bool{"thanks": true, "answered": true, "contact.sent": true, "petition.sent": true,
	"contact.skipped": true, "contact.already": true}

func doneViewOf(lang, key, agency string, args doneArgs, link *doneLink) doneView {
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
		OK: okKeys[key]}
	switch key {
	case "thanks":
		v.Screen = "thanks"
	case "contact.sent", "petition.sent":
		v.Screen = "sent" // the contact step's result (contact_form.go)
	}
	return v
}

// noStore keeps citizen pages (whose URL may carry a token) out of caches
// and search engines.
func noStore(c *fiber.Ctx) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Robots-Tag", "noindex")
}
