package admin

import (
	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// API tokens: the secret is shown once, on the page answering the POST (never
// in a URL); the store keeps only its hash. Revoking takes effect on the
// next request, since tokens are looked up on each one.

func addToken(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		f := &tokenForm{Name: form(c, "name"), Role: form(c, "role"), Unit: form(c, "unit")}
		if f.Name == "" {
			f.fail("name", "Đặt tên cho mã (ví dụ: Hệ thống một cửa). / Name the token (e.g. One-stop system).")
		}
		checkRoleUnit(d.Org, &f.formState, f.Role, f.Unit, tokenRoles)
		status := fiber.StatusUnprocessableEntity
		if f.ok() {
			secret, err := d.Tokens.AddToken(survey.Token{Name: f.Name, Role: f.Role, Unit: f.Unit})
			if err == nil {
				audit(c, d, "token.add", f.Name, "role="+f.Role+" unit="+orAll(f.Unit))
				return renderUsers(c, d, fiber.StatusCreated, &usersView{Secret: secret, SecretName: f.Name})
			}
			if e := f.failErr(err, "name", nil); e != nil {
				return e
			}
			status = statusFor(err)
		}
		return renderUsers(c, d, status, &usersView{Tok: f})
	}
}

func revokeToken(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id := param(c, "id")
		var name string
		for _, t := range d.Tokens.Tokens() {
			if t.ID == id {
				name = t.Name
			}
		}
		if err := d.Tokens.RevokeToken(id); err != nil {
			return err
		}
		audit(c, d, "token.revoke", id, name)
		return c.Redirect("/admin/users?ok=revoked#tokens", fiber.StatusSeeOther)
	}
}
