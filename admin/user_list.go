package admin

import (
	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// Users and API tokens: one page lists both, with the forms to add them;
// each user has a page to change its access, reset its password or delete it.

type userRow struct {
	Username, Role, Unit, Created string
	Disabled, Self                bool
}

type tokenRow struct {
	ID, Name, Role, Unit, Created string
	Revoked                       bool
}

// userForm is the add-user form (and, with Username fixed, the edit form).
type userForm struct {
	Username, Role, Unit string
	Disabled             bool
	formState
}

type tokenForm struct {
	Name, Role, Unit string
	formState
}

type usersView struct {
	Users      []userRow
	Tokens     []tokenRow
	Units      []unitOption
	Roles      []string
	TokenRoles []string
	Add        *userForm
	Tok        *tokenForm
	Secret     string // a new token's secret, shown once
	SecretName string
}

var (
	userRoles  = []string{survey.RoleAdmin, survey.RoleManager, survey.RoleReception, survey.RoleViewer}
	tokenRoles = []string{survey.RoleViewer, survey.RoleReception, survey.RoleManager}
)

func listUsers(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return renderUsers(c, d, fiber.StatusOK, &usersView{})
	}
}

func renderUsers(c *fiber.Ctx, d *web.Deps, status int, v *usersView) error {
	me := web.Who(c).Name
	for _, u := range d.Users.Users() {
		v.Users = append(v.Users, userRowOf(d.Services, u, me))
	}
	for _, t := range d.Tokens.Tokens() {
		v.Tokens = append(v.Tokens, tokenRow{ID: t.ID, Name: t.Name, Role: t.Role, Unit: unitName(d.Org, t.Unit), Created: clock(d.Clock, t.CreatedAt), Revoked: t.Revoked})
	}
	v.Units, v.Roles, v.TokenRoles = unitOptions(d.Services), userRoles, tokenRoles
	if v.Add == nil {
		v.Add = &userForm{Role: survey.RoleViewer}
	}
	if v.Tok == nil {
		v.Tok = &tokenForm{Role: survey.RoleViewer}
	}
	return pages.Render(c, status, "sys_users", withFlash(c, page(c, "Tài khoản và mã truy cập / Users and tokens", v)))
}

func userRowOf(db *survey.Services, u survey.User, me string) userRow {
	return userRow{Username: u.Username, Role: u.Role, Unit: unitName(db.Org, u.Unit), Created: clock(db.Clock, u.CreatedAt), Disabled: u.Disabled, Self: u.Username == me}
}

type userView struct {
	User  userRow
	Units []unitOption
	Roles []string
	Edit  *userForm
	Pw    *formState
	Del   *formState
	Mail  *notifyForm
}

// notifyForm is where the account's e-mails go: the alerts of new and
// escalated cases of its subtree and the weekly digest.
type notifyForm struct {
	Email          string
	Alerts, Digest bool
	formState
}

func showUser(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u, err := userParam(c, d)
		if err != nil {
			return err
		}
		return renderUser(c, d, fiber.StatusOK, u, &userView{Edit: &userForm{Username: u.Username, Role: u.Role, Unit: u.Unit, Disabled: u.Disabled}})
	}
}

// userParam is the user named in the route, or ENOTFOUND.
func userParam(c *fiber.Ctx, d *web.Deps) (*survey.User, error) {
	name := param(c, "name")
	u := d.Users.User(name)
	if !survey.ValidID(name) || u == nil {
		return nil, survey.Errorf(survey.ENOTFOUND, "Không có tài khoản này. / No such account.")
	}
	return u, nil
}

func renderUser(c *fiber.Ctx, d *web.Deps, status int, u *survey.User, v *userView) error {
	v.User = userRowOf(d.Services, *u, web.Who(c).Name)
	v.Units, v.Roles = unitOptions(d.Services), userRoles
	if v.Edit == nil {
		v.Edit = &userForm{Username: u.Username, Role: u.Role, Unit: u.Unit, Disabled: u.Disabled}
	}
	if v.Mail == nil {
		v.Mail = &notifyForm{Email: u.Email, Alerts: !u.NoAlerts, Digest: !u.NoDigest}
	}
	if v.Pw == nil {
		v.Pw = &formState{}
	}
	if v.Del == nil {
		v.Del = &formState{}
	}
	return pages.Render(c, status, "sys_user", withFlash(c, page(c, "Tài khoản / Account "+u.Username, v)))
}
