package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
)

// One-click unsubscribe (/huy-dang-ky/{token}): the link at the foot of
// every alert and digest. The token names the login and what it stops,
// signed with the installation's key (survey.UnsubscribeToken); it needs no
// login and never expires. GET shows a confirmation button (a link opened
// by a mail scanner changes nothing); POST — the button, or a mail
// client's RFC 8058 one-click POST — turns the alerts or the digest off
// through NotifyService, audited as done by the login itself.

// UnsubscribeRoutes registers the unsubscribe page.
func UnsubscribeRoutes(app fiber.Router, d *Deps) {
	app.Get("/huy-dang-ky/:token", showUnsubscribe(d))
	app.Post("/huy-dang-ky/:token", doUnsubscribe(d))
}

type unsubscribeView struct {
	Token, Username, Kind string
	Done                  bool
}

// unsubscribeOf reads the token; anything forged or for a login that is
// gone answers 404, like an unknown page.
func unsubscribeOf(c *fiber.Ctx, d *Deps) (*unsubscribeView, *survey.User, error) {
	key, err := d.Settings.ClientKey()
	if err != nil {
		return nil, nil, err
	}
	token := strings.Clone(c.Params("token"))
	name, kind, ok := survey.ParseUnsubscribeToken(key, token)
	var u *survey.User
	if ok {
		u = d.Users.User(name)
	}
	if u == nil {
		return nil, nil, survey.Errorf(survey.ENOTFOUND, "Liên kết huỷ đăng ký không đúng hoặc tài khoản không còn. / This unsubscribe link is not valid, or the account is gone.")
	}
	return &unsubscribeView{Token: token, Username: name, Kind: kind}, u, nil
}

func showUnsubscribe(d *Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v, u, err := unsubscribeOf(c, d)
		if err != nil {
			return err
		}
		v.Done = (v.Kind == survey.UnsubAlerts && u.NoAlerts) || (v.Kind == survey.UnsubDigest && u.NoDigest)
		return ownPages.Render(c, fiber.StatusOK, "unsubscribe", &Page{Title: "Huỷ đăng ký / Unsubscribe", Data: v})
	}
}

func doUnsubscribe(d *Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v, u, err := unsubscribeOf(c, d)
		if err != nil {
			return err
		}
		alerts, digest := !u.NoAlerts, !u.NoDigest
		if v.Kind == survey.UnsubAlerts {
			alerts = false
		} else {
			digest = false
		}
		if err := d.Notify.SetNotify(u.Username, u.Email, alerts, digest, u.Username); err != nil {
			return err
		}
		v.Done = true
		return ownPages.Render(c, fiber.StatusOK, "unsubscribe", &Page{Title: "Huỷ đăng ký / Unsubscribe", Data: v})
	}
}
