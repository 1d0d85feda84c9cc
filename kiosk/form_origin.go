package kiosk

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/web"
)

// Citizens' form posts carry no session, so any web page could make its
// visitors' browsers submit them. A post the browser marks as coming from
// another site (web.Deps.ProvenanceOf) is refused with a 403 page and
// nothing stored. When a browser sends no usable header at all, the poster
// form asks for its form token (web.ClientKeys.FormToken: a signed time
// bound to the client's address), so header-stripping browsers without
// JavaScript still work; the receipt form's own token is proof enough.

// posterTokenAge is how long a shown poster form may wait for its post.
const posterTokenAge = 24 * time.Hour

func posterPurpose(unit string) string { return "poster:" + unit }

// fromPosterPage reports whether a post to unit's poster form may be
// stored: same-origin by the browser's headers, or without any header with
// a valid form token ft.
func fromPosterPage(d *web.Deps, c *fiber.Ctx, unit, ft string) bool {
	switch d.ProvenanceOf(c) {
	case web.ProvSameOrigin:
		return true
	case web.ProvCrossSite:
		return false
	}
	return d.Clients.CheckFormToken(d.ClientKey(c), posterPurpose(unit), ft, d.Clock.Now(), posterTokenAge)
}

// refuseCrossSite answers 403 with a page in both languages that links back
// to the form (path form) on this server.
func refuseCrossSite(c *fiber.Ctx, d *web.Deps, lang, agency, form string) error {
	d.Log.Warn("form post refused: not from this server's page", "route", c.Route().Path)
	link := &doneLink{URL: form + "?lang=" + lang, Text: formWords["crosssite.link"].In(lang)}
	return renderDone(c, fiber.StatusForbidden, lang, "crosssite", agency, nil, link)
}
