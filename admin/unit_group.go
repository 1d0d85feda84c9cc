package admin

import (
	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// Groups (khối) are listed and edited on the units page.

func createGroup(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &unitsView{}
		g := survey.Group{ID: v.keep("group-id", form(c, "id")), Name: v.keep("group-name", form(c, "name"))}
		if err := d.Org.CreateGroup(g); err != nil {
			status, err := v.take(err, "group-", "id", "name")
			if err != nil {
				return err
			}
			return renderUnits(c, d, v, status, "")
		}
		audit(c, d, "group.create", g.ID, g.Name)
		return c.Redirect("/admin/units?ok=group-created#groups", fiber.StatusSeeOther)
	}
}

func renameGroup(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &unitsView{}
		id := param(c, "id")
		field := "rename-group-" + id
		name := v.keep(field, form(c, "name"))
		if err := d.Org.RenameGroup(id, name); err != nil {
			status, err := v.take(err, field, "")
			if err != nil {
				return err
			}
			return renderUnits(c, d, v, status, "")
		}
		audit(c, d, "group.rename", id, name)
		return c.Redirect("/admin/units?ok=group-renamed#groups", fiber.StatusSeeOther)
	}
}
