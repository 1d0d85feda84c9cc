package cases

import (
	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// The steps of the case page: assign (managers, administrators), status
// (handlers), internal note (whoever sees the case). Each posts a form
// (CSRF checked by web.RequireUser) and comes back to the case page: a
// redirect when stored, the page again with the message beside the field
// (422) when refused.

func assignCase(d *web.Deps) fiber.Handler {
	return step(d, "assigned", "f-assignee", func(c *fiber.Ctx, cs *survey.Case, v *caseView) (survey.CaseUpdate, error) {
		if !manages(web.Who(c)) {
			return survey.CaseUpdate{}, forbidden()
		}
		a := formText(c, "assignee")
		return survey.CaseUpdate{Assignee: &a}, nil
	})
}

func setStatus(d *web.Deps) fiber.Handler {
	return step(d, "status", "f-status", func(c *fiber.Ctx, cs *survey.Case, v *caseView) (survey.CaseUpdate, error) {
		if !handles(web.Who(c), cs) {
			return survey.CaseUpdate{}, forbidden()
		}
		s := formText(c, "status")
		return survey.CaseUpdate{Status: &s}, nil
	})
}

func addNote(d *web.Deps) fiber.Handler {
	return step(d, "note", "f-note", func(c *fiber.Ctx, cs *survey.Case, v *caseView) (survey.CaseUpdate, error) {
		v.Note = formText(c, "note")
		if v.Note == "" {
			return survey.CaseUpdate{}, survey.FieldError("note", "Ghi nội dung ghi chú. / Write the note.")
		}
		return survey.CaseUpdate{Note: v.Note}, nil
	})
}

// step runs one update of the case page: read reads the form into an
// update (or refuses it), the store applies it; input is the id of the
// form's input, where a refusal is shown.
func step(d *web.Deps, ok, input string, read func(*fiber.Ctx, *survey.Case, *caseView) (survey.CaseUpdate, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		cs, err := visibleCase(c, d, c.Params("id"))
		if err != nil {
			return err
		}
		kept := &caseView{}
		u, err := read(c, cs, kept)
		if err == nil {
			_, err = d.Cases.UpdateCase(cs.ID, u, web.Who(c).Actor())
		}
		if err != nil {
			return refused(c, d, cs, kept, err, input)
		}
		return c.Redirect("/phan-anh/"+cs.ID+"?ok="+ok, fiber.StatusSeeOther)
	}
}

// refused shows the case page again with err beside input (or beside the
// input its field names), keeping what the user typed in kept.
func refused(c *fiber.Ctx, d *web.Deps, cs *survey.Case, kept *caseView, err error, input string) error {
	f := &form{}
	status, err := f.take(err, map[string]string{"assignee": "f-assignee", "status": "f-status", "note": "f-note",
		"text": "f-reply", "via": "f-via"}, input)
	if err != nil {
		return err
	}
	fresh, err := d.Cases.Case(cs.ID)
	if err != nil {
		return err
	}
	v := &caseView{Note: kept.Note, ReplyText: kept.ReplyText, ReplyVia: kept.ReplyVia}
	v.form = *f
	built, err := newCaseViewInto(c, d, fresh, v)
	if err != nil {
		return err
	}
	return renderCase(c, built, status, "")
}
