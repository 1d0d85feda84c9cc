package admin

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// kioskView is the page of one kiosk: its state, rename, a new pairing
// link, revoke.
type kioskView struct {
	orgForm
	Kiosk   kioskRow
	Revoked bool
}

// kioskOf returns the kiosk of the route, which the caller must manage.
func kioskOf(c *fiber.Ctx, d *web.Deps) (*survey.Kiosk, error) {
	id := param(c, "id")
	k := d.Kiosks.Kiosk(id)
	if k == nil {
		return nil, survey.Errorf(survey.ENOTFOUND, "Ki-ốt %q không tồn tại. / Unknown kiosk %q.", id, id)
	}
	return k, mayManage(c, d, k.Unit)
}

func showKiosk(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return renderKiosk(c, d, &kioskView{}, fiber.StatusOK)
	}
}

func renderKiosk(c *fiber.Ctx, d *web.Deps, v *kioskView, status int) error {
	k, err := kioskOf(c, d)
	if err != nil {
		return err
	}
	v.Kiosk, v.Revoked = kioskRowOf(d.Services, *k, d.Clock.Now()), k.Revoked
	return pages.Render(c, status, "org_kiosk", orgPage(c, k.Name+" – Ki-ốt / Kiosk", v))
}

func renameKiosk(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		k, err := kioskOf(c, d)
		if err != nil {
			return err
		}
		v := &kioskView{}
		name := v.keep("kiosk-name", form(c, "name"))
		if err := d.Kiosks.RenameKiosk(k.ID, name); err != nil {
			status, err := v.take(err, "kiosk-", "name")
			if err != nil {
				return err
			}
			return renderKiosk(c, d, v, status)
		}
		audit(c, d, "kiosk.rename", k.ID, k.Name+" → "+name)
		return c.Redirect("/admin/kiosks/"+url.PathEscape(k.ID)+"?ok=kiosk-renamed", fiber.StatusSeeOther)
	}
}

// repairKiosk issues a new one-time pairing link (for a new device, a
// browser whose cookie was cleared, or to reinstate a revoked kiosk).
func repairKiosk(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		k, err := kioskOf(c, d)
		if err != nil {
			return err
		}
		code, err := d.Kiosks.RepairKiosk(k.ID)
		if err != nil {
			return err
		}
		audit(c, d, "kiosk.pair", k.ID, "new pairing link")
		return showLink(c, d, k.ID, code, false)
	}
}

// revokeKiosk stops the device at once (its key no longer authenticates).
func revokeKiosk(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		k, err := kioskOf(c, d)
		if err != nil {
			return err
		}
		if err := d.Kiosks.RevokeKiosk(k.ID); err != nil {
			return err
		}
		audit(c, d, "kiosk.revoke", k.ID, k.Name)
		return c.Redirect("/admin/kiosks/"+url.PathEscape(k.ID)+"?ok=kiosk-revoked", fiber.StatusSeeOther)
	}
}
