package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Provenance says where a browser's form post came from, judged by the
// headers a browser sets itself and a web page cannot forge.
type Provenance int

// Provenances.
const (
	// ProvUnknown: no usable header (an old or header-stripping browser, a
	// script, a privacy proxy); the route decides what else to require.
	ProvUnknown Provenance = iota
	ProvSameOrigin
	ProvCrossSite
)

// ProvenanceOf judges c the way net/http.CrossOriginProtection does
// (Sec-Fetch-Site first, then Origin against the request's host), and
// also accepts the public URL's host and, when Origin is absent or "null",
// reads Referer. "null" is what browsers send as Origin on a form post
// from a page with Referrer-Policy: no-referrer (all of ours), and also
// what a sandboxed cross-site frame sends, so it proves nothing either way.
// Sec-Fetch-Site "same-site" (a sibling host) counts as cross-site.
func (d *Deps) ProvenanceOf(c *fiber.Ctx) Provenance {
	switch c.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return ProvSameOrigin
	case "":
	default:
		return ProvCrossSite
	}
	if o := c.Get(fiber.HeaderOrigin); o != "" && o != "null" {
		return d.judgeURL(c, o)
	}
	if r := c.Get(fiber.HeaderReferer); r != "" {
		return d.judgeURL(c, r)
	}
	return ProvUnknown
}

// judgeURL compares the host (and port) of raw with this server's: the
// Host the request was sent to, or the configured public URL's.
func (d *Deps) judgeURL(c *fiber.Ctx, raw string) Provenance {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ProvCrossSite
	}
	if strings.EqualFold(u.Host, string(c.Request().Host())) {
		return ProvSameOrigin
	}
	if pub, err := url.Parse(d.PublicURL); err == nil && pub.Host != "" && strings.EqualFold(u.Host, pub.Host) {
		return ProvSameOrigin
	}
	return ProvCrossSite
}
