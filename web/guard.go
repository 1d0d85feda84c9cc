package web

import (
	"github.com/gofiber/fiber/v2"

	"hailong/survey"
)

const principalKey = "hl.principal"

// RequireUser guards pages: the caller must be a logged-in user (a browser
// without a session is sent to /login and back) whose role allows action
// ("" = any role). State-changing requests must carry the CSRF token
// (checked by Authenticate). The principal is then available with Who.
func RequireUser(d *Deps, action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := Authenticate(d, c)
		if err != nil {
			return err
		}
		if p.Kind != "user" {
			return survey.Errorf(survey.EUNAUTHORIZED, "Trang này cần đăng nhập. / This page needs a login.")
		}
		if action != "" && !p.Can(action) {
			return survey.Errorf(survey.EFORBIDDEN, "Tài khoản của Ông/Bà không có quyền dùng trang này. / Your account may not use this page.")
		}
		c.Locals(principalKey, p)
		return c.Next()
	}
}

// RequireAPI guards JSON routes: a token, a session (with CSRF on
// state-changing requests) or a kiosk whose role allows action.
func RequireAPI(d *Deps, action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := Authenticate(d, c)
		if err != nil {
			return err
		}
		if action != "" && !p.Can(action) {
			return survey.Errorf(survey.EFORBIDDEN, "Vai trò %s không được phép. / Role %s may not do this.", p.Role, p.Role)
		}
		c.Locals(principalKey, p)
		return c.Next()
	}
}

// Who returns the principal stored by RequireUser or RequireAPI.
func Who(c *fiber.Ctx) *Principal {
	p, _ := c.Locals(principalKey).(*Principal)
	return p
}

// Forbid returns the 403 for a unit outside the caller's subtree.
func Forbid(unit string) error {
	return survey.Errorf(survey.EFORBIDDEN, "Đơn vị %q nằm ngoài phạm vi của tài khoản. / Unit %q is outside your account's scope.", unit, unit)
}
