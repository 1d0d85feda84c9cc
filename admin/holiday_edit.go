package admin

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// The holidays of the working-day calendar (/admin/holidays,
// administrators only): the days off on which case deadlines do not run
// (survey.Calendar: weekends and these days). A new installation starts
// with the public holidays of 2026 (survey.DefaultHolidays); the
// administrator adds each year's days as the Government announces them,
// renames or removes them. The store audits every change.

type holidaysView struct {
	orgForm
	Rows  []holidayRow
	Years []string
}

type holidayRow struct {
	survey.Holiday
	Weekday string
	Weekend bool
}

var weekdaysVi = [...]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

func listHolidays(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return renderHolidays(c, d, &holidaysView{}, fiber.StatusOK)
	}
}

func renderHolidays(c *fiber.Ctx, d *web.Deps, v *holidaysView, status int) error {
	for _, h := range d.Calendar.Holidays() {
		r := holidayRow{Holiday: h}
		if t, err := time.Parse(time.DateOnly, h.Day); err == nil {
			r.Weekday = weekdaysVi[t.Weekday()] + " " + t.Format("02/01/2006")
			r.Weekend = t.Weekday() == time.Saturday || t.Weekday() == time.Sunday
		}
		v.Rows = append(v.Rows, r)
	}
	return pages.Render(c, status, "sys_holidays", orgPage(c, "Ngày nghỉ lễ / Holidays", v))
}

func saveHoliday(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &holidaysView{}
		h := survey.Holiday{Day: v.keep("hol-day", form(c, "day")), Name: v.keep("hol-name", strings.TrimSpace(form(c, "name")))}
		if err := d.Calendar.PutHoliday(h, web.Who(c).Actor()); err != nil {
			status, err := v.take(err, "hol-", "day", "name")
			if err != nil {
				return err
			}
			return renderHolidays(c, d, v, status)
		}
		return c.Redirect("/admin/holidays?ok=holiday-saved", fiber.StatusSeeOther)
	}
}

func deleteHoliday(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := d.Calendar.DeleteHoliday(form(c, "day"), web.Who(c).Actor()); err != nil {
			return err
		}
		return c.Redirect("/admin/holidays?ok=holiday-deleted", fiber.StatusSeeOther)
	}
}
