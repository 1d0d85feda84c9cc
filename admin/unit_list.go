package admin

import (
	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// unitsView is the units page: the tree, the form to add a unit, the
// groups, and the CSV import with its problems.
type unitsView struct {
	orgForm
	Tree         []*orgNode
	Parents      []orgChoice
	Groups       []groupRow
	ImportErrors []survey.ImportProblem // of a refused import, by line
	Total        int
}

type groupRow struct {
	survey.Group
	Units int
}

func showUnits(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return renderUnits(c, d, &unitsView{}, fiber.StatusOK, "")
	}
}

// renderUnits fills v from the store and renders the units page.
func renderUnits(c *fiber.Ctx, d *web.Deps, v *unitsView, status int, flash string) error {
	v.Tree = orgTree(d.Services, "")
	v.Parents = unitChoices(d.Services, "", "")
	units := d.Org.Units()
	count := map[string]int{}
	for _, u := range units {
		count[u.Group]++
	}
	v.Total = len(units)
	for _, g := range d.Org.Groups() {
		v.Groups = append(v.Groups, groupRow{Group: g, Units: count[g.ID]})
	}
	p := orgPage(c, "Đơn vị và khối / Units and groups", v)
	if flash != "" {
		p.Flash = flash
	}
	return pages.Render(c, status, "org_units", p)
}
