package kiosk

import (
	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// signRequest is the body of the sign-on and sign-off routes.
type signRequest struct {
	Staff string `json:"staff"`
}

// counterFor authenticates a reception or admin caller (not a kiosk: a
// device in citizens' hands does not choose who is rated) and returns the
// counter of the route, which must lie within the caller's subtree.
func counterFor(d *web.Deps, c *fiber.Ctx) (*survey.Counter, error) {
	p, err := web.Authenticate(d, c)
	if err != nil {
		return nil, err
	}
	if p.Kind == "kiosk" || !p.Can("submit") {
		return nil, survey.Errorf(survey.EFORBIDDEN, "Chỉ bộ phận tiếp nhận hoặc quản trị mới được ghi nhận công chức tại quầy. / Only reception or an administrator may sign staff on or off.")
	}
	id := c.Params("id")
	ct := d.Counters.Counter(id)
	if ct == nil {
		return nil, survey.FieldError("counter", "Quầy %q không tồn tại. / Unknown counter %q.", id, id)
	}
	if !p.Covers(d.Org, ct.Unit) {
		return nil, survey.Errorf(survey.EFORBIDDEN, "Quầy %q nằm ngoài phạm vi của Ông/Bà. / Counter %q is outside your units.", ct.ID, ct.ID)
	}
	return ct, nil
}

// counterSignOn handles POST /api/v1/counters/:id/sign-on {"staff": id}:
// that staff member now serves at the counter, whoever was there before is
// signed off, and the counter's kiosk shows and rates them.
func counterSignOn(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ct, err := counterFor(d, c)
		if err != nil {
			return err
		}
		var req signRequest
		if err := web.DecodeJSON(c, &req); err != nil {
			return err
		}
		if req.Staff == "" {
			return survey.FieldError("staff", "Thiếu mã công chức. / staff is required.")
		}
		if err := d.Counters.SignOn(req.Staff, ct.ID); err != nil {
			return err
		}
		return c.JSON(fiber.Map{"counter": ct.ID, "staff": req.Staff})
	}
}

// counterSignOff handles POST /api/v1/counters/:id/sign-off: whoever serves
// at the counter is signed off (or only {"staff": id}, if given and there).
func counterSignOff(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ct, err := counterFor(d, c)
		if err != nil {
			return err
		}
		var req signRequest
		if len(c.Body()) > 0 {
			if err := web.DecodeJSON(c, &req); err != nil {
				return err
			}
		}
		if err := d.Counters.SignOff(req.Staff, ct.ID); err != nil {
			return err
		}
		return c.JSON(fiber.Map{"counter": ct.ID, "staff": nil})
	}
}
