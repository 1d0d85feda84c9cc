package admin

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// kioskRequest is the form that adds a kiosk.
type kioskRequest struct {
	ID, Name, Unit, Counter string
}

// kioskLinkView shows a pairing link, once: only its hash is stored.
type kioskLinkView struct {
	Kiosk kioskRow
	URL   string
	New   bool // a new kiosk rather than a new link for an existing one
}

func createKiosk(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &kiosksView{}
		r := kioskRequest{
			ID:      v.keep("kiosk-id", form(c, "id")),
			Name:    v.keep("kiosk-name", form(c, "name")),
			Unit:    v.keep("kiosk-unit", form(c, "unit")),
			Counter: v.keep("kiosk-counter", form(c, "counter")),
		}
		needName(&v.orgForm, "kiosk-name", r.Name)
		if err := pickUnit(c, d, &v.orgForm, "kiosk-unit", r.Unit); err != nil {
			return err
		}
		if len(v.Problems) > 0 {
			return renderKiosks(c, d, v, fiber.StatusUnprocessableEntity)
		}
		if r.ID == "" {
			for n := 1; n == 1 || d.Kiosks.Kiosk(r.ID) != nil; n++ { // as `hailong kiosk add` does
				r.ID = r.Unit + "-kiosk-" + strconv.Itoa(n)
			}
		}
		code, err := d.Kiosks.AddKiosk(survey.Kiosk{ID: r.ID, Name: r.Name, Unit: r.Unit, Counter: r.Counter})
		if err != nil {
			status, err := v.take(err, "kiosk-", "id", "name", "unit", "counter")
			if err != nil {
				return err
			}
			return renderKiosks(c, d, v, status)
		}
		audit(c, d, "kiosk.create", r.ID, r.Unit+"/"+r.Counter+": "+r.Name)
		return showLink(c, d, r.ID, code, true)
	}
}

// showLink renders the one-time pairing link of kiosk id.
func showLink(c *fiber.Ctx, d *web.Deps, id, code string, isNew bool) error {
	k := d.Kiosks.Kiosk(id)
	if k == nil {
		return survey.Errorf(survey.ENOTFOUND, "Ki-ốt %q không tồn tại. / Unknown kiosk %q.", id, id)
	}
	v := &kioskLinkView{Kiosk: kioskRowOf(d.Services, *k, d.Clock.Now()), URL: strings.TrimRight(d.PublicURL, "/") + "/kiosk/pair/" + code, New: isNew}
	status := fiber.StatusOK
	if isNew {
		status = fiber.StatusCreated
	}
	return pages.Render(c, status, "org_kiosk_link", page(c, "Liên kết ghép nối / Pairing link", v))
}
