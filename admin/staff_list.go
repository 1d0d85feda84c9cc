package admin

import (
	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// staffView is the staff page: the staff of the units in view, by unit,
// and the form to add one.
type staffView struct {
	orgForm
	Filter string
	Units  []orgChoice
	Groups []staffGroup
}

type staffGroup struct {
	Unit, Name string
	Rows       []staffRow
}

type staffRow struct {
	survey.Staff
	PhotoURL string
	OnDuty   string // the counter's name while signed on
}

func listStaff(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return renderStaff(c, d, &staffView{}, fiber.StatusOK)
	}
}

func renderStaff(c *fiber.Ctx, d *web.Deps, v *staffView, status int) error {
	root, err := scopeRoot(c, d)
	if err != nil {
		return err
	}
	if c.Query("unit") != "" {
		v.Filter = root
	}
	v.Units = unitChoices(d.Services, web.Who(c).Unit, "")
	byUnit := map[string][]survey.Staff{}
	for _, s := range d.Staff.StaffOf("") { // sorted by id
		byUnit[s.Unit] = append(byUnit[s.Unit], s)
	}
	for _, n := range orgFlatten(orgTree(d.Services, root), "") {
		ss := byUnit[n.ID]
		if len(ss) == 0 {
			continue
		}
		g := staffGroup{Unit: n.ID, Name: n.Name}
		for _, s := range ss {
			row := staffRow{Staff: s, PhotoURL: photoURL(s)}
			if x := d.Counters.Counter(s.Counter); x != nil {
				row.OnDuty = x.Name
			}
			g.Rows = append(g.Rows, row)
		}
		v.Groups = append(v.Groups, g)
	}
	return pages.Render(c, status, "org_staff", orgPage(c, "Công chức / Staff", v))
}

// photoURL is the admin URL of a staff member's photo ("" = none); the
// content hash in the query lets browsers cache it.
func photoURL(s survey.Staff) string {
	if s.Photo == "" {
		return ""
	}
	return "/admin/staff/" + s.ID + "/photo?v=" + s.Photo
}
