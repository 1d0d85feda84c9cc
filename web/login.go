package web

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
)

// Login throttling: a few wrong passwords lock an account for a while, and
// one client guessing across accounts is slowed the same way. The counters
// are in memory: a restart forgets them, which an attacker cannot trigger.
const (
	accountFailures = 5
	clientFailures  = 20
	loginWindow     = 15 * time.Minute
	maxUsername     = 64       // bytes; usernames are identifiers of at most 64 (survey.ValidID)
	preCookie       = "hl_pre" // login-form CSRF (double submit), before any session exists
)

// Accounts serves login, logout and the change-password page.
type Accounts struct {
	d        *Deps
	byUser   *Limiter
	byClient *Limiter
}

// AccountRoutes registers /login, /logout and /account/password.
func AccountRoutes(app fiber.Router, d *Deps) *Accounts {
	a := &Accounts{d: d, byUser: NewLimiter(d.Limits, "login-user", accountFailures, loginWindow),
		byClient: NewLimiter(d.Limits, "login-client", clientFailures, loginWindow)}
	app.Get("/login", a.showLogin)
	app.Post("/login", a.doLogin)
	app.Post("/logout", a.logout)
	app.Get("/account/password", RequireUser(d, ""), a.showPassword)
	app.Post("/account/password", RequireUser(d, ""), a.changePassword)
	return a
}

type loginView struct {
	Next, Username, Error string
}

func (a *Accounts) showLogin(c *fiber.Ctx) error {
	return a.renderLogin(c, fiber.StatusOK, &loginView{Next: safeNext(c.Query("next"))})
}

func (a *Accounts) renderLogin(c *fiber.Ctx, status int, v *loginView) error {
	pre := c.Cookies(preCookie)
	if len(pre) < 20 || len(pre) > 64 {
		pre = survey.NewSecret()
		c.Cookie(&fiber.Cookie{Name: preCookie, Value: pre, Path: "/login", HTTPOnly: true, Secure: a.d.Secure, SameSite: "Strict"})
	}
	return ownPages.Render(c, status, "login", &Page{Title: "Đăng nhập / Log in", CSRF: pre, Data: v})
}

func (a *Accounts) doLogin(c *fiber.Ctx) error {
	v := &loginView{Next: safeNext(c.FormValue("next"))}
	name := strings.TrimSpace(c.FormValue("username"))
	if len(name) > maxUsername {
		// Before any work: no hash, no limiter key, nothing logged.
		v.Error = "Tên đăng nhập quá dài (tối đa 64 byte). / The username is too long (64 bytes at most)."
		return a.renderLogin(c, fiber.StatusUnprocessableEntity, v)
	}
	v.Username = name
	if !CheckCSRF(c, c.Cookies(preCookie)) {
		v.Error = "Trang đăng nhập đã cũ, xin nhập lại. / The login page expired: please try again."
		return a.renderLogin(c, fiber.StatusForbidden, v)
	}
	client, account := a.d.ClientKey(c), strings.ToLower(name)
	wait, err := a.reserve(client, account)
	if err != nil {
		return err
	}
	if wait > 0 {
		v.Error = lockMessage(wait)
		return a.renderLogin(c, fiber.StatusTooManyRequests, v)
	}
	u := a.d.Users.CheckPassword(name, c.FormValue("password"))
	if u == nil { // the reserved slots stay taken: they are this failure
		a.d.Log.Warn("login failed", "username", name, "client", client)
		v.Error = "Tên đăng nhập hoặc mật khẩu không đúng. / Wrong username or password."
		return a.renderLogin(c, fiber.StatusUnauthorized, v)
	}
	if err := a.byUser.Reset(account); err != nil {
		return err
	}
	if err := a.byClient.Release(client); err != nil {
		return err
	}
	sid, _, err := a.d.Sessions.CreateSession(u.Username)
	if err != nil {
		return err
	}
	a.setSession(c, sid)
	c.Cookie(&fiber.Cookie{Name: preCookie, Path: "/login", HTTPOnly: true, Secure: a.d.Secure, SameSite: "Strict", Expires: time.Unix(1, 0)})
	_ = a.d.Audit.Audit(survey.AuditEntry{Actor: u.Username, Action: "login"})
	next := v.Next
	if next == "" {
		next = HomeOf(u.Role)
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// reserve counts a login attempt as a failure of the client and of the
// account before the password is hashed, each limit checking and counting
// at once (survey.LimitService.Take): however many attempts arrive at once,
// on however many servers, at most accountFailures per account
// (clientFailures per client) reach bcrypt in a window. It returns how long
// the caller must wait, or 0 if it may go on. A refusal by the account
// gives the client its slot back (no hash ran). When the counts cannot be
// read (the database is down) the attempt is refused with the error: no
// password is ever checked unthrottled.
func (a *Accounts) reserve(client, account string) (time.Duration, error) {
	ok, wait, err := a.byClient.Take(client)
	if err != nil || !ok {
		return wait, err
	}
	if ok, wait, err := a.byUser.Take(account); err != nil || !ok {
		if gerr := a.byClient.Release(client); err == nil {
			err = gerr
		}
		return wait, err
	}
	return 0, nil
}

func (a *Accounts) setSession(c *fiber.Ctx, sid string) {
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: sid, Path: "/", HTTPOnly: true, Secure: a.d.Secure, SameSite: "Lax"})
}

func lockMessage(wait time.Duration) string {
	m := int(math.Ceil(wait.Minutes()))
	return fmt.Sprintf("Đăng nhập sai quá nhiều lần: tạm khoá, xin thử lại sau %d phút. / Too many failed logins: locked, try again in %d minutes.", m, m)
}

// HomeOf is where a role lands after login.
func HomeOf(role string) string {
	switch role {
	case survey.RoleReception:
		return "/reception"
	case survey.RoleAdmin:
		return "/admin"
	}
	return "/dashboard"
}

// safeNext keeps only a local path, so the login form cannot send anyone
// to another site: it must parse with no scheme and no host, begin with one
// "/" (not "//" nor "/\", which browsers read as another host), and hold no
// backslash, whitespace or control character (browsers drop tabs and
// newlines, so "/\t/evil" becomes "//evil"). Anything else is "", the
// role's home page.
func safeNext(next string) string {
	if len(next) > 500 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || !utf8.ValidString(next) {
		return ""
	}
	for _, r := range next {
		if r == '\\' || unicode.IsSpace(r) || unicode.IsControl(r) {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	return next
}

func (a *Accounts) logout(c *fiber.Ctx) error {
	p, err := Authenticate(a.d, c)
	if err == nil && p.Kind == "user" {
		if err := a.d.Sessions.DeleteSession(p.SessionID); err != nil {
			return err
		}
		_ = a.d.Audit.Audit(survey.AuditEntry{Actor: p.Name, Action: "logout"})
	} else if se, ok := err.(*survey.Error); ok && se.Code == survey.EFORBIDDEN {
		return err // a forged logout does not end the session
	}
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: "", Path: "/", HTTPOnly: true, Secure: a.d.Secure, SameSite: "Lax", Expires: time.Unix(1, 0)})
	return c.Redirect("/login", fiber.StatusSeeOther)
}

type passwordView struct {
	Errors map[string]string
}

func (a *Accounts) showPassword(c *fiber.Ctx) error {
	return ownPages.Render(c, fiber.StatusOK, "password", &Page{Title: "Đổi mật khẩu / Change password", User: Who(c), Nav: "account", Data: &passwordView{}})
}

func (a *Accounts) changePassword(c *fiber.Ctx) error {
	p := Who(c)
	cur, nw, conf := c.FormValue("current"), c.FormValue("new"), c.FormValue("confirm")
	errs := map[string]string{}
	if a.d.Users.CheckPassword(p.Name, cur) == nil {
		errs["current"] = "Mật khẩu hiện tại không đúng. / The current password is wrong."
	}
	if n := len([]rune(nw)); n < 10 || len(nw) > 72 {
		errs["new"] = "Mật khẩu mới cần từ 10 ký tự (tối đa 72 byte). / The new password needs 10 to 72 characters."
	} else if nw == cur {
		errs["new"] = "Mật khẩu mới phải khác mật khẩu cũ. / The new password must differ from the old one."
	}
	if conf != nw {
		errs["confirm"] = "Hai lần nhập không khớp. / The two entries differ."
	}
	if len(errs) > 0 {
		return ownPages.Render(c, fiber.StatusUnprocessableEntity, "password", &Page{Title: "Đổi mật khẩu / Change password", User: p, Nav: "account", Data: &passwordView{Errors: errs}})
	}
	if err := a.d.Users.SetPassword(p.Name, nw, p.SessionID); err != nil {
		return err
	}
	_ = a.d.Audit.Audit(survey.AuditEntry{Actor: p.Name, Action: "password.change", Target: p.Name})
	return ownPages.Render(c, fiber.StatusOK, "password", &Page{Title: "Đổi mật khẩu / Change password", User: p, Nav: "account",
		Flash: "Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc. / Password changed; other sessions ended.", Data: &passwordView{}})
}
