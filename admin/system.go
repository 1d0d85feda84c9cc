package admin

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// systemRoutes registers the installation pages, all for administrators
// only: surveys, settings, publication, users and tokens, backup, audit log,
// import batches.
func systemRoutes(g fiber.Router, d *web.Deps) {
	g.Get("/surveys", adminOnly, listSurveys(d))
	g.Get("/surveys/use", adminOnly, showSurveyUse(d))
	g.Post("/surveys/use", adminOnly, saveSurveyUse(d))
	g.Get("/surveys/:key/v/:version", adminOnly, showSurvey(d))
	g.Get("/surveys/:key/edit", adminOnly, editSurvey(d))
	g.Post("/surveys/:key/edit", adminOnly, saveSurvey(d))

	g.Get("/settings", adminOnly, showSettings(d))
	g.Post("/settings", adminOnly, saveSettings(d))

	g.Get("/procedures", adminOnly, listProcedures(d))
	g.Post("/procedures", adminOnly, saveProcedure(d))
	g.Post("/procedures/delete", adminOnly, deleteProcedure(d))
	g.Post("/procedures/import", adminOnly, importProcedures(d))
	g.Get("/holidays", adminOnly, listHolidays(d))
	g.Post("/holidays", adminOnly, saveHoliday(d))
	g.Post("/holidays/delete", adminOnly, deleteHoliday(d))

	g.Get("/publish", adminOnly, showPublish(d))
	g.Post("/publish", adminOnly, savePublish(d))

	g.Get("/users", adminOnly, listUsers(d))
	g.Post("/users", adminOnly, addUser(d))
	g.Get("/users/:name", adminOnly, showUser(d))
	g.Post("/users/:name", adminOnly, updateUser(d))
	g.Post("/users/:name/password", adminOnly, resetPassword(d))
	g.Post("/users/:name/notify", adminOnly, saveNotify(d))
	g.Post("/users/:name/delete", adminOnly, deleteUser(d))
	g.Post("/tokens", adminOnly, addToken(d))
	g.Post("/tokens/:id/revoke", adminOnly, revokeToken(d))

	g.Get("/backup", adminOnly, showBackup(d))
	g.Post("/backup", adminOnly, downloadBackup(d))

	g.Get("/audit", adminOnly, listAudit(d))

	g.Get("/webhooks", adminOnly, listWebhooks(d))
	g.Post("/webhooks", adminOnly, addWebhook(d))
	g.Post("/webhooks/:id/toggle", adminOnly, toggleWebhook(d))
	g.Post("/webhooks/:id/delete", adminOnly, deleteWebhook(d))
	g.Get("/deliveries", adminOnly, listDeliveries(d))
	g.Post("/deliveries/:id/redeliver", adminOnly, redeliver(d))
	g.Get("/mail", adminOnly, showMail(d))
	g.Post("/mail/test", adminOnly, testMail(d))

	g.Get("/imports", adminOnly, listImports(d))
	g.Post("/imports/:id/withdraw", adminOnly, withdrawImport(d))
}

// problem is one validation message, linked from the error summary to its field.
type problem struct{ Field, Message string }

// formState carries a form's validation messages: Errors by field id (beside
// the field) and Summary in form order (at the top of the page).
type formState struct {
	Errors  map[string]string
	Summary []problem
}

// fail records a message for field (the first message per field wins).
func (f *formState) fail(field, msg string) {
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	if _, dup := f.Errors[field]; dup {
		return
	}
	f.Errors[field] = msg
	f.Summary = append(f.Summary, problem{field, msg})
}

// failErr records a store error: a validation or conflict error with a
// field goes beside that field (renamed by fieldOf, nil = as is), one
// without a field beside fallback. It returns err unchanged when it is not
// a user error (a 5xx), and nil otherwise.
func (f *formState) failErr(err error, fallback string, fieldOf func(string) string) error {
	var e *survey.Error
	if !errors.As(err, &e) || web.Status(e.Code) >= 500 {
		return err
	}
	field := e.Field
	if field != "" && fieldOf != nil {
		field = fieldOf(field)
	}
	if field == "" {
		field = fallback
	}
	f.fail(field, e.Message)
	return nil
}

// ok reports whether no message was recorded.
func (f *formState) ok() bool { return len(f.Summary) == 0 }

// form returns a form value, trimmed and copied out of Fiber's buffer.
func form(c *fiber.Ctx, name string) string {
	return strings.Clone(strings.TrimSpace(c.FormValue(name)))
}

// param returns a route parameter copied out of Fiber's buffer.
func param(c *fiber.Ctx, name string) string { return strings.Clone(c.Params(name)) }

// unitOption is a unit in a select list, indented by depth.
type unitOption struct {
	ID, Label string
}

// unitOptions lists every unit in tree order, children indented under
// their parent.
func unitOptions(db *survey.Services) []unitOption {
	var out []unitOption
	for _, u := range db.Org.Units() {
		if u.Parent != "" && db.Org.Unit(u.Parent) != nil {
			continue
		}
		for _, id := range db.Org.Subtree(u.ID) {
			x := db.Org.Unit(id)
			if x == nil {
				continue
			}
			out = append(out, unitOption{ID: id, Label: strings.Repeat("\u00a0\u00a0\u00a0", unitDepth(db.Org, x)) + x.Name + " (" + id + ")"})
		}
	}
	return out
}

func unitDepth(db survey.OrgService, u *survey.Unit) int {
	n := 0
	for p := u.Parent; p != "" && n < 64; n++ {
		x := db.Unit(p)
		if x == nil {
			break
		}
		p = x.Parent
	}
	return n
}

// unitName is "Name (id)", or the id of an unknown unit, or "every unit".
func unitName(db survey.OrgService, id string) string {
	if id == "" {
		return "Mọi đơn vị / Every unit"
	}
	if u := db.Unit(id); u != nil {
		return u.Name + " (" + id + ")"
	}
	return id
}

// clock formats t in the installation's zone.
func clock(db survey.Clock, t time.Time) string {
	if t.IsZero() || t.Unix() <= 0 {
		return "—"
	}
	return t.In(db.Loc()).Format("02/01/2006 15:04")
}

// flashes are the confirmations a redirect after a change may ask for
// (?ok=<code>): fixed texts, so nothing from the URL is echoed.
var flashes = map[string]string{
	"version":       "Đã lưu phiên bản mới của phiếu. / The new survey version was saved.",
	"use":           "Đã lưu lựa chọn phiếu cho các đơn vị. / The survey choices were saved.",
	"settings":      "Đã lưu cài đặt. / Settings saved.",
	"publish":       "Đã lưu cài đặt công khai; trang công khai dùng ngay từ lần tải sau. / Publication settings saved; the public pages use them from the next request.",
	"user":          "Đã lưu tài khoản. / Account saved.",
	"notify":        "Đã lưu địa chỉ nhận thông báo. / Notification address saved.",
	"added":         "Đã tạo tài khoản. / Account created.",
	"password":      "Đã đặt lại mật khẩu; các phiên đăng nhập của tài khoản đã kết thúc. / Password reset; the account's sessions ended.",
	"deleted":       "Đã xoá tài khoản. / Account deleted.",
	"revoked":       "Đã thu hồi mã truy cập; nó hết hiệu lực ngay. / Token revoked; it stops working at once.",
	"hook-deleted":  "Đã xoá webhook; các lần gửi đang chờ của nó được đánh dấu thất bại. / Webhook deleted; its pending deliveries failed.",
	"hook-disabled": "Đã tắt webhook: sự kiện mới không còn được gửi tới nó. / Webhook disabled: new events are no longer sent to it.",
	"hook-enabled":  "Đã bật lại webhook. / Webhook enabled.",
	"redelivered":   "Đã xếp lại lần gửi; nó sẽ được gửi trong giây lát. / Delivery queued again; it is sent in a moment.",
	"withdrawn":     "Đã rút lại lô nhập: các phiếu của lô đã bị xoá và không còn được tính. / Batch withdrawn: its responses are deleted and no longer counted.",
}

// withFlash sets the page's confirmation from the ?ok= code, if any.
func withFlash(c *fiber.Ctx, p *web.Page) *web.Page {
	p.Flash = flashes[c.Query("ok")]
	return p
}

// orAll names an empty unit scope in the audit log.
func orAll(unit string) string {
	if unit == "" {
		return "(all)"
	}
	return unit
}
