package admin

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/analytics"
	"hailong/analytics/engine"
	"hailong/kiosk"
	"hailong/survey"
	"hailong/web"
)

// Settings of the installation, kept in the store's meta bucket and read
// where they are used: analytics (index_method, min_n), the writer
// (misuse_interval), receipts (receipt_expiry_days), sessions
// (session_idle, session_max), kiosks (kiosk_idle, kiosk_thanks,
// kiosk_partial); comment_retention_days is stored for a purge to come.

// MetaRetention is how many days raw comments are kept (0 = for ever).
const MetaRetention = "comment_retention_days"

// Bounds of the settings that this page checks itself.
const (
	maxMinN                    = 10000
	minSessionIdle             = 5 * time.Minute
	maxSessionIdle             = 24 * time.Hour
	minSessionMax              = time.Hour
	maxSessionMax              = 30 * 24 * time.Hour
	minRetention, maxRetention = 30, 3660
)

// settingsForm holds every field as typed, so a wrong value comes back as is.
type settingsForm struct {
	Method, MinN, Misuse, ReceiptDays    string
	SessionIdle, SessionMax              string
	KioskIdle, KioskThanks, KioskPartial string
	Retention                            string
	Zone, ZoneNow                        string
	MisuseStored, MisuseNow              string // set when the stored value is not the one in force
	Methods                              []string
	formState
}

func currentSettings(db *survey.Services) *settingsForm {
	cfg := analytics.ConfigFrom(db.Settings)
	sp := web.SessionPolicyOf(db.Settings)
	ks := kiosk.LoadSettings(db.Settings)
	ret := db.Settings.Meta(MetaRetention)
	if ret == "" {
		ret = "0"
	}
	return &settingsForm{Method: string(cfg.Method), MinN: strconv.Itoa(cfg.MinN),
		Misuse: seconds(db.Settings.MisuseInterval()), ReceiptDays: strconv.Itoa(db.Settings.ReceiptExpiryDays()),
		SessionIdle: shortDur(sp.Idle), SessionMax: shortDur(sp.Max),
		KioskIdle: seconds(ks.Idle), KioskThanks: seconds(ks.Thanks), KioskPartial: ks.Partial, Retention: ret}
}

func showSettings(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return renderSettings(c, d, fiber.StatusOK, currentSettings(d.Services))
	}
}

func renderSettings(c *fiber.Ctx, d *web.Deps, status int, f *settingsForm) error {
	if st, ok := survey.ParseMisuseInterval(d.Settings.Meta(survey.MetaMisuseInterval)); ok && st != d.Settings.MisuseInterval() {
		f.MisuseStored, f.MisuseNow = seconds(st), seconds(d.Settings.MisuseInterval())
	}
	f.Zone = d.Clock.Loc().String()
	f.ZoneNow = d.Clock.Now().In(d.Clock.Loc()).Format("02/01/2006 15:04 (UTC-07:00)")
	f.Methods = []string{string(engine.MethodShare45), string(engine.MethodMean), string(engine.MethodPooled), string(engine.MethodOverall)}
	return pages.Render(c, status, "sys_settings", withFlash(c, page(c, "Cài đặt / Settings", f)))
}

func saveSettings(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		f := &settingsForm{Method: form(c, "method"), MinN: form(c, "min_n"), Misuse: form(c, "misuse"),
			ReceiptDays: form(c, "receipt_days"), SessionIdle: form(c, "session_idle"), SessionMax: form(c, "session_max"),
			KioskIdle: form(c, "kiosk_idle"), KioskThanks: form(c, "kiosk_thanks"), KioskPartial: form(c, "kiosk_partial"),
			Retention: form(c, "retention")}
		kv, ks := f.check()
		before := currentSettings(d.Services)
		if f.ok() {
			if err := kiosk.SaveSettings(d.Settings, ks); err != nil {
				if err := f.failErr(err, "kiosk_idle", func(k string) string { return "kiosk_" + k }); err != nil {
					return err
				}
			}
		}
		if !f.ok() {
			return renderSettings(c, d, fiber.StatusUnprocessableEntity, f)
		}
		if err := d.Settings.SetSettings(kv); err != nil {
			return err
		}
		audit(c, d, "settings.update", "", changes(before, currentSettings(d.Services)))
		return c.Redirect("/admin/settings?ok=settings", fiber.StatusSeeOther)
	}
}

// check validates every field and returns the meta values to store and
// the kiosk settings.
func (f *settingsForm) check() (map[string]string, kiosk.Settings) {
	kv := map[string]string{}
	if _, ok := engine.ParseMethod(f.Method); ok {
		kv[engine.MetaMethod] = f.Method
	} else {
		f.fail("method", "Chọn một phương pháp trong danh sách. / Choose a method from the list.")
	}
	if n, ok := f.intIn("min_n", f.MinN, 1, maxMinN, "Số phiếu tối thiểu phải từ 1 đến 10000. / The minimum n must be 1 to 10000."); ok {
		kv[engine.MetaMinN] = strconv.Itoa(n)
	}
	if n, ok := f.intIn("misuse", f.Misuse, int(survey.MinMisuseInterval/time.Second), int(survey.MaxMisuseInterval/time.Second),
		"Khoảng cách phải từ 1 đến 600 giây. / The interval must be 1 to 600 seconds."); ok {
		kv[survey.MetaMisuseInterval] = (time.Duration(n) * time.Second).String()
	}
	if n, ok := f.intIn("receipt_days", f.ReceiptDays, 1, survey.MaxReceiptDays, "Thời hạn phải từ 1 đến 3660 ngày. / The expiry must be 1 to 3660 days."); ok {
		kv["receipt_expiry_days"] = strconv.Itoa(n)
	}
	f.checkSessions(kv)
	if n, ok := f.intIn("retention", f.Retention, 0, maxRetention, "Nhập 0 (giữ mãi) hoặc từ 30 đến 3660 ngày. / Enter 0 (keep) or 30 to 3660 days."); ok {
		if n != 0 && n < minRetention {
			f.fail("retention", "Nhập 0 (giữ mãi) hoặc từ 30 đến 3660 ngày. / Enter 0 (keep) or 30 to 3660 days.")
		}
		kv[MetaRetention] = strconv.Itoa(n)
	}
	var ks kiosk.Settings
	idle, ok1 := f.intIn("kiosk_idle", f.KioskIdle, 1, 3600, "Thời gian chờ phải từ 1 đến 3600 giây. / The idle time must be 1 to 3600 seconds.")
	thanks, ok2 := f.intIn("kiosk_thanks", f.KioskThanks, 1, 60, "Màn hình cảm ơn phải từ 1 đến 60 giây. / The thanks screen must last 1 to 60 seconds.")
	if f.KioskPartial != kiosk.PartialKeep && f.KioskPartial != kiosk.PartialDiscard {
		f.fail("kiosk_partial", "Chọn giữ hoặc bỏ. / Choose keep or discard.")
	}
	if ok1 && ok2 {
		ks = kiosk.Settings{Idle: time.Duration(idle) * time.Second, Thanks: time.Duration(thanks) * time.Second, Partial: f.KioskPartial}
	}
	return kv, ks
}

func (f *settingsForm) checkSessions(kv map[string]string) {
	idle, err1 := time.ParseDuration(f.SessionIdle)
	max, err2 := time.ParseDuration(f.SessionMax)
	okIdle := err1 == nil && idle >= minSessionIdle && idle <= maxSessionIdle
	okMax := err2 == nil && max >= minSessionMax && max <= maxSessionMax
	switch {
	case !okIdle:
		f.fail("session_idle", "Nhập thời lượng từ 5m đến 24h (ví dụ 30m, 1h). / Enter 5m to 24h (e.g. 30m, 1h).")
	case okMax && max < idle:
		f.fail("session_max", "Thời hạn tối đa không được ngắn hơn thời gian chờ. / The maximum cannot be shorter than the idle time.")
		okMax = false
	}
	if !okMax && f.Errors["session_max"] == "" {
		f.fail("session_max", "Nhập thời lượng từ 1h đến 720h (ví dụ 12h). / Enter 1h to 720h (e.g. 12h).")
	}
	if okIdle && okMax {
		kv["session_idle"], kv["session_max"] = idle.String(), max.String()
	}
}

func (f *settingsForm) intIn(field, v string, lo, hi int, msg string) (int, bool) {
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		f.fail(field, msg)
		return 0, false
	}
	return n, true
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
		"retention_days": {a.Retention, b.Retention}}
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
	"min_n":        {"Số phiếu tối thiểu để kết luận", "Minimum n", "Dưới mức này, số liệu hiện mờ với ghi chú “Chưa đủ số phiếu để kết luận” và không được xếp hạng (mặc định 30; 1–10000). / Below it a figure is greyed and unranked (default 30)."},
	"misuse":       {"Khoảng cách chống bấm liên tục (giây)", "Misuse interval (seconds)", "Câu trả lời ki-ốt đến sớm hơn khoảng này sau câu trước của cùng ki-ốt bị đánh dấu misuse và không được tính (mặc định 5; 1–600). Áp dụng ngay. / Kiosk answers closer than this are flagged misuse and excluded (default 5). Applies at once."},
	"kiosk_idle":   {"Thời gian chờ của ki-ốt (giây)", "Kiosk idle time (seconds)", "Phiếu trả lời dở quay về màn hình đầu sau khoảng này không chạm (mặc định 30; 1–3600). / A half-answered survey returns to the start after this long untouched."},
	"kiosk_thanks": {"Màn hình cảm ơn (giây)", "Thanks screen (seconds)", "Mặc định 6; 1–60. / Default 6."},
	"receipt_days": {"Hạn dùng mã đánh giá trên phiếu hẹn (ngày)", "Receipt survey link expiry (days)", "Tính từ ngày nhận hồ sơ (mặc định 90; 1–3660). Áp dụng cho phiếu hẹn in từ nay. / From the day the dossier is received (default 90); for receipts issued from now on."},
	"session_idle": {"Phiên đăng nhập hết hạn khi không dùng sau", "Session idle expiry", "Thời lượng như 30m, 1h (mặc định 1h; 5m–24h). / A duration like 30m, 1h (default 1h)."},
	"session_max":  {"Phiên đăng nhập dài tối đa", "Session absolute expiry", "Như 8h, 12h (mặc định 12h; 1h–720h), không ngắn hơn thời gian chờ. / Like 12h (default 12h), not shorter than the idle expiry."},
	"retention":    {"Giữ nội dung góp ý (ngày)", "Keep comments (days)", "0 = giữ mãi; hoặc 30–3660 ngày. / 0 = keep for ever; or 30–3660 days."},
}

// Field describes input id for the page's "num" template.
func (f *settingsForm) Field(id string) settingField {
	values := map[string]string{"min_n": f.MinN, "misuse": f.Misuse, "kiosk_idle": f.KioskIdle, "kiosk_thanks": f.KioskThanks,
		"receipt_days": f.ReceiptDays, "session_idle": f.SessionIdle, "session_max": f.SessionMax, "retention": f.Retention}
	l := settingLabels[id]
	typ := "number"
	if id == "session_idle" || id == "session_max" {
		typ = "text"
	}
	return settingField{ID: id, Type: typ, Value: values[id], Error: f.Errors[id], LabelVi: l[0], LabelEn: l[1], Hint: l[2]}
}
