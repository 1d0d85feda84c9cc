package cases

import (
	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// A case opened by hand (/phan-anh/moi): reception staff, managers and
// administrators record a call, a letter or a visit for a unit of their
// subtree, with the citizen's contact when the citizen agreed to leave it.

type newView struct {
	form
	Unit, Kind, Source, Summary, Dossier string
	Name, Phone, Email                   string
	Consent                              bool
	Units                                []option
	Kinds, Sources                       []choice
}

type choice struct {
	Value string
	Name  survey.Text
}

func (v *newView) fill(d *web.Deps, p *web.Principal) {
	v.Units = []option{{Value: "", Label: "— Chọn đơn vị / Choose a unit —", Selected: v.Unit == ""}}
	for _, o := range unitOptions(d, p.Unit, v.Unit)[1:] {
		v.Units = append(v.Units, o)
	}
	v.Kinds = []choice{{survey.CaseAskReply, name(survey.CaseAskReply)}, {survey.CasePetition, name(survey.CasePetition)}}
	for _, s := range []string{survey.SourceCall, survey.SourceLetter, survey.SourceInPerson} {
		v.Sources = append(v.Sources, choice{s, name("src:" + s)})
	}
}

// newFields are the form's inputs by the field of the store's errors.
var newFields = map[string]string{"unit": "f-unit", "kind": "f-kind", "source": "f-source", "summary": "f-summary",
	"dossier": "f-dossier", "name": "f-name", "phone": "f-phone", "email": "f-email", "contact": "f-phone"}

func newCaseForm(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &newView{Kind: survey.CaseAskReply, Source: survey.SourceCall}
		if p := web.Who(c); p.Unit != "" && len(d.Org.Subtree(p.Unit)) == 1 {
			v.Unit = p.Unit
		}
		v.fill(d, web.Who(c))
		return pages.Render(c, fiber.StatusOK, "case_new", page(c, "Ghi nhận phản ánh / New case", v))
	}
}

func createCase(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := web.Who(c)
		v := &newView{Unit: formText(c, "unit"), Kind: formText(c, "kind"), Source: formText(c, "source"), Summary: formText(c, "summary"),
			Dossier: formText(c, "dossier"), Name: formText(c, "name"), Phone: formText(c, "phone"), Email: formText(c, "email"),
			Consent: c.FormValue("consent") == "yes"}
		if v.Unit != "" && !p.Covers(d.Org, v.Unit) {
			return web.Forbid(v.Unit)
		}
		var contact *survey.Contact
		if v.Name != "" || v.Phone != "" || v.Email != "" {
			contact = &survey.Contact{Name: v.Name, Phone: v.Phone, Email: v.Email}
			if err := survey.CheckContact(&survey.Contact{Name: v.Name, Phone: v.Phone, Email: v.Email}); err != nil {
				if _, err := v.take(err, newFields, "f-phone"); err != nil {
					return err
				}
			}
			if !v.Consent {
				v.fail("f-consent", "Người dân phải đồng ý để lưu thông tin liên hệ; nếu không, hãy để trống các ô liên hệ. / The citizen must agree before a contact is stored; otherwise leave the contact fields empty.")
			}
		}
		if v.Unit == "" {
			v.fail("f-unit", "Hãy chọn đơn vị. / Choose a unit.")
		}
		if len(v.Problems) == 0 {
			cs, err := d.Cases.OpenCase(survey.Case{Unit: v.Unit, Kind: v.Kind, Source: v.Source, Summary: v.Summary, Dossier: v.Dossier},
				contact, p.Actor())
			if err == nil {
				return c.Redirect("/phan-anh/"+cs.ID+"?ok=opened", fiber.StatusSeeOther)
			}
			if survey.ErrorCode(err) == survey.ENOTFOUND { // the dossier code
				err = survey.FieldError("dossier", "%s", survey.ErrorMessage(err))
			}
			if _, err := v.take(err, newFields, "f-summary"); err != nil {
				return err
			}
		}
		v.fill(d, p)
		return pages.Render(c, fiber.StatusUnprocessableEntity, "case_new", page(c, "Ghi nhận phản ánh / New case", v))
	}
}
