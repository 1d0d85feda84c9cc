package admin

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// Which survey each unit's kiosks and receipts use: a setting per unit
// (SurveyService.SetSurveyFor), inherited down the tree; "*" in the form is
// the installation-wide choice.

const allUnits = "*"

type useRow struct {
	Unit, Label          string
	Kiosk, Receipt       string // in force
	KioskOwn, ReceiptOwn bool   // set on this unit (not inherited)
}

type surveyUseView struct {
	Unit, Kiosk, Receipt string // the form
	Units                []unitOption
	Surveys              []string
	Rows                 []useRow
	formState
}

func showSurveyUse(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &surveyUseView{Unit: strings.Clone(c.Query("unit", allUnits))}
		if v.Unit != allUnits && d.Org.Unit(v.Unit) == nil {
			v.Unit = allUnits
		}
		unit := useUnit(v.Unit)
		v.Kiosk = d.Surveys.OwnSurveyFor(unit, survey.UseKiosk)
		v.Receipt = d.Surveys.OwnSurveyFor(unit, survey.UseReceipt)
		return renderSurveyUse(c, d, fiber.StatusOK, v)
	}
}

func renderSurveyUse(c *fiber.Ctx, d *web.Deps, status int, v *surveyUseView) error {
	v.Units = unitOptions(d.Services)
	v.Surveys = d.Surveys.SurveyKeys()
	v.Rows = append(v.Rows, useRowOf(d.Services, allUnits, "Toàn hệ thống / Whole installation"))
	for _, u := range v.Units {
		v.Rows = append(v.Rows, useRowOf(d.Services, u.ID, u.Label))
	}
	return pages.Render(c, status, "sys_survey_use", withFlash(c, page(c, "Phiếu cho từng đơn vị / Survey per unit", v)))
}

func useRowOf(db *survey.Services, id, label string) useRow {
	unit := useUnit(id)
	r := useRow{Unit: id, Label: label}
	r.KioskOwn = db.Surveys.OwnSurveyFor(unit, survey.UseKiosk) != ""
	r.ReceiptOwn = db.Surveys.OwnSurveyFor(unit, survey.UseReceipt) != ""
	r.Kiosk = db.Surveys.SurveyFor(unit, survey.UseKiosk)
	r.Receipt = db.Surveys.SurveyFor(unit, survey.UseReceipt)
	return r
}

// useUnit is the store's unit for the form's: "" for the whole installation.
func useUnit(formUnit string) string {
	if formUnit == allUnits {
		return ""
	}
	return formUnit
}

func saveSurveyUse(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &surveyUseView{Unit: form(c, "unit"), Kiosk: form(c, "kiosk"), Receipt: form(c, "receipt")}
		if v.Unit != allUnits && d.Org.Unit(v.Unit) == nil {
			v.fail("unit", "Chọn một đơn vị có trong danh sách. / Choose a unit from the list.")
		}
		for _, x := range []struct{ field, key string }{{"kiosk", v.Kiosk}, {"receipt", v.Receipt}} {
			if x.key != "" && d.Surveys.Survey(x.key, 0) == nil {
				v.fail(x.field, "Phiếu khảo sát không tồn tại. / No such survey.")
			}
		}
		if !v.ok() {
			return renderSurveyUse(c, d, fiber.StatusUnprocessableEntity, v)
		}
		unit := useUnit(v.Unit)
		for _, x := range []struct{ use, key string }{{survey.UseKiosk, v.Kiosk}, {survey.UseReceipt, v.Receipt}} {
			if err := d.Surveys.SetSurveyFor(unit, x.use, x.key); err != nil {
				if err := v.failErr(err, x.use, func(f string) string {
					if f == "unit" {
						return f
					}
					return x.use
				}); err != nil {
					return err
				}
				return renderSurveyUse(c, d, fiber.StatusUnprocessableEntity, v)
			}
		}
		audit(c, d, "survey.use", v.Unit, "kiosk="+orInherit(v.Kiosk)+" receipt="+orInherit(v.Receipt))
		return c.Redirect("/admin/surveys/use?ok=use&unit="+v.Unit, fiber.StatusSeeOther)
	}
}

func orInherit(k string) string {
	if k == "" {
		return "(inherit)"
	}
	return k
}
