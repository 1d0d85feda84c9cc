package cases

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// inboxShown bounds the rows of one page; the filters narrow them.
const inboxShown = 300

type inboxView struct {
	Status, Assignee, Q, Unit string
	Overdue                   bool
	Counts                    []statusCount
	OverdueN, Found           int
	Rows                      []inboxRow
	Units                     []option
	CanOpen                   bool
}

type statusCount struct {
	Code string
	Name survey.Text
	N    int
}

type option struct {
	Value, Label string
	Selected     bool
}

type inboxRow struct {
	ID, UnitName, Summary, Opened, Assignee string
	Status, Kind, Source                    survey.Text
	StatusCode                              string
	Due                                     deadline
	Escalated                               string
}

// deadline is a case's deadline as the pages show it: the date and what
// is left ("còn 3 ngày làm việc") or how late it is ("quá hạn 2 ngày").
type deadline struct {
	Date  string
	Left  survey.Text
	Class string // "late", "soon" or ""
}

func dueOf(cs *survey.Case, cal survey.Calendar, now time.Time) deadline {
	d := deadline{Date: dateVi(cs.DueAt, cal.Loc)}
	switch {
	case cs.Reply != nil && cs.OnTime():
		d.Left = survey.Text{Vi: "Đã trả lời đúng hạn", En: "Replied on time"}
	case cs.Reply != nil:
		d.Left, d.Class = survey.Text{Vi: "Đã trả lời quá hạn", En: "Replied late"}, "late"
	case cs.Status == survey.CaseClosed:
		d.Left = survey.Text{Vi: "Đã đóng", En: "Closed"}
	case cs.Overdue(now):
		n := max(1, int(now.Sub(cs.DueAt).Hours()/24)+1)
		d.Left, d.Class = survey.Text{Vi: fmt.Sprintf("Quá hạn %d ngày", n), En: fmt.Sprintf("%d days overdue", n)}, "late"
	default:
		n := cal.WorkdaysBetween(now, cs.DueAt)
		d.Left = survey.Text{Vi: fmt.Sprintf("Còn %d ngày làm việc", n), En: fmt.Sprintf("%d working days left", n)}
		if n == 0 {
			d.Left = survey.Text{Vi: "Hết hạn cuối ngày hôm nay", En: "Due at the end of today"}
		}
		if n <= 2 {
			d.Class = "soon"
		}
	}
	return d
}

func showInbox(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := web.Who(c)
		v := &inboxView{Status: strings.Clone(c.Query("status", "open")), Assignee: strings.Clone(c.Query("assignee")),
			Q: strings.TrimSpace(strings.Clone(c.Query("q"))), Unit: strings.Clone(c.Query("unit")), Overdue: c.Query("overdue") == "1",
			CanOpen: true}
		root := p.Unit
		if v.Unit != "" {
			if !p.Covers(d.Org, v.Unit) || d.Org.Unit(v.Unit) == nil {
				return survey.FieldError("unit", "Đơn vị không có hoặc nằm ngoài phạm vi của tài khoản. / Unknown unit, or outside your account's scope.")
			}
			root = v.Unit
		}
		if utf8.RuneCountInString(v.Q) > 200 {
			return survey.FieldError("q", "Từ khoá quá dài. / The search text is too long.")
		}
		var units []string
		if root != "" {
			units = d.Org.Subtree(root)
		}
		all, err := d.Cases.Cases(survey.CaseQuery{Units: units})
		if err != nil {
			return err
		}
		if err := v.count(all, d.Clock.Now()); err != nil {
			return err
		}
		q := survey.CaseQuery{Units: units, Status: v.Status, Assignee: v.Assignee, Overdue: v.Overdue, Text: v.Q}
		if q.Assignee == "me" {
			q.Assignee = p.Name
		}
		found, err := d.Cases.Cases(q)
		if err != nil {
			return err
		}
		v.Found = len(found)
		cal, now := d.Calendar.Calendar(), d.Clock.Now()
		for i := range found[:min(len(found), inboxShown)] {
			v.Rows = append(v.Rows, inboxRowOf(d, &found[i], cal, now))
		}
		v.Units = unitOptions(d, p.Unit, v.Unit)
		return pages.Render(c, fiber.StatusOK, "inbox", page(c, "Phản ánh, kiến nghị / Citizens' cases", v))
	}
}

// count fills the counts by status and checks the status filter.
func (v *inboxView) count(all []survey.Case, now time.Time) error {
	n := map[string]int{}
	for i := range all {
		n[all[i].Status]++
		if all[i].Overdue(now) {
			v.OverdueN++
		}
	}
	ok := v.Status == "" || v.Status == "open"
	for _, s := range survey.CaseStatuses {
		v.Counts = append(v.Counts, statusCount{Code: s, Name: name(s), N: n[s]})
		ok = ok || v.Status == s
	}
	if !ok {
		return survey.FieldError("status", "Trạng thái không hợp lệ. / Invalid status.")
	}
	return nil
}

func inboxRowOf(d *web.Deps, cs *survey.Case, cal survey.Calendar, now time.Time) inboxRow {
	sum := survey.MaskPII(cs.Summary)
	if utf8.RuneCountInString(sum) > 140 {
		sum = string([]rune(sum)[:139]) + "…"
	}
	r := inboxRow{ID: cs.ID, UnitName: unitName(d, cs.Unit), Summary: sum, Opened: dateVi(cs.OpenedAt, cal.Loc),
		Assignee: cs.Assignee, Status: name(cs.Status), StatusCode: cs.Status, Kind: name(cs.Kind), Source: name("src:" + cs.Source),
		Due: dueOf(cs, cal, now)}
	if cs.EscalatedTo != "" {
		r.Escalated = unitName(d, cs.EscalatedTo)
	}
	return r
}

// unitOptions lists the units of root's subtree ("" = every unit) for a
// select, sel selected, with "all" first.
func unitOptions(d *web.Deps, root, sel string) []option {
	out := []option{{Value: "", Label: "— Tất cả đơn vị / All units —", Selected: sel == ""}}
	for _, u := range d.Org.Units() {
		if d.Org.InSubtree(u.ID, root) {
			out = append(out, option{Value: u.ID, Label: u.Name, Selected: u.ID == sel})
		}
	}
	return out
}
