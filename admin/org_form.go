package admin

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// Helpers shared by the organisation pages: re-rendered forms, the
// caller's subtree, flash messages, generated ids.

// orgForm is the state of a form shown again after a validation error
// (STYLE practice 3): the user's input and the messages, both keyed by the
// input's id attribute, which is unique on the page. Page views embed it;
// templates read .Data.V and .Data.E.
type orgForm struct {
	Values   map[string]string
	Problems []orgProblem // in form order, for the error summary
}

// orgProblem is one message, linked from the summary to its input.
type orgProblem struct{ ID, Message string }

// V returns what the user typed in input id, or def when the form is new.
func (f *orgForm) V(id, def string) string {
	if v, ok := f.Values[id]; ok {
		return v
	}
	return def
}

// E returns the message beside input id ("" = none).
func (f *orgForm) E(id string) string {
	for _, p := range f.Problems {
		if p.ID == id {
			return p.Message
		}
	}
	return ""
}

// keep records the user's input for id and returns it.
func (f *orgForm) keep(id, v string) string {
	if f.Values == nil {
		f.Values = map[string]string{}
	}
	f.Values[id] = v
	return v
}

// fail records a message beside input id (the first per input wins).
func (f *orgForm) fail(id, msg string) {
	if f.E(id) == "" {
		f.Problems = append(f.Problems, orgProblem{ID: id, Message: msg})
	}
}

// take records a user error of the store beside input prefix+field, where
// fields are the form's fields: an error about another field, or none, goes
// beside the first. It returns the error's status; an error that is not the
// user's (a 404 of the record being edited, a 5xx) is returned instead.
func (f *orgForm) take(err error, prefix string, fields ...string) (int, error) {
	var e *survey.Error
	if !errors.As(err, &e) {
		return 0, err
	}
	switch e.Code {
	case survey.EINVALID, survey.ECONFLICT, survey.ETOOLARGE, survey.EUNSUPPORTED:
	default:
		return 0, err
	}
	field := fields[0]
	for _, x := range fields {
		if x == e.Field {
			field = x
		}
	}
	f.fail(prefix+field, e.Message)
	return web.Status(e.Code), nil
}

// orgFlashes are the confirmations a redirect may ask for with ?ok=<code>:
// fixed texts, so nothing from the URL is echoed.
var orgFlashes = map[string]string{
	"procedure-added":   "Đã thêm thủ tục vào danh mục. / Procedure added.",
	"procedure-saved":   "Đã lưu tên thủ tục. / Procedure renamed.",
	"holiday-saved":     "Đã lưu ngày nghỉ; hạn trả lời phản ánh mở từ nay tính theo lịch mới. / Holiday saved; cases opened from now on follow the new calendar.",
	"holiday-deleted":   "Đã xoá ngày nghỉ. / Holiday removed.",
	"procedure-deleted": "Đã xoá thủ tục khỏi danh mục; hồ sơ và phiếu vẫn giữ mã. / Procedure removed; dossiers and responses keep the code.",
	"unit-created":      "Đã thêm đơn vị. / Unit added.",
	"unit-saved":        "Đã lưu đơn vị. / Unit saved.",
	"group-created":     "Đã thêm khối. / Group added.",
	"group-renamed":     "Đã đổi tên khối. / Group renamed.",
	"counter-added":     "Đã thêm quầy. / Counter added.",
	"counter-saved":     "Đã đổi tên quầy. / Counter renamed.",
	"staff-added":       "Đã thêm công chức. Có thể tải ảnh lên ngay bên dưới. / Staff member added; you can upload a photo below.",
	"staff-saved":       "Đã lưu thông tin công chức. / Staff member saved.",
	"photo-saved":       "Đã lưu ảnh. / Photo saved.",
	"photo-deleted":     "Đã xoá ảnh. / Photo removed.",
	"kiosk-renamed":     "Đã đổi tên ki-ốt. / Kiosk renamed.",
	"kiosk-revoked":     "Đã thu hồi ki-ốt: thiết bị không gửi được đánh giá nữa. / Kiosk revoked: the device can no longer submit.",
}

// orgPage is the page of an organisation view, with the flash a redirect
// asked for.
func orgPage(c *fiber.Ctx, title string, data any) *web.Page {
	p := page(c, title, data)
	p.Flash = orgFlashes[c.Query("ok")]
	return p
}

// mayManage returns the 403 for a unit outside the caller's subtree.
func mayManage(c *fiber.Ctx, d *web.Deps, unit string) error {
	if !web.Who(c).Covers(d.Org, unit) {
		return web.Forbid(unit)
	}
	return nil
}

// scopeRoot returns the subtree a list shows: the unit asked for in
// ?unit= (which the caller must cover) or the caller's own subtree ("" =
// every unit).
func scopeRoot(c *fiber.Ctx, d *web.Deps) (string, error) {
	root := strings.Clone(c.Query("unit"))
	if root == "" {
		return web.Who(c).Unit, nil
	}
	if err := mayManage(c, d, root); err != nil { // first, so a manager learns nothing of other units
		return "", err
	}
	if d.Org.Unit(root) == nil {
		return "", survey.Errorf(survey.ENOTFOUND, "Đơn vị %q không tồn tại. / Unknown unit %q.", root, root)
	}
	return root, nil
}

// pickUnit checks the unit chosen in a form: present (else a message beside
// input id) and inside the caller's subtree (else a 403).
func pickUnit(c *fiber.Ctx, d *web.Deps, f *orgForm, id, unit string) error {
	if unit == "" {
		f.fail(id, "Hãy chọn đơn vị. / Choose a unit.")
		return nil
	}
	return mayManage(c, d, unit)
}

// orgNewID makes a free identifier from parts: ("so-a", "Quầy 1") →
// "so-a-quay-1", then "so-a-quay-1-2" … while taken says so.
func orgNewID(taken func(string) bool, parts ...string) string {
	var ps []string
	for _, p := range parts {
		if s := survey.Slug(p); s != "" {
			ps = append(ps, s)
		}
	}
	base := strings.Join(ps, "-")
	if base == "" {
		base = "x"
	}
	if len(base) > 58 {
		base = strings.TrimRight(base[:58], "-_")
	}
	id := base
	for n := 2; taken(id) && n < 10000; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	return id
}

// needName records a missing name before the store is asked, so that the
// summary lists it together with a missing unit.
func needName(f *orgForm, id, name string) {
	if name == "" {
		f.fail(id, "Thiếu tên. / Name is required.")
	}
}
