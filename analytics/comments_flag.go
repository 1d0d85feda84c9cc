package analytics

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// postFlag handles POST /dashboard/comments/flag (managers and admins; the
// CSRF token is checked by web.RequireUser): sets or clears the misuse or
// unverified flag of one response of the caller's subtree through
// bolt.DB.SetResponseFlags, which moves its counts and writes the audit
// record in one transaction; then back to the list (303).
// Form: key (the response's storage key), flag (misuse | unverified),
// op (set | clear), back (the list's URL).
func postFlag(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := web.Who(c)
		key, err := strconv.ParseUint(c.FormValue("key"), 10, 64)
		if err != nil || key == 0 {
			return survey.FieldError("key", "Mã phiếu không hợp lệ. / Invalid response key.")
		}
		var bit survey.Flags
		switch c.FormValue("flag") {
		case "misuse":
			bit = survey.FlagMisuse
		case "unverified":
			bit = survey.FlagUnverified
		default:
			return survey.FieldError("flag", "Cờ phải là misuse hoặc unverified. / flag must be misuse or unverified.")
		}
		op := c.FormValue("op")
		if op != "set" && op != "clear" {
			return survey.FieldError("op", "op phải là set hoặc clear. / op must be set or clear.")
		}
		resp, err := d.Responses.Response(key)
		if err != nil {
			return err
		}
		if !p.Covers(d.Org, resp.Unit) {
			return web.Forbid(resp.Unit)
		}
		flags := resp.Flags | bit
		if op == "clear" {
			flags = resp.Flags &^ bit
		}
		if err := d.Responses.SetResponseFlags(strconv.FormatUint(key, 10), flags, p.Actor()); err != nil {
			return err
		}
		return c.Redirect(backTo(c.FormValue("back"), op), fiber.StatusSeeOther)
	}
}

// backTo is the comments list to return to (only that page, so the form
// cannot send anyone elsewhere), with done=set|clear for the confirmation.
func backTo(back, op string) string {
	u, err := url.Parse(back)
	if err != nil || u.Path != "/dashboard/comments" || u.Host != "" || u.Scheme != "" || strings.ContainsAny(back, "\\\r\n") {
		u = &url.URL{Path: "/dashboard/comments"}
	}
	q := u.Query()
	q.Set("done", op)
	u.RawQuery = q.Encode()
	return u.String()
}
