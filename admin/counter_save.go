package admin

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// Counters are added and renamed, never deleted: responses, count blocks
// and kiosks refer to a counter by its id, and a breakdown by counter over
// past years must still name it. A counter no longer used can be renamed
// (e.g. "Quầy 3 (ngừng sử dụng)").

// counterRequest is the form that adds a counter.
type counterRequest struct {
	ID, Name, Unit string
}

func createCounter(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &countersView{}
		r := counterRequest{
			ID:   v.keep("counter-id", form(c, "id")),
			Name: v.keep("counter-name", form(c, "name")),
			Unit: v.keep("counter-unit", form(c, "unit")),
		}
		needName(&v.orgForm, "counter-name", r.Name)
		if err := pickUnit(c, d, &v.orgForm, "counter-unit", r.Unit); err != nil {
			return err
		}
		if len(v.Problems) > 0 {
			return renderCounters(c, d, v, fiber.StatusUnprocessableEntity)
		}
		if r.ID == "" {
			r.ID = orgNewID(func(id string) bool { return d.Counters.Counter(id) != nil }, r.Unit, r.Name)
		}
		if err := d.Counters.CreateCounter(survey.Counter{ID: r.ID, Unit: r.Unit, Name: r.Name}); err != nil {
			status, err := v.take(err, "counter-", "id", "name", "unit")
			if err != nil {
				return err
			}
			return renderCounters(c, d, v, status)
		}
		audit(c, d, "counter.create", r.ID, r.Unit+": "+r.Name)
		return c.Redirect("/admin/counters?unit="+url.QueryEscape(r.Unit)+"&ok=counter-added", fiber.StatusSeeOther)
	}
}

func renameCounter(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id := param(c, "id")
		x := d.Counters.Counter(id)
		if x == nil {
			return survey.Errorf(survey.ENOTFOUND, "Quầy %q không tồn tại. / Unknown counter %q.", id, id)
		}
		if err := mayManage(c, d, x.Unit); err != nil {
			return err
		}
		v := &countersView{}
		field := "counter-name-" + id
		name := v.keep(field, form(c, "name"))
		if err := d.Counters.RenameCounter(id, name); err != nil {
			status, err := v.take(err, field, "")
			if err != nil {
				return err
			}
			return renderCounters(c, d, v, status)
		}
		audit(c, d, "counter.rename", id, x.Name+" → "+name)
		return c.Redirect("/admin/counters?unit="+url.QueryEscape(x.Unit)+"&ok=counter-saved", fiber.StatusSeeOther)
	}
}
