package admin

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// staffRequest is the staff form (add and edit).
type staffRequest struct {
	ID, Name, Position, Unit string
}

func parseStaff(c *fiber.Ctx, f *orgForm) staffRequest {
	return staffRequest{
		ID:       f.keep("staff-id", form(c, "id")),
		Name:     f.keep("staff-name", form(c, "name")),
		Position: f.keep("staff-position", form(c, "position")),
		Unit:     f.keep("staff-unit", form(c, "unit")),
	}
}

var staffFields = []string{"id", "name", "position", "unit"}

func createStaff(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := &staffView{}
		r := parseStaff(c, &v.orgForm)
		needName(&v.orgForm, "staff-name", r.Name)
		if err := pickUnit(c, d, &v.orgForm, "staff-unit", r.Unit); err != nil {
			return err
		}
		if len(v.Problems) > 0 {
			return renderStaff(c, d, v, fiber.StatusUnprocessableEntity)
		}
		if r.ID == "" {
			r.ID = orgNewID(func(id string) bool { return d.Staff.StaffMember(id) != nil }, r.Name)
		}
		err := d.Staff.CreateStaff(survey.Staff{ID: r.ID, Name: r.Name, Position: r.Position, Unit: r.Unit})
		if err != nil {
			status, err := v.take(err, "staff-", staffFields...)
			if err != nil {
				return err
			}
			return renderStaff(c, d, v, status)
		}
		audit(c, d, "staff.create", r.ID, r.Unit+": "+r.Name+" ("+r.Position+")")
		return c.Redirect("/admin/staff/"+url.PathEscape(r.ID)+"/edit?ok=staff-added", fiber.StatusSeeOther)
	}
}

// staffEditView is the page of one staff member: details and photo.
type staffEditView struct {
	orgForm
	Staff    survey.Staff
	Units    []orgChoice
	PhotoURL string
	OnDuty   string
	MaxPhoto string
}

// staffOf returns the staff member of the route, which the caller must
// manage.
func staffOf(c *fiber.Ctx, d *web.Deps) (*survey.Staff, error) {
	id := param(c, "id")
	s := d.Staff.StaffMember(id)
	if s == nil {
		return nil, survey.Errorf(survey.ENOTFOUND, "Công chức %q không tồn tại. / Unknown staff member %q.", id, id)
	}
	return s, mayManage(c, d, s.Unit)
}

func editStaff(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return renderStaffEdit(c, d, &staffEditView{}, fiber.StatusOK)
	}
}

func renderStaffEdit(c *fiber.Ctx, d *web.Deps, v *staffEditView, status int) error {
	s, err := staffOf(c, d)
	if err != nil {
		return err
	}
	v.Staff, v.PhotoURL, v.MaxPhoto = *s, photoURL(*s), "512 KiB"
	v.Units = unitChoices(d.Services, web.Who(c).Unit, "")
	if x := d.Counters.Counter(s.Counter); x != nil {
		v.OnDuty = x.Name
	}
	return pages.Render(c, status, "org_staff_edit", orgPage(c, s.Name+" – Công chức / Staff", v))
}

func saveStaff(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		s, err := staffOf(c, d)
		if err != nil {
			return err
		}
		v := &staffEditView{}
		r := parseStaff(c, &v.orgForm)
		needName(&v.orgForm, "staff-name", r.Name)
		if err := pickUnit(c, d, &v.orgForm, "staff-unit", r.Unit); err != nil {
			return err
		}
		if len(v.Problems) > 0 {
			return renderStaffEdit(c, d, v, fiber.StatusUnprocessableEntity)
		}
		if err := d.Staff.UpdateStaff(s.ID, r.Name, r.Position, r.Unit); err != nil {
			status, err := v.take(err, "staff-", "name", "position", "unit")
			if err != nil {
				return err
			}
			return renderStaffEdit(c, d, v, status)
		}
		audit(c, d, "staff.update", s.ID, r.Unit+": "+r.Name+" ("+r.Position+")")
		return c.Redirect("/admin/staff?unit="+url.QueryEscape(r.Unit)+"&ok=staff-saved", fiber.StatusSeeOther)
	}
}
