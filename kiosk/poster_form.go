package kiosk

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// Open posters: /f/{unit} is the same form for anyone at the desk without a
// receipt (a QR code on a poster). Nothing proves who answers, so responses
// are flagged unverified (counted in their own flag class, excluded from
// analytics unless asked for with unverified=include), posts are limited per
// client (a keyed hash of the address, never the address), posts from one
// client closer than the misuse interval are flagged misuse (the writer, by
// receive time), and a honeypot field catches simple bots.

// Poster posts allowed per client and window: generous enough for a family
// on one phone or a few people behind one Wi-Fi address, small enough that
// one client cannot swamp a unit's figures.
const (
	posterMax    = 10
	posterWindow = 10 * time.Minute
)

type posters struct {
	d     *web.Deps
	limit *web.Limiter
}

func newPosters(d *web.Deps) *posters {
	return &posters{d: d, limit: web.NewLimiter(d.Limits, "poster", posterMax, posterWindow)}
}

// unit returns the poster's unit, or nil after rendering a 404 page.
func (p *posters) unit(c *fiber.Ctx, lang string) (*survey.Unit, error) {
	u := p.d.Org.Unit(c.Params("unit"))
	if u == nil {
		return nil, renderDone(c, fiber.StatusNotFound, lang, "nounit", "", nil, nil)
	}
	return u, nil
}

// kind describes u's poster form, with a form token for c.
func (p *posters) kind(c *fiber.Ctx, u *survey.Unit) formKind {
	return formKind{poster: true, action: "/f/" + u.ID, agency: unitTitle(p.d.Org, u.ID),
		token: p.d.Clients.FormToken(p.d.ClientKey(c), posterPurpose(u.ID), p.d.Clock.Now())}
}

// form handles GET /f/{unit}.
func (p *posters) form(c *fiber.Ctx) error {
	lang := langOf(c.Query("lang"))
	u, err := p.unit(c, lang)
	if u == nil {
		return err
	}
	noStore(c)
	sv := p.d.Surveys.Survey(p.d.Surveys.SurveyFor(u.ID, survey.UseReceipt), 0)
	return render(c, fiber.StatusOK, "form", buildForm(sv, lang, p.kind(c, u), emptyInput(), nil))
}

// answer handles POST /f/{unit}: 200 thanks (also for a filled honeypot,
// with nothing stored), 422 the form again, 403 for a post not from the
// form's own page (form_origin.go), 429 when the client has posted too
// often.
func (p *posters) answer(c *fiber.Ctx) error {
	vals := formValues(c)
	lang := langOf(first(vals["lang"]))
	u, err := p.unit(c, lang)
	if u == nil {
		return err
	}
	agency := unitTitle(p.d.Org, u.ID)
	if !fromPosterPage(p.d, c, u.ID, first(vals["ft"])) {
		return refuseCrossSite(c, p.d, lang, agency, "/f/"+u.ID)
	}
	ok, wait, err := p.limit.Take(p.d.ClientKey(c))
	if err != nil {
		return err
	}
	if !ok {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds())+1))
		minutes := int(wait/time.Minute) + 1
		return renderDone(c, fiber.StatusTooManyRequests, lang, "limited", agency,
			func(string) []any { return []any{minutes} }, nil)
	}
	if !isFormPost(c) {
		return renderDone(c, fiber.StatusUnsupportedMediaType, lang, "badtype", agency, nil, nil)
	}
	sv := p.d.Surveys.Survey(p.d.Surveys.SurveyFor(u.ID, survey.UseReceipt), 0)
	in, errs := parseForm(vals, sv, false)
	if in.honeypot {
		p.d.Log.Info("poster honeypot filled: nothing stored", "unit", u.ID)
		return renderDone(c, fiber.StatusOK, in.lang, "thanks", agency, nil, nil)
	}
	if len(errs) > 0 {
		noStore(c)
		return render(c, fiber.StatusUnprocessableEntity, "form", buildForm(sv, in.lang, p.kind(c, u), in, errs))
	}
	r := in.response(sv)
	r.ID, r.Unit, r.Channel, r.Flags = newID(), u.ID, survey.ChannelQR, survey.FlagUnverified
	r.Device = "poster:" + p.d.ClientKey(c) // a burst from one address is flagged misuse
	if _, err := p.d.Responses.Submit(r); err != nil {
		if fe := fieldOf(err, in.lang); fe != nil {
			noStore(c)
			return render(c, fiber.StatusUnprocessableEntity, "form", buildForm(sv, in.lang, p.kind(c, u), in, fe))
		}
		return err
	}
	p.d.Metrics.Stored(r.Channel)
	return renderThanks(c, p.d, in.lang, agency, sv, r)
}
