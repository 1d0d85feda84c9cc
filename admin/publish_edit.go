package admin

import (
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/survey"
	"hailong/web"
)

// The publication controls (/admin/publish, administrators only): whether
// /cong-khai and the open data are served, from which day, which groups and
// agencies, whether counter- and staff-level figures are public, and which
// portal origins may frame the widget: survey.Settings.Publish
// (docs/PUBLICATION.md); the public pages read them at every request.

// publishForm holds the fields as typed, so a wrong value comes back as is.
type publishForm struct {
	Enabled, Staff bool
	From, Origins  string
	Groups         []publishGroup
	PublicURL      string // for the embed snippets
	Example        string // an agency for the snippets
	formState
}

type publishGroup struct {
	ID, Name string
	Public   bool
	Units    []publishUnit
}

type publishUnit struct {
	ID, Name string
	Public   bool
}

// agenciesByGroup lists the units that have a group, by group id.
func agenciesByGroup(db survey.OrgService) map[string][]survey.Unit {
	out := map[string][]survey.Unit{}
	for _, u := range db.Units() {
		if u.Group != "" {
			out[u.Group] = append(out[u.Group], u)
		}
	}
	return out
}

// groupsOf fills the group and agency checkboxes: public(id) says whether a
// group or an agency is ticked.
func (f *publishForm) groupsOf(db *survey.Services, groupOn, unitOn func(string) bool) {
	byGroup := agenciesByGroup(db.Org)
	f.Groups = nil
	for _, g := range db.Org.Groups() {
		pg := publishGroup{ID: g.ID, Name: g.Name, Public: groupOn(g.ID)}
		units := byGroup[g.ID]
		sort.Slice(units, func(i, j int) bool { return units[i].Name < units[j].Name })
		for _, u := range units {
			pg.Units = append(pg.Units, publishUnit{ID: u.ID, Name: u.Name, Public: unitOn(u.ID)})
		}
		f.Groups = append(f.Groups, pg)
	}
}

func currentPublish(db *survey.Services) *publishForm {
	st := db.Settings.Settings().Publish
	f := &publishForm{Enabled: st.Enabled, Staff: st.Staff, Origins: strings.Join(st.Origins, "\n")}
	if st.From != 0 {
		f.From = engine.Period{From: st.From, To: st.From}.FromDate()
	}
	f.groupsOf(db, func(id string) bool { return contains(st.Groups, id) }, func(id string) bool { return !contains(st.Exclude, id) })
	return f
}

func showPublish(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return renderPublish(c, d, fiber.StatusOK, currentPublish(d.Services))
	}
}

func renderPublish(c *fiber.Ctx, d *web.Deps, status int, f *publishForm) error {
	f.PublicURL = strings.TrimRight(d.PublicURL, "/")
	f.Example = "so-cong-thuong"
	for _, g := range f.Groups {
		if len(g.Units) > 0 {
			f.Example = g.Units[0].ID
			break
		}
	}
	return pages.Render(c, status, "sys_publish", withFlash(c, page(c, "Công khai kết quả / Publication", f)))
}

func savePublish(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		args := c.Request().PostArgs()
		f := &publishForm{Enabled: form(c, "enabled") == "1", Staff: form(c, "staff") == "1", From: form(c, "from"),
			Origins: form(c, "origins")}
		groups, units := multi(args.PeekMulti("group")), multi(args.PeekMulti("unit"))
		f.groupsOf(d.Services, func(id string) bool { return contains(groups, id) }, func(id string) bool { return contains(units, id) })
		old := d.Settings.Settings()
		s := old
		s.Publish = f.check(d.Services, groups, units)
		if f.ok() {
			if err := d.Settings.SaveSettings(s); err != nil {
				if err := f.failErr(err, "groups", publishField); err != nil {
					return err
				}
			}
		}
		if !f.ok() {
			return renderPublish(c, d, fiber.StatusUnprocessableEntity, f)
		}
		audit(c, d, "publish.update", "", metaChanges(old.Stored(), d.Settings.Settings().Stored()))
		return c.Redirect("/admin/publish?ok=publish", fiber.StatusSeeOther)
	}
}

// publishField names the input of a publication setting.
func publishField(field string) string {
	switch field {
	case "publish.from":
		return "from"
	case "publish.origins":
		return "origins"
	}
	return "groups"
}

// check validates the form and returns the settings to store.
func (f *publishForm) check(db *survey.Services, groups, units []string) survey.PublishSettings {
	st := survey.PublishSettings{Enabled: f.Enabled, Staff: f.Staff}
	if f.From != "" {
		if day, ok := engine.ParseDate(f.From); ok {
			st.From = day
		} else {
			f.fail("from", "Ngày không hợp lệ: dùng dạng YYYY-MM-DD (năm 2000–2999). / Invalid date: use YYYY-MM-DD.")
		}
	}
	byGroup := agenciesByGroup(db.Org)
	known := map[string]bool{}
	for _, g := range db.Org.Groups() {
		known[g.ID] = true
	}
	for _, g := range groups {
		if !known[g] {
			f.fail("groups", "Khối "+g+" không tồn tại. / Unknown group "+g+".")
		}
	}
	st.Groups = groups
	agencies := map[string]bool{}
	for _, us := range byGroup {
		for _, u := range us {
			agencies[u.ID] = true
			if !contains(units, u.ID) {
				st.Exclude = append(st.Exclude, u.ID)
			}
		}
	}
	sort.Strings(st.Exclude)
	for _, u := range units {
		if !agencies[u] {
			f.fail("groups", "Đơn vị "+u+" không thuộc khối nào. / Unit "+u+" belongs to no group.")
		}
	}
	st.Origins = f.checkOrigins()
	return st
}

// checkOrigins reads the allowed portal origins, one per line (or
// separated by spaces or commas).
func (f *publishForm) checkOrigins() []string {
	var out []string
	for _, o := range survey.SplitList(f.Origins) {
		norm, ok := survey.ParseOrigin(o)
		if !ok {
			f.fail("origins", survey.OriginMessage(o))
			continue
		}
		if !contains(out, norm) {
			out = append(out, norm)
		}
	}
	if len(out) > survey.MaxOrigins {
		f.fail("origins", "Tối đa 20 nguồn. / At most 20 origins.")
	}
	return out
}

// multi copies a repeated form field out of Fiber's buffers, without
// empty values or repeats.
func multi(vs [][]byte) []string {
	var out []string
	for _, v := range vs {
		s := strings.TrimSpace(string(v))
		if s != "" && !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// metaChanges lists the settings that differ, for the audit log.
func metaChanges(a, b map[string]string) string {
	var out []string
	for k := range b {
		if a[k] != b[k] {
			out = append(out, k+": "+orNone(a[k])+" → "+orNone(b[k]))
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		return "no change"
	}
	return strings.Join(out, "; ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
