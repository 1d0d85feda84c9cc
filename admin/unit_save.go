package admin

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// unitRequest is the unit form (add and edit).
type unitRequest struct {
	ID, Name, Parent, Group string
}

// parseUnit reads the form into f (keeping the input under prefix+field).
func parseUnit(c *fiber.Ctx, f *orgForm, prefix string) unitRequest {
	return unitRequest{
		ID:     f.keep(prefix+"id", form(c, "id")),
		Name:   f.keep(prefix+"name", form(c, "name")),
		Parent: f.keep(prefix+"parent", form(c, "parent")),
		Group:  f.keep(prefix+"group", form(c, "group")),
	}
}

func (r unitRequest) unit() survey.Unit {
	return survey.Unit{ID: r.ID, Name: r.Name, Parent: r.Parent, Group: r.Group}
}

var unitFields = []string{"id", "name", "parent", "group"}

func createUnit(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &unitsView{}
		r := parseUnit(c, &v.orgForm, "unit-")
		if err := d.Org.CreateUnit(r.unit()); err != nil {
			status, err := v.take(err, "unit-", unitFields...)
			if err != nil {
				return err
			}
			return renderUnits(c, d, v, status, "")
		}
		audit(c, d, "unit.create", r.ID, describeUnit(r.unit()))
		return c.Redirect("/admin/units?ok=unit-created", fiber.StatusSeeOther)
	}
}

// unitEditView is the page to rename, move or regroup one unit.
type unitEditView struct {
	orgForm
	Unit     survey.Unit
	Parents  []orgChoice // every unit but this one's subtree
	Groups   []survey.Group
	Children int
}

func editUnit(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return renderUnitEdit(c, d, &unitEditView{}, fiber.StatusOK)
	}
}

func renderUnitEdit(c *fiber.Ctx, d *web.Deps, v *unitEditView, status int) error {
	id := param(c, "id")
	u := d.Org.Unit(id)
	if u == nil {
		return survey.Errorf(survey.ENOTFOUND, "Đơn vị %q không tồn tại. / Unknown unit %q.", id, id)
	}
	v.Unit = *u
	v.Parents = unitChoices(d.Services, "", id)
	v.Groups = d.Org.Groups()
	v.Children = len(d.Org.Subtree(id)) - 1
	return pages.Render(c, status, "org_unit_edit", orgPage(c, u.Name+" – Đơn vị / Unit", v))
}

func saveUnit(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &unitEditView{}
		r := parseUnit(c, &v.orgForm, "unit-")
		r.ID = param(c, "id")
		old := d.Org.Unit(r.ID)
		if err := d.Org.UpdateUnit(r.unit()); err != nil {
			status, err := v.take(err, "unit-", "name", "parent", "group")
			if err != nil {
				return err
			}
			return renderUnitEdit(c, d, v, status)
		}
		audit(c, d, "unit.update", r.ID, unitChanges(old, r.unit()))
		return c.Redirect("/admin/units?ok=unit-saved", fiber.StatusSeeOther)
	}
}

// describeUnit is the audit detail of a new unit.
func describeUnit(u survey.Unit) string {
	return "name=" + u.Name + "; parent=" + u.Parent + "; group=" + u.Group
}

// unitChanges is the audit detail of an edit: only what changed.
func unitChanges(old *survey.Unit, u survey.Unit) string {
	if old == nil {
		return describeUnit(u)
	}
	var ch []string
	for _, x := range [][3]string{{"name", old.Name, u.Name}, {"parent", old.Parent, u.Parent}, {"group", old.Group, u.Group}} {
		if x[1] != x[2] {
			ch = append(ch, x[0]+": "+x[1]+" → "+x[2])
		}
	}
	if len(ch) == 0 {
		return "no change"
	}
	return strings.Join(ch, "; ")
}
