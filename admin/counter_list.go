package admin

import (
	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// countersView is the counters page: the counters of the units in view,
// grouped by unit, each renamable in place, and the form to add one.
type countersView struct {
	orgForm
	Filter string      // ?unit=, "" = the caller's whole subtree
	Units  []orgChoice // the caller's units, for the filter and the form
	Groups []counterGroup
}

type counterGroup struct {
	Unit, Name string
	Rows       []counterRow
}

type counterRow struct {
	survey.Counter
	OnDuty string // name of the staff member signed on, if any
	Kiosks int
}

func listCounters(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return renderCounters(c, d, &countersView{}, fiber.StatusOK)
	}
}

func renderCounters(c *fiber.Ctx, d *web.Deps, v *countersView, status int) error {
	root, err := scopeRoot(c, d)
	if err != nil {
		return err
	}
	if c.Query("unit") != "" {
		v.Filter = root
	}
	v.Units = unitChoices(d.Services, web.Who(c).Unit, "")
	kiosks := map[string]int{}
	for _, k := range d.Kiosks.Kiosks() {
		if !k.Revoked {
			kiosks[k.Counter]++
		}
	}
	byUnit := map[string][]survey.Counter{}
	for _, x := range d.Counters.Counters("") { // sorted by id
		byUnit[x.Unit] = append(byUnit[x.Unit], x)
	}
	for _, n := range orgFlatten(orgTree(d.Services, root), "") {
		cs := byUnit[n.ID]
		if len(cs) == 0 {
			continue
		}
		g := counterGroup{Unit: n.ID, Name: n.Name}
		for _, x := range cs {
			row := counterRow{Counter: x, Kiosks: kiosks[x.ID]}
			if s := d.Counters.OnDuty(x.ID); s != nil {
				row.OnDuty = s.Name
			}
			g.Rows = append(g.Rows, row)
		}
		v.Groups = append(v.Groups, g)
	}
	return pages.Render(c, status, "org_counters", orgPage(c, "Quầy / Counters", v))
}
