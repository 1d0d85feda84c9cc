package kiosk

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// Counter duty on the reception page: who serves at each counter of the
// user's units, so that the counter's kiosk shows their name and photo and
// its ratings are theirs. The same store calls as the API's sign-on and
// sign-off (counter_sign.go), for staff who are not going to call an API.

// deskCounter is one counter in the duty table.
type deskCounter struct {
	ID, Name, Unit string
	OnDuty         *named  // nil: nobody signed on
	Staff          []named // who may sign on here
}

// deskCounters lists the counters of units, with who is on duty and who
// may sign on: staff of the counter's unit or of a unit above it.
func deskCounters(db *survey.Services, units []named) []deskCounter {
	var out []deskCounter
	var staff []survey.Staff
	for _, u := range units {
		staff = append(staff, db.Staff.StaffOf(u.ID)...)
	}
	for _, u := range units {
		for _, ct := range db.Counters.Counters(u.ID) {
			dc := deskCounter{ID: ct.ID, Name: ct.Name, Unit: u.Name}
			if s := db.Counters.OnDuty(ct.ID); s != nil {
				dc.OnDuty = &named{ID: s.ID, Name: s.Name}
			}
			for _, s := range staff {
				if db.Org.InSubtree(ct.Unit, s.Unit) { // as SignOn requires
					dc.Staff = append(dc.Staff, named{ID: s.ID, Name: s.Name})
				}
			}
			out = append(out, dc)
		}
	}
	return out
}

// dutyCounter finds the counter of the route within the user's units:
// 404 for an unknown one, 403 outside the units.
func dutyCounter(d *web.Deps, c *fiber.Ctx) (*survey.Counter, error) {
	id := c.Params("id")
	ct := d.Counters.Counter(id)
	if ct == nil {
		return nil, survey.Errorf(survey.ENOTFOUND, "Quầy %q không tồn tại. / Unknown counter %q.", id, id)
	}
	if !web.Who(c).Covers(d.Org, ct.Unit) {
		return nil, survey.Errorf(survey.EFORBIDDEN, "Quầy %q nằm ngoài phạm vi của Ông/Bà. / Counter %q is outside your units.", ct.ID, ct.ID)
	}
	return ct, nil
}

// signOnByHand handles POST /reception/counters/:id/sign-on (form: staff):
// that staff member now serves there; whoever was there is signed off.
func signOnByHand(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ct, err := dutyCounter(d, c)
		if err != nil {
			return err
		}
		p := web.Who(c)
		v := newDesk(d, p)
		field := "duty-" + ct.ID
		staff := strings.TrimSpace(first(formValues(c)["staff"]))
		v.Values[field] = staff
		if staff == "" {
			v.fail(field, "Chọn công chức nhận quầy. / Choose who is signing on.")
			return renderDesk(c, fiber.StatusUnprocessableEntity, v, "")
		}
		if err := d.Counters.SignOn(staff, ct.ID); err != nil {
			// any problem (unknown or ineligible staff) goes beside the select
			return deskError(c, v, err, field, map[string]string{"staff": "", "counter": ""})
		}
		s := d.Staff.StaffMember(staff)
		d.Log.Info("signed on", "counter", ct.ID, "staff", staff, "by", p.Actor())
		return renderDesk(c, fiber.StatusOK, newDesk(d, p), s.Name+" đã nhận "+ct.Name+"; ki-ốt của quầy hiện tên và ảnh từ lần cập nhật tới (trong vòng 20 giây). / "+
			s.Name+" is now at "+ct.Name+"; its kiosk shows them within 20 seconds.")
	}
}

// signOffByHand handles POST /reception/counters/:id/sign-off: nobody
// serves there until someone signs on; the kiosk asks without a name.
func signOffByHand(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ct, err := dutyCounter(d, c)
		if err != nil {
			return err
		}
		p := web.Who(c)
		if err := d.Counters.SignOff("", ct.ID); err != nil {
			return err
		}
		d.Log.Info("signed off", "counter", ct.ID, "by", p.Actor())
		return renderDesk(c, fiber.StatusOK, newDesk(d, p), "Đã ghi nhận rời "+ct.Name+"; ki-ốt của quầy không còn hiện tên công chức. / Nobody is signed on at "+ct.Name+" now.")
	}
}
