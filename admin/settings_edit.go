package admin

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// The settings page edits the installation's settings (survey.Settings:
// the index methodology, the kiosks, receipts, sessions and retention);
// their bounds and messages are survey's, shown beside the inputs here.

// settingsForm holds every field as typed, so a wrong value comes back as is.
type settingsForm struct {
	Method, MinN, Misuse, ReceiptDays    string
	Window                               string
	SessionIdle, SessionMax              string
	KioskIdle, KioskThanks, KioskPartial string
	Retention, ContactDays, DeadlineDays string
	Zone, ZoneNow                        string
	Methods                              []string
	formState
}

// formFields names the input of each setting the page edits.
var formFields = map[string]string{
	"analytics.method": "method", "analytics.min_n": "min_n", "kiosk.misuse_interval": "misuse", "receipts.expiry_days": "receipt_days",
	"sessions.idle": "session_idle", "sessions.max": "session_max", "kiosk.idle": "kiosk_idle", "kiosk.thanks": "kiosk_thanks",
	"kiosk.partial": "kiosk_partial", "retention.comment_days": "retention", "submissions.window_days": "window",
	"retention.contact_days": "contact_days", "cases.deadline_days": "deadline_days",
}

// settingsFormOf shows settings s in the form.
func settingsFormOf(s survey.Settings) *settingsForm {
	return &settingsForm{Method: s.Analytics.Method, MinN: strconv.Itoa(s.Analytics.MinN),
		Misuse: seconds(s.Kiosk.MisuseInterval), ReceiptDays: strconv.Itoa(s.Receipts.ExpiryDays),
		SessionIdle: shortDur(s.Sessions.Idle), SessionMax: shortDur(s.Sessions.Max),
		KioskIdle: seconds(s.Kiosk.Idle), KioskThanks: seconds(s.Kiosk.Thanks), KioskPartial: s.Kiosk.Partial,
		Retention: strconv.Itoa(s.Retention.CommentDays), Window: strconv.Itoa(s.Submissions.WindowDays),
		ContactDays: strconv.Itoa(s.Retention.ContactDays), DeadlineDays: strconv.Itoa(s.Cases.DeadlineDays)}
}

func showSettings(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return renderSettings(c, d, fiber.StatusOK, settingsFormOf(d.Settings.Settings()))
	}
}

func renderSettings(c *fiber.Ctx, d *web.Deps, status int, f *settingsForm) error {
	f.Zone = d.Clock.Loc().String()
	f.ZoneNow = d.Clock.Now().In(d.Clock.Loc()).Format("02/01/2006 15:04 (UTC-07:00)")
	f.Methods = survey.IndexMethods
	return pages.Render(c, status, "sys_settings", withFlash(c, page(c, "Cài đặt / Settings", f)))
}

func saveSettings(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		f := &settingsForm{Method: form(c, "method"), MinN: form(c, "min_n"), Misuse: form(c, "misuse"),
			ReceiptDays: form(c, "receipt_days"), SessionIdle: form(c, "session_idle"), SessionMax: form(c, "session_max"),
			KioskIdle: form(c, "kiosk_idle"), KioskThanks: form(c, "kiosk_thanks"), KioskPartial: form(c, "kiosk_partial"),
			Retention: form(c, "retention"), Window: form(c, "window"), ContactDays: form(c, "contact_days"),
			DeadlineDays: form(c, "deadline_days")}
		old := d.Settings.Settings()
		s := f.settings(old)
		for _, p := range s.Problems() {
			if id := formFields[p.Field]; id != "" {
				f.fail(id, p.Message)
			} else {
				return p // a setting this page does not edit: never, as stored ones are valid
			}
		}
		if !f.ok() {
			return renderSettings(c, d, fiber.StatusUnprocessableEntity, f)
		}
		if err := d.Settings.SaveSettings(s); err != nil {
			return err
		}
		audit(c, d, "settings.update", "", changes(settingsFormOf(old), settingsFormOf(d.Settings.Settings())))
		return c.Redirect("/admin/settings?ok=settings", fiber.StatusSeeOther)
	}
}

// settings returns s with the form's values. A value that does not parse
// becomes one out of bounds, so that Problems names it with the message
// of its bounds, as beside every other wrong value.
func (f *settingsForm) settings(s survey.Settings) survey.Settings {
	s.Analytics.Method = f.Method
	s.Analytics.MinN = atoiOr(f.MinN, 0)
	s.Kiosk.MisuseInterval = secondsOf(f.Misuse)
	s.Receipts.ExpiryDays = atoiOr(f.ReceiptDays, 0)
	s.Sessions.Idle, _ = time.ParseDuration(f.SessionIdle)
	s.Sessions.Max, _ = time.ParseDuration(f.SessionMax)
	s.Retention.CommentDays = atoiOr(f.Retention, -1)
	s.Kiosk.Idle = secondsOf(f.KioskIdle)
	s.Kiosk.Thanks = secondsOf(f.KioskThanks)
	s.Kiosk.Partial = f.KioskPartial
	s.Submissions.WindowDays = atoiOr(f.Window, 0)
	s.Retention.ContactDays = atoiOr(f.ContactDays, 0)
	s.Cases.DeadlineDays = atoiOr(f.DeadlineDays, 0)
	return s
}

func atoiOr(v string, bad int) int {
	n, err := strconv.Atoi(v)
	if err != nil {
		return bad
	}
	return n
}

// secondsOf reads whole seconds (0 when v is not a number of seconds the
// page could accept).
func secondsOf(v string) time.Duration {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 1_000_000 {
		return 0
	}
	return time.Duration(n) * time.Second
}

func seconds(d time.Duration) string { return strconv.Itoa(int(d / time.Second)) }

// shortDur writes 1h0m0s as 1h and 30m0s as 30m.
func shortDur(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// changes lists the settings that differ, for the audit log.
func changes(a, b *settingsForm) string {
	pairs := map[string][2]string{"index_method": {a.Method, b.Method}, "min_n": {a.MinN, b.MinN}, "misuse_s": {a.Misuse, b.Misuse},
		"receipt_days": {a.ReceiptDays, b.ReceiptDays}, "session_idle": {a.SessionIdle, b.SessionIdle}, "session_max": {a.SessionMax, b.SessionMax},
		"kiosk_idle_s": {a.KioskIdle, b.KioskIdle}, "kiosk_thanks_s": {a.KioskThanks, b.KioskThanks}, "kiosk_partial": {a.KioskPartial, b.KioskPartial},
		"retention_days": {a.Retention, b.Retention}, "window_days": {a.Window, b.Window},
		"contact_days": {a.ContactDays, b.ContactDays}, "deadline_days": {a.DeadlineDays, b.DeadlineDays}}
	var out []string
	for k, p := range pairs {
		if p[0] != p[1] {
			out = append(out, k+": "+p[0]+" → "+p[1])
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		return "no change"
	}
	return strings.Join(out, "; ")
}

// settingField is one input of the settings page.
type settingField struct {
	ID, Type, Value, Error string
	LabelVi, LabelEn, Hint string
}

var settingLabels = map[string][3]string{
	"min_n":         {"Số phiếu tối thiểu để kết luận", "Minimum n", "Dưới mức này, số liệu hiện mờ với ghi chú “Chưa đủ số phiếu để kết luận” và không được xếp hạng (mặc định 30; 1–10000). / Below it a figure is greyed and unranked (default 30)."},
	"misuse":        {"Khoảng cách chống bấm liên tục (giây)", "Misuse interval (seconds)", "Phiếu máy chủ nhận sớm hơn khoảng này sau phiếu trước của cùng thiết bị (ki-ốt, mã truy cập API, địa chỉ quét áp phích), hoặc câu trả lời ki-ốt ghi sớm hơn khoảng này sau câu trước, bị đánh dấu misuse và không được tính (mặc định 5; 1–600). Áp dụng ngay. / Responses the server receives closer than this from one device (kiosk, API token, poster address), whatever time they carry, and kiosk answers given closer than this, are flagged misuse and excluded (default 5). Applies at once."},
	"kiosk_idle":    {"Thời gian chờ của ki-ốt (giây)", "Kiosk idle time (seconds)", "Phiếu trả lời dở quay về màn hình đầu sau khoảng này không chạm (mặc định 30; 1–3600). / A half-answered survey returns to the start after this long untouched."},
	"kiosk_thanks":  {"Màn hình cảm ơn (giây)", "Thanks screen (seconds)", "Mặc định 6; 1–60. / Default 6."},
	"receipt_days":  {"Hạn dùng mã đánh giá trên phiếu hẹn (ngày)", "Receipt survey link expiry (days)", "Tính từ ngày nhận hồ sơ (mặc định 90; 1–3660). Áp dụng cho phiếu hẹn in từ nay. / From the day the dossier is received (default 90); for receipts issued from now on."},
	"session_idle":  {"Phiên đăng nhập hết hạn khi không dùng sau", "Session idle expiry", "Thời lượng như 30m, 1h (mặc định 1h; 5m–24h). / A duration like 30m, 1h (default 1h)."},
	"session_max":   {"Phiên đăng nhập dài tối đa", "Session absolute expiry", "Như 8h, 12h (mặc định 12h; 1h–720h), không ngắn hơn thời gian chờ. / Like 12h (default 12h), not shorter than the idle expiry."},
	"window":        {"Nhận phiếu trả lời muộn tối đa (ngày)", "Late submissions accepted for (days)", "Phiếu gửi qua API, ki-ốt hoặc biểu mẫu có thời điểm trả lời (submitted_at) sớm hơn lúc máy chủ nhận quá số ngày này bị từ chối (422, không lưu; ki-ốt bỏ phiếu đó khỏi hàng đợi); muộn hơn giờ máy chủ quá 5 phút cũng bị từ chối. Nên để bằng thời gian ki-ốt có thể mất mạng lâu nhất (mặc định 7; 1–30). Nhập tệp CSV không bị giới hạn. / Submissions (API, kiosks, forms) whose submitted_at is more than this many days before the server receives them are refused (422, nothing stored; a kiosk drops them from its queue), as are times more than 5 minutes ahead. Set it to the longest a kiosk may stay offline (default 7; 1–30). CSV imports are exempt."},
	"retention":     {"Giữ nội dung góp ý (ngày)", "Keep comments (days)", "0 = giữ mãi; hoặc 30–3660 ngày. / 0 = keep for ever; or 30–3660 days."},
	"contact_days":  {"Giữ thông tin liên hệ của người phản ánh sau khi đóng phản ánh (ngày)", "Keep a case's contact after closing (days)", "Số điện thoại, thư điện tử của người dân bị xoá sau số ngày này kể từ khi phản ánh đóng; việc xoá được ghi nhật ký (mặc định 30; 1–365). / The citizen's phone and e-mail are deleted this many days after the case closes, audited (default 30; 1–365)."},
	"deadline_days": {"Hạn trả lời phản ánh (ngày làm việc)", "Time to reply to a case (working days)", "Tính từ ngày sau ngày mở phản ánh, trừ thứ Bảy, Chủ nhật và ngày nghỉ lễ (Quản trị → Ngày nghỉ lễ). Mặc định 10 ngày làm việc; hãy đặt theo quy chế xử lý phản ánh, kiến nghị của địa phương (căn cứ pháp lý: docs/CASES.md); 1–60. Áp dụng cho phản ánh mở từ nay. / Counted from the day after the case opens, without weekends and public holidays (Administration → Holidays). Default 10 working days; set it to the local rules for handling feedback (legal sources: docs/CASES.md); 1–60. Applies to cases opened from now on."},
}

// Field describes input id for the page's "num" template.
func (f *settingsForm) Field(id string) settingField {
	values := map[string]string{"min_n": f.MinN, "misuse": f.Misuse, "kiosk_idle": f.KioskIdle, "kiosk_thanks": f.KioskThanks,
		"receipt_days": f.ReceiptDays, "session_idle": f.SessionIdle, "session_max": f.SessionMax, "retention": f.Retention,
		"window": f.Window, "contact_days": f.ContactDays, "deadline_days": f.DeadlineDays}
	l := settingLabels[id]
	typ := "number"
	if id == "session_idle" || id == "session_max" {
		typ = "text"
	}
	return settingField{ID: id, Type: typ, Value: values[id], Error: f.Errors[id], LabelVi: l[0], LabelEn: l[1], Hint: l[2]}
}
