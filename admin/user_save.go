package admin

import (
	"errors"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// statusFor is the status of a re-rendered form: 409 for a conflict (a
// taken name, the last administrator), else 422.
func statusFor(err error) int {
	var e *survey.Error
	if errors.As(err, &e) && e.Code == survey.ECONFLICT {
		return fiber.StatusConflict
	}
	return fiber.StatusUnprocessableEntity
}

// checkRoleUnit records messages for a role outside roles or an unknown unit.
func checkRoleUnit(db survey.OrgService, f *formState, role, unit string, roles []string) {
	known := false
	for _, r := range roles {
		known = known || r == role
	}
	if !known {
		f.fail("role", "Chọn một vai trò trong danh sách. / Choose a role from the list.")
	}
	if unit != "" && db.Unit(unit) == nil {
		f.fail("unit", "Chọn một đơn vị trong danh sách. / Choose a unit from the list.")
	}
}

// checkNewPassword records messages for a password too short or not repeated.
func checkNewPassword(f *formState, pw, again string) {
	if utf8.RuneCountInString(pw) < survey.MinAdminPassword || len(pw) > 72 {
		f.fail("password", "Mật khẩu cần ít nhất 10 ký tự (tối đa 72 byte). / The password needs at least 10 characters (at most 72 bytes).")
	} else if pw != again {
		f.fail("password2", "Hai lần nhập mật khẩu không khớp. / The passwords do not match.")
	}
}

func addUser(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		f := &userForm{Username: form(c, "username"), Role: form(c, "role"), Unit: form(c, "unit")}
		pw, again := c.FormValue("password"), c.FormValue("password2")
		if !survey.ValidID(f.Username) {
			f.fail("username", "Tên đăng nhập chỉ dùng chữ thường không dấu, số, '-' và '_'. / Usernames use lower-case ASCII letters, digits, '-' and '_'.")
		}
		checkRoleUnit(d.Org, &f.formState, f.Role, f.Unit, userRoles)
		checkNewPassword(&f.formState, pw, again)
		status := fiber.StatusUnprocessableEntity
		if f.ok() {
			err := d.Users.CreateUser(survey.User{Username: f.Username, Role: f.Role, Unit: f.Unit}, string([]byte(pw)))
			if err == nil {
				audit(c, d, "user.add", f.Username, "role="+f.Role+" unit="+orAll(f.Unit))
				return c.Redirect("/admin/users?ok=added", fiber.StatusSeeOther)
			}
			if e := f.failErr(err, "username", nil); e != nil {
				return e
			}
			status = statusFor(err)
		}
		return renderUsers(c, d, status, &usersView{Add: f})
	}
}

func updateUser(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u, err := userParam(c, d)
		if err != nil {
			return err
		}
		f := &userForm{Username: u.Username, Role: form(c, "role"), Unit: form(c, "unit"), Disabled: c.FormValue("disabled") != ""}
		checkRoleUnit(d.Org, &f.formState, f.Role, f.Unit, userRoles)
		status := fiber.StatusUnprocessableEntity
		if f.ok() {
			err = d.Users.UpdateUser(u.Username, f.Role, f.Unit, f.Disabled)
			if err == nil {
				audit(c, d, "user.update", u.Username, "role="+f.Role+" unit="+orAll(f.Unit)+" disabled="+yesNo(f.Disabled))
				return c.Redirect("/admin/users/"+u.Username+"?ok=user", fiber.StatusSeeOther)
			}
			if e := f.failErr(err, "disabled", nil); e != nil {
				return e
			}
			status = statusFor(err)
		}
		return renderUser(c, d, status, u, &userView{Edit: f})
	}
}

// saveNotify sets the account's e-mail address and its alerts and digest
// (the store audits it).
func saveNotify(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u, err := userParam(c, d)
		if err != nil {
			return err
		}
		f := &notifyForm{Email: form(c, "email"), Alerts: c.FormValue("alerts") != "", Digest: c.FormValue("digest") != ""}
		err = d.Notify.SetNotify(u.Username, f.Email, f.Alerts, f.Digest, web.Who(c).Actor())
		if err == nil {
			return c.Redirect("/admin/users/"+u.Username+"?ok=notify", fiber.StatusSeeOther)
		}
		if e := f.failErr(err, "email", nil); e != nil {
			return e
		}
		return renderUser(c, d, statusFor(err), u, &userView{Mail: f})
	}
}

func resetPassword(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u, err := userParam(c, d)
		if err != nil {
			return err
		}
		f := &formState{}
		pw, again := c.FormValue("password"), c.FormValue("password2")
		checkNewPassword(f, pw, again)
		if f.ok() {
			keep := ""
			if u.Username == web.Who(c).Name {
				keep = web.Who(c).SessionID // resetting one's own: this session stays
			}
			err = d.Users.SetPassword(u.Username, string([]byte(pw)), keep)
			if err == nil {
				audit(c, d, "user.password", u.Username, "")
				return c.Redirect("/admin/users/"+u.Username+"?ok=password", fiber.StatusSeeOther)
			}
			if e := f.failErr(err, "password", nil); e != nil {
				return e
			}
		}
		return renderUser(c, d, fiber.StatusUnprocessableEntity, u, &userView{Pw: f})
	}
}

func deleteUser(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u, err := userParam(c, d)
		if err != nil {
			return err
		}
		f := &formState{}
		if u.Username == web.Who(c).Name {
			f.fail("confirm", "Không thể tự xoá tài khoản đang dùng. / You cannot delete your own account.")
		} else if c.FormValue("confirm") == "" {
			f.fail("confirm", "Đánh dấu ô xác nhận để xoá. / Tick the box to confirm.")
		}
		status := fiber.StatusUnprocessableEntity
		if f.ok() {
			err = d.Users.DeleteUser(u.Username)
			if err == nil {
				audit(c, d, "user.delete", u.Username, "role="+u.Role)
				return c.Redirect("/admin/users?ok=deleted", fiber.StatusSeeOther)
			}
			if e := f.failErr(err, "confirm", nil); e != nil {
				return e
			}
			status = statusFor(err)
		}
		return renderUser(c, d, status, u, &userView{Del: f})
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
