package kiosk

import (
	"embed"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// The reception page (/reception, for logged-in reception staff and
// administrators): issue a receipt by hand, then print its slip; record
// that a dossier's result was returned. Same rules as the API.

//go:embed templates/reception/*.html
var receptionFS embed.FS

var receptionPages = web.ParsePages(receptionFS, "templates/reception/*.html", "")

// deskView is the page's data: the two forms' input and problems, keyed by
// input id.
type deskView struct {
	Units       []named
	Staff       []named
	Procedures  []survey.Procedure // the catalogue, for the procedure field's suggestions
	Counters    []deskCounter      // counter duty (counter_duty.go)
	DefaultUnit string
	Values      map[string]string
	Problems    []deskProblem
}

type deskProblem struct{ ID, Message string }

// fieldView is one text, date or time input.
type fieldView struct {
	ID, Name, Vi, En, Type, Value, Error string
}

func (v *deskView) V(id, def string) string {
	if s, ok := v.Values[id]; ok {
		return s
	}
	return def
}

func (v *deskView) E(id string) string {
	for _, p := range v.Problems {
		if p.ID == id {
			return p.Message
		}
	}
	return ""
}

// Field describes input id for the "field" template.
func (v *deskView) Field(id, name, vi, en, typ string) fieldView {
	if typ == "" {
		typ = "text"
	}
	return fieldView{ID: id, Name: name, Vi: vi, En: en, Type: typ, Value: v.V(id, ""), Error: v.E(id)}
}

func (v *deskView) fail(id, msg string) {
	if v.E(id) == "" {
		v.Problems = append(v.Problems, deskProblem{id, msg})
	}
}

// maxDeskProcedures bounds the procedure suggestions in the page (a
// province's catalogue is about 2,000).
const maxDeskProcedures = 5000

// newDesk lists the units and staff of the user's subtree and the defaults.
func newDesk(d *web.Deps, p *web.Principal) *deskView {
	db, loc := d.Services, d.Clock.Loc()
	v := &deskView{Values: map[string]string{}}
	ids := db.Org.Subtree(p.Unit)
	if p.Unit == "" {
		ids = nil
		for _, u := range db.Org.Units() {
			ids = append(ids, u.ID)
		}
	}
	for _, id := range ids {
		if u := db.Org.Unit(id); u != nil {
			v.Units = append(v.Units, named{ID: u.ID, Name: u.Name})
			for _, s := range db.Staff.StaffOf(u.ID) {
				v.Staff = append(v.Staff, named{ID: s.ID, Name: s.Name + " – " + u.Name})
			}
		}
	}
	if len(v.Units) > 0 {
		v.DefaultUnit = v.Units[0].ID
	}
	v.Counters = deskCounters(db, v.Units)
	if v.Procedures = db.Procedures.Procedures(); len(v.Procedures) > maxDeskProcedures {
		v.Procedures = v.Procedures[:maxDeskProcedures]
	}
	now := d.Clock.Now().In(loc)
	v.Values["issue-received"] = now.Format("2006-01-02T15:04")
	v.Values["finish-date"] = now.Format(time.DateOnly)
	return v
}

func renderDesk(c *fiber.Ctx, status int, v *deskView, flash string) error {
	return receptionPages.Render(c, status, "reception", &web.Page{Title: "Tiếp nhận hồ sơ / Reception",
		User: web.Who(c), Nav: "reception", Flash: flash, Data: v})
}

func showReception(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return renderDesk(c, fiber.StatusOK, newDesk(d, web.Who(c)), "")
	}
}

// issueByHand handles POST /reception/receipts: 303 to the new slip, or the
// page again (422, 403, 409) with the input and the problems.
func issueByHand(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := web.Who(c)
		v := newDesk(d, p)
		in := formValues(c)
		get := func(id, name string) string {
			s := strings.TrimSpace(first(in[name]))
			v.Values[id] = s
			return s
		}
		req := receiptRequest{DossierCode: get("issue-code", "dossier_code"), Unit: get("issue-unit", "unit"),
			Procedure: get("issue-procedure", "procedure"), Staff: get("issue-staff", "staff"),
			ReceivedAt: get("issue-received", "received_at"), DueAt: get("issue-due", "due_at")}
		_, token, err := issueFor(d, p, &req)
		if err != nil {
			return deskError(c, v, err, "issue-", map[string]string{"dossier_code": "code", "code": "code", "unit": "unit",
				"procedure": "procedure", "staff": "staff", "received_at": "received", "due_at": "due", "expires_at": "due"})
		}
		return c.Redirect("/receipts/"+token+"/slip", fiber.StatusSeeOther)
	}
}

// issueFor issues the receipt of req for p (the API and this page) and
// returns the stored dossier and the token. Errors: 403 (field unit), 422.
func issueFor(d *web.Deps, p *web.Principal, req *receiptRequest) (*survey.Dossier, string, error) {
	if err := checkUnit(d.Org, p, req.Unit); err != nil {
		if survey.ErrorCode(err) == survey.EFORBIDDEN {
			return nil, "", &survey.Error{Code: survey.EFORBIDDEN, Field: "unit", Message: survey.ErrorMessage(err)}
		}
		return nil, "", err
	}
	dossier, expires, err := req.toDossier(d.Clock.Loc(), defaultReceived(d, req))
	if err != nil {
		return nil, "", err
	}
	if dossier.Code == "" {
		return nil, "", survey.FieldError("dossier_code", "Thiếu mã hồ sơ. / Missing dossier code.")
	}
	token, err := d.Dossiers.IssueReceipt(p.Actor(), dossier, expires)
	if err != nil {
		return nil, "", err
	}
	d.Log.Info("receipt issued", "dossier", dossier.Code, "unit", dossier.Unit, "by", p.Actor())
	return dossier, token, nil
}

// defaultReceived is when a receipt without received_at was received: now
// by the store's clock, or, for a reprint of a dossier of the same unit,
// its stored time (a reprint never moves the dates; reissue checks them).
func defaultReceived(d *web.Deps, req *receiptRequest) time.Time {
	if req.ReceivedAt == "" && req.DossierCode != "" {
		if old, err := d.Dossiers.Dossier(req.DossierCode); err == nil && old.Unit == req.Unit {
			return old.ReceivedAt
		}
	}
	return d.Clock.Now()
}

// finishByHand handles POST /reception/finish: the page again with a
// confirmation, or with the problems.
func finishByHand(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := web.Who(c)
		v := newDesk(d, p)
		in := formValues(c)
		code := strings.TrimSpace(first(in["code"]))
		date := strings.TrimSpace(first(in["finished_at"]))
		suppl := strings.TrimSpace(first(in["supplement_days"]))
		v.Values["finish-code"], v.Values["finish-date"], v.Values["finish-supplement"] = code, date, suppl
		var n *int
		if suppl != "" {
			x, err := strconv.Atoi(suppl)
			if err != nil {
				v.fail("finish-supplement", "Số ngày phải là số nguyên. / Enter a whole number of days.")
				return renderDesk(c, fiber.StatusUnprocessableEntity, v, "")
			}
			n = &x
		}
		if code == "" {
			v.fail("finish-code", "Thiếu mã hồ sơ. / Enter the dossier code.")
			return renderDesk(c, fiber.StatusUnprocessableEntity, v, "")
		}
		out, err := finish(d, p, code, date, n)
		if err != nil {
			return deskError(c, v, err, "finish-", map[string]string{"finished_at": "date", "supplement_days": "supplement"})
		}
		v = newDesk(d, p)
		return renderDesk(c, fiber.StatusOK, v, "Đã ghi nhận trả kết quả hồ sơ "+out.Code+": "+outcomeWords[out.Outcome(d.Clock.Loc())]+".")
	}
}

var outcomeWords = map[survey.Outcome]string{
	survey.Early: "trước hạn / early", survey.OnTime: "đúng hạn / on time",
	survey.Late: "trễ hạn / late", survey.InProgress: "đang giải quyết / in progress",
}

// deskError shows a user error beside its input (fields maps the error's
// field to the input id's suffix; anything else goes beside the code).
func deskError(c *fiber.Ctx, v *deskView, err error, prefix string, fields map[string]string) error {
	e, ok := err.(*survey.Error)
	if !ok {
		return err
	}
	status := web.Status(e.Code)
	switch e.Code {
	case survey.EINVALID, survey.ECONFLICT, survey.EFORBIDDEN, survey.ENOTFOUND:
	default:
		return err
	}
	id := prefix + "code"
	if f, ok := fields[e.Field]; ok {
		id = prefix + f
	}
	v.fail(id, e.Message)
	return renderDesk(c, status, v, "")
}
