package kiosk

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"hailong/survey"
	"hailong/web"
)

// The receipt's mobile form, GET and POST /r/{token}. The unguessable token
// (256 random bits, stored hashed) is the only credential: there is no
// session and no CSRF token, since a forged cross-site post would need the
// token itself; a post the browser marks as cross-site is refused all the
// same (form_origin.go). One response per receipt: the store writes it and marks the
// dossier answered in one transaction.

// receiptForm handles GET /r/{token}.
func receiptForm(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		lang := langOf(c.Query("lang"))
		token := c.Params("token")
		dos, err := openReceipt(d, token)
		if err != nil {
			return receiptRefusal(c, d, err, lang, dos)
		}
		sv := d.Surveys.Survey(d.Surveys.SurveyFor(dos.Unit, survey.UseReceipt), 0)
		noStore(c)
		return render(c, fiber.StatusOK, "form", buildForm(sv, lang, receiptKind(d, dos, token, lang), emptyInput(), nil))
	}
}

// receiptAnswer handles POST /r/{token}: 200 thanks; 422 the form again
// with the answers kept and the errors; 404/409/410 pages as for GET.
func receiptAnswer(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		token := c.Params("token")
		vals := formValues(c)
		lang := langOf(first(vals["lang"]))
		dos, err := openReceipt(d, token)
		if err != nil {
			return receiptRefusal(c, d, err, lang, dos)
		}
		if d.ProvenanceOf(c) == web.ProvCrossSite { // without headers, the token suffices
			return refuseCrossSite(c, d, lang, unitTitle(d.Org, dos.Unit), "/r/"+token)
		}
		if !isFormPost(c) {
			return renderDone(c, fiber.StatusUnsupportedMediaType, lang, "badtype", unitTitle(d.Org, dos.Unit), nil, nil)
		}
		sv := d.Surveys.Survey(d.Surveys.SurveyFor(dos.Unit, survey.UseReceipt), 0)
		in, errs := parseForm(vals, sv, true)
		kind := receiptKind(d, dos, token, in.lang)
		if len(errs) > 0 {
			noStore(c)
			return render(c, fiber.StatusUnprocessableEntity, "form", buildForm(sv, in.lang, kind, in, errs))
		}
		r := in.response(sv)
		r.ID = newID()
		err = d.Dossiers.AnswerReceipt(token, r)
		if fe := fieldOf(err, in.lang); fe != nil {
			noStore(c)
			return render(c, fiber.StatusUnprocessableEntity, "form", buildForm(sv, in.lang, kind, in, fe))
		}
		if err != nil {
			return receiptRefusal(c, d, err, in.lang, dos)
		}
		d.Metrics.Stored(r.Channel)
		return renderThanks(c, d, in.lang, kind.agency, sv, r)
	}
}

// openReceipt finds the receipt and checks it can be answered now.
func openReceipt(d *web.Deps, token string) (*survey.Dossier, error) {
	dos, err := d.Dossiers.ReceiptByToken(token)
	if err != nil {
		return nil, err
	}
	return dos, dos.Answerable(d.Clock.Now())
}

// receiptRefusal renders the page for a receipt that cannot be answered;
// other errors (the store closing) go to the error handler.
func receiptRefusal(c *fiber.Ctx, d *web.Deps, err error, lang string, dos *survey.Dossier) error {
	switch survey.ErrorCode(err) {
	case survey.ENOTFOUND:
		return renderDone(c, fiber.StatusNotFound, lang, "notfound", "", nil, nil)
	case survey.ECONFLICT:
		return renderDone(c, fiber.StatusConflict, lang, "answered", unitTitle(d.Org, dos.Unit), nil, nil)
	case survey.EGONE:
		last := dos.TokenExpires.Add(-time.Nanosecond) // valid through the day before
		link := &doneLink{URL: "/f/" + dos.Unit + "?lang=" + lang, Text: formWords["expired.poster"].In(lang)}
		return renderDone(c, fiber.StatusGone, lang, "expired", unitTitle(d.Org, dos.Unit),
			func(l string) []any { return []any{dateIn(last, d.Clock.Loc(), l)} }, link)
	}
	return err
}

// receiptKind says what the form is about: agency, procedure, dossier code
// and the day it was received.
func receiptKind(d *web.Deps, dos *survey.Dossier, token, lang string) formKind {
	t := tr(lang)
	k := formKind{action: "/r/" + token, agency: unitTitle(d.Org, dos.Unit)}
	k.about = append(k.about, aboutRow{t["agency"], k.agency})
	if dos.Procedure != "" {
		k.about = append(k.about, aboutRow{t["procedure"], procedureName(d.Procedures, dos.Procedure)})
	}
	k.about = append(k.about, aboutRow{t["code"], dos.Code}, aboutRow{t["received"], dateIn(dos.ReceivedAt, d.Clock.Loc(), lang)})
	return k
}

// unitTitle names a unit for citizens: a department with its agency.
func unitTitle(db survey.OrgService, id string) string {
	u := db.Unit(id)
	if u == nil {
		return ""
	}
	if u.Group == "" && u.Parent != "" {
		if p := db.Unit(u.Parent); p != nil && p.Group != "" {
			return u.Name + " – " + p.Name
		}
	}
	return u.Name
}

// procedureName is "name (code)" when the procedure's name is known.
func procedureName(db survey.ProcedureService, code string) string {
	if n := db.ProcedureName(code); n != "" {
		return n + " (" + code + ")"
	}
	return code
}

// fieldOf maps a validation error of the store to the form's fields.
func fieldOf(err error, lang string) map[string]string {
	e, ok := err.(*survey.Error)
	if !ok || e.Code != survey.EINVALID {
		return nil
	}
	t := tr(lang)
	switch {
	case strings.HasPrefix(e.Field, "answers."):
		return map[string]string{"c." + strings.TrimPrefix(e.Field, "answers."): t["err.choice"]}
	case strings.HasPrefix(e.Field, "facts."):
		return map[string]string{"f." + strings.TrimPrefix(e.Field, "facts."): t["err.choice"]}
	case e.Field == "comment":
		return map[string]string{"comment": t["err.comment"]}
	case e.Field == "reasons":
		return map[string]string{"reasons": t["err.reasons"]}
	}
	return map[string]string{"c." + survey.OverallKey: e.Message}
}

// newID is a time-ordered UUID for a stored form answer.
func newID() string {
	if id, err := uuid.NewV7(); err == nil {
		return id.String()
	}
	return uuid.NewString()
}
