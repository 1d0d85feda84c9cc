package cases

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// The citizen's page to rate how the case was handled (/danh-gia/{token},
// public, no login): the case id and the reply's date, never the contact;
// two large buttons. The link works once: a forged, used or malformed one
// answers the same 404 page. A post the browser marks as coming from
// another site is refused (the token is proof enough otherwise, as for the
// receipt form).

type ratingView struct {
	Lang, Other, State string // State: ask, thanks, gone, crosssite
	Agency, CaseID     string
	Replied            string
	Token              string
	Error              bool
}

func (v *ratingView) T(vi, en string) string { return survey.T(v.Lang, vi, en) }

// Alt is the text in the other language.
func (v *ratingView) Alt(vi, en string) string { return survey.T(v.Other, vi, en) }

func ratingLang(c *fiber.Ctx) (string, string) {
	if c.Query("lang") == "en" {
		return "en", "vi"
	}
	return "vi", "en"
}

func showRating(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &ratingView{State: "ask"}
		v.Lang, v.Other = ratingLang(c)
		cs, err := d.Cases.CaseByRatingToken(strings.Clone(c.Params("token")))
		if err != nil {
			return ratingGone(c, v, err)
		}
		v.fill(d, cs, strings.Clone(c.Params("token")))
		return renderRating(c, fiber.StatusOK, v)
	}
}

func saveRating(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &ratingView{State: "ask"}
		v.Lang, v.Other = ratingLang(c)
		token := strings.Clone(c.Params("token"))
		if d.ProvenanceOf(c) == web.ProvCrossSite {
			d.Log.Warn("rating post refused: not from this server's page")
			v.State = "crosssite"
			return renderRating(c, fiber.StatusForbidden, v)
		}
		cs, err := d.Cases.RateCase(token, strings.Clone(c.FormValue("rating")))
		switch survey.ErrorCode(err) {
		case "":
			v.State, v.Agency, v.CaseID = "thanks", unitName(d, cs.Unit), cs.ID
			return renderRating(c, fiber.StatusOK, v)
		case survey.EINVALID:
			again, err := d.Cases.CaseByRatingToken(token)
			if err != nil {
				return ratingGone(c, v, err)
			}
			v.fill(d, again, token)
			v.Error = true
			return renderRating(c, fiber.StatusUnprocessableEntity, v)
		}
		return ratingGone(c, v, err)
	}
}

func (v *ratingView) fill(d *web.Deps, cs *survey.Case, token string) {
	v.Agency, v.CaseID, v.Token = unitName(d, cs.Unit), cs.ID, token
	if cs.Reply != nil {
		v.Replied = dateVi(cs.Reply.At, d.Clock.Loc())
	}
}

// ratingGone is the one 404 page of every link that does not work.
func ratingGone(c *fiber.Ctx, v *ratingView, err error) error {
	if survey.ErrorCode(err) != survey.ENOTFOUND {
		return err
	}
	v.State = "gone"
	return renderRating(c, fiber.StatusNotFound, v)
}

func renderRating(c *fiber.Ctx, status int, v *ratingView) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Robots-Tag", "noindex")
	return web.RenderView(c, views, status, "rating", v)
}
