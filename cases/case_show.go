package cases

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// caseView is the case page: the case, what it came from, its timeline and
// the forms the caller may use.
type caseView struct {
	form
	C                          *survey.Case
	UnitName, Escalated        string
	Status, Kind, Source       survey.Text
	StatusCode                 string
	Opened                     string
	Due                        deadline
	Response                   *responseView
	Dossier                    *dossierView
	Contact                    *survey.Contact // shown to handlers only
	ContactHidden              bool            // a contact exists; the caller may not see it
	ContactPurged              string
	Timeline                   []stepView
	Reply                      *replyView
	Rating                     survey.Text
	RatedAt                    string
	CanAssign, CanHandle       bool
	Closed                     bool
	Assignees                  []option
	Statuses                   []option
	Note, ReplyText, ReplyVia  string
	Vias                       []viaOption
	RatingLink                 string // shown once, right after a reply
	Queued                     bool   // the reply mail waits in the outbox
	TemplateLang, OtherLangURL string
}

type replyView struct {
	At, By, Text string
	Via          survey.Text
}

type viaOption struct {
	Value    string
	Name     survey.Text
	Disabled bool
}

func showCase(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		cs, err := visibleCase(c, d, c.Params("id"))
		if err != nil {
			return err
		}
		v, err := newCaseView(c, d, cs)
		if err != nil {
			return err
		}
		return renderCase(c, v, fiber.StatusOK, flashes[c.Query("ok")])
	}
}

// renderCase writes the case page with status and a flash line.
func renderCase(c *fiber.Ctx, v *caseView, status int, flash string) error {
	p := page(c, "Phản ánh "+v.C.ID+" / Case "+v.C.ID, v)
	p.Flash = flash
	return pages.Render(c, status, "case", p)
}

// flashes are the confirmations a redirect may ask for with ?ok=<code>:
// fixed texts, so nothing from the URL is echoed.
var flashes = map[string]string{
	"assigned": "Đã giao phản ánh. / Case assigned.",
	"status":   "Đã đổi trạng thái. / Status changed.",
	"note":     "Đã thêm ghi chú nội bộ. / Internal note added.",
	"opened":   "Đã ghi nhận phản ánh. / Case recorded.",
}

// newCaseView builds the page of cs for the caller; a handler's view reads
// the contact (audited).
func newCaseView(c *fiber.Ctx, d *web.Deps, cs *survey.Case) (*caseView, error) {
	return newCaseViewInto(c, d, cs, &caseView{})
}

// newCaseViewInto builds the page into v, which may hold the user's input
// and problems of a refused form.
func newCaseViewInto(c *fiber.Ctx, d *web.Deps, cs *survey.Case, v *caseView) (*caseView, error) {
	p, loc, now := web.Who(c), d.Clock.Loc(), d.Clock.Now()
	v.C, v.UnitName, v.Status, v.StatusCode, v.Kind = cs, unitName(d, cs.Unit), name(cs.Status), cs.Status, name(cs.Kind)
	v.Source, v.Opened, v.Due = name("src:"+cs.Source), dateTimeVi(cs.OpenedAt, loc), dueOf(cs, d.Calendar.Calendar(), now)
	v.CanAssign, v.CanHandle, v.Closed = manages(p), handles(p, cs), cs.Status == survey.CaseClosed
	if cs.EscalatedTo != "" {
		v.Escalated = unitName(d, cs.EscalatedTo)
	}
	if !cs.ContactPurged.IsZero() {
		v.ContactPurged = dateVi(cs.ContactPurged, loc)
	}
	if cs.HasContact && v.CanHandle {
		ct, err := d.Cases.CaseContact(cs.ID, p.Actor())
		if err != nil {
			return nil, err
		}
		v.Contact = ct
	} else if cs.HasContact {
		v.ContactHidden = true
	}
	if cs.Response != "" {
		v.Response = responseOf(d, cs.Response, v.CanHandle)
	}
	if cs.Dossier != "" {
		v.Dossier = dossierOf(d, cs.Dossier)
	}
	if cs.Reply != nil {
		v.Reply = &replyView{At: dateTimeVi(cs.Reply.At, loc), By: cs.Reply.By, Text: cs.Reply.Text, Via: name("via:" + cs.Reply.Via)}
	}
	if cs.Rating != "" {
		v.Rating, v.RatedAt = name(cs.Rating), dateTimeVi(cs.RatedAt, loc)
	}
	v.Timeline = timeline(d, cs)
	v.forms(c, d)
	return v, nil
}

// forms fills the choices of the forms and the reply's starting text.
func (v *caseView) forms(c *fiber.Ctx, d *web.Deps) {
	cs := v.C
	if v.CanAssign {
		v.Assignees = []option{{Value: "", Label: "— Chưa giao / Nobody —", Selected: cs.Assignee == ""}}
		for _, u := range d.Users.Users() {
			if !u.Disabled && u.Role != survey.RoleViewer && d.Org.InSubtree(cs.Unit, u.Unit) {
				v.Assignees = append(v.Assignees, option{Value: u.Username, Label: u.Username + " — " + web.RoleName(u.Role), Selected: u.Username == cs.Assignee})
			}
		}
	}
	for _, s := range survey.CaseStatuses {
		if s != survey.CaseReplied || cs.Reply != nil {
			n := name(s)
			v.Statuses = append(v.Statuses, option{Value: s, Label: n.Vi + " / " + n.En, Selected: s == cs.Status})
		}
	}
	hasMail := v.Contact != nil && v.Contact.Email != ""
	v.Vias = []viaOption{{survey.ReplyByEmail, name("via:" + survey.ReplyByEmail), !hasMail},
		{survey.ReplyByPhone, name("via:" + survey.ReplyByPhone), false}, {survey.ReplyByPost, name("via:" + survey.ReplyByPost), false}}
	if v.ReplyVia == "" {
		v.ReplyVia = survey.ReplyByPhone
		if hasMail {
			v.ReplyVia = survey.ReplyByEmail
		}
	}
	v.TemplateLang = "vi"
	if c.Query("mau") == "en" {
		v.TemplateLang = "en"
	}
	v.OtherLangURL = "/phan-anh/" + cs.ID + "?mau=" + map[string]string{"vi": "en", "en": "vi"}[v.TemplateLang] + "#reply-h"
	if v.ReplyText == "" && cs.Reply != nil {
		v.ReplyText, v.ReplyVia = cs.Reply.Text, cs.Reply.Via
	}
	if v.ReplyText == "" && v.CanHandle && !v.Closed && cs.Rating == "" {
		citizen := ""
		if v.Contact != nil {
			citizen = v.Contact.Name
		}
		subject := strings.TrimSpace(cs.Summary)
		if subject == "" {
			subject = "…"
		}
		v.ReplyText = replyTemplate(v.TemplateLang, v.UnitName, citizen, dateVi(cs.OpenedAt, d.Clock.Loc()), subject)
	}
}

// stepView is one line of the timeline.
type stepView struct {
	At, By string
	What   survey.Text
	Text   string // a note's text
}

// timeline lists the case's steps, the notes with their texts.
func timeline(d *web.Deps, cs *survey.Case) []stepView {
	loc := d.Clock.Loc()
	var out []stepView
	for _, s := range cs.Steps {
		v := stepView{At: dateTimeVi(s.At, loc), By: s.By}
		switch s.Action {
		case survey.StepOpen:
			n := name("src:" + s.Detail)
			v.What = survey.Text{Vi: "Mở phản ánh (" + n.Vi + ")", En: "Opened (" + n.En + ")"}
		case survey.StepAssign:
			v.What = survey.Text{Vi: "Giao cho " + s.Detail, En: "Assigned to " + s.Detail}
			if s.Detail == "" {
				v.What = survey.Text{Vi: "Bỏ giao", En: "Unassigned"}
			}
		case survey.StepStatus:
			n := name(s.Detail)
			v.What = survey.Text{Vi: "Trạng thái: " + n.Vi, En: "Status: " + n.En}
		case survey.StepNote:
			v.What = survey.Text{Vi: "Ghi chú nội bộ", En: "Internal note"}
			if i := slices.IndexFunc(cs.Notes, func(n survey.CaseNote) bool { return n.At.Equal(s.At) && n.By == s.By }); i >= 0 {
				v.Text = cs.Notes[i].Text
			}
		case survey.StepReply:
			n := name("via:" + s.Detail)
			v.What = survey.Text{Vi: "Trả lời qua " + strings.ToLower(n.Vi), En: "Replied by " + strings.ToLower(n.En)}
		case survey.StepEscalate:
			v.What = survey.Text{Vi: "Quá hạn: chuyển lên " + unitName(d, s.Detail), En: "Overdue: escalated to " + unitName(d, s.Detail)}
		case survey.StepRate:
			n := name(s.Detail)
			v.What = survey.Text{Vi: "Người dân đánh giá: " + n.Vi, En: "Citizen's rating: " + n.En}
		case survey.StepPurge:
			v.What = survey.Text{Vi: "Đã xoá thông tin liên hệ (hết thời hạn lưu)", En: "Contact deleted (retention)"}
		}
		out = append(out, v)
	}
	return out
}
