package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"hailong/analytics"
	"hailong/analytics/engine"
	"hailong/kiosk"
	"hailong/survey"
	"hailong/web"
)

func goodSettings() url.Values {
	return url.Values{"method": {"pooled"}, "min_n": {"50"}, "misuse": {"8"}, "receipt_days": {"120"}, "session_idle": {"30m"},
		"session_max": {"10h"}, "kiosk_idle": {"45"}, "kiosk_thanks": {"4"}, "kiosk_partial": {"discard"}, "retention": {"730"}}
}

func TestSettingsSave(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	_, body := adm.get("/admin/settings")
	v := formValues(t, body, "/admin/settings")
	want := url.Values{"method": {"share45"}, "min_n": {"30"}, "misuse": {"5"}, "receipt_days": {"90"}, "session_idle": {"1h"},
		"session_max": {"12h"}, "kiosk_idle": {"30"}, "kiosk_thanks": {"6"}, "kiosk_partial": {"keep"}, "retention": {"0"}}
	for k := range want {
		if v.Get(k) != want.Get(k) {
			t.Errorf("default %s = %q, want %q", k, v.Get(k), want.Get(k))
		}
	}
	if st, _ := adm.post("/admin/settings", goodSettings()); st != http.StatusSeeOther {
		t.Fatalf("save: %d", st)
	}
	if c := analytics.ConfigFrom(s.DB); c.Method != engine.MethodPooled || c.MinN != 50 {
		t.Errorf("analytics config %+v", c)
	}
	if d := s.DB.MisuseInterval(); d != 8*time.Second {
		t.Errorf("misuse interval in force: %v", d)
	}
	if n := s.DB.ReceiptExpiryDays(); n != 120 {
		t.Errorf("receipt expiry %d", n)
	}
	if p := web.SessionPolicyOf(s.DB); p.Idle != 30*time.Minute || p.Max != 10*time.Hour {
		t.Errorf("session policy %+v", p)
	}
	if k := kiosk.LoadSettings(s.DB); k.Idle != 45*time.Second || k.Thanks != 4*time.Second || k.Partial != kiosk.PartialDiscard {
		t.Errorf("kiosk settings %+v", k)
	}
	if s.DB.Meta("comment_retention_days") != "730" {
		t.Errorf("retention %q", s.DB.Meta("comment_retention_days"))
	}
	_, body = adm.get("/admin/settings?ok=settings")
	mustContain(t, "after", body, `value="pooled" selected`, `value="10h"`, "Đã lưu cài đặt")
	e := s.DB.AuditLog(1, zeroTime)
	if len(e) != 1 || e[0].Action != "settings.update" || !strings.Contains(e[0].Detail, "min_n: 30 → 50") || !strings.Contains(e[0].Detail, "kiosk_partial: keep → discard") {
		t.Errorf("audit %+v", e)
	}
}

func TestSettingsInvalid(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	cases := map[string]string{
		"method": "median", "min_n": "0", "misuse": "601", "receipt_days": "99999", "session_idle": "1 hour",
		"session_max": "2000h", "kiosk_idle": "-1", "kiosk_thanks": "61", "kiosk_partial": "maybe", "retention": "10",
	}
	for field, bad := range cases {
		t.Run(field, func(t *testing.T) {
			v := goodSettings()
			v.Set(field, bad)
			v.Set("min_n", "<b>40</b>") // every wrong field is reported, with its input kept
			st, body := adm.post("/admin/settings", v)
			if st != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", st)
			}
			mustContain(t, field, body, `href="#`+field+`"`, `id="`+field+`-error"`, `href="#min_n"`, "&lt;b&gt;40&lt;/b&gt;")
		})
	}
	v := goodSettings()
	v.Set("session_idle", "3h")
	v.Set("session_max", "2h")
	if st, body := adm.post("/admin/settings", v); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="session_max-error"`) {
		t.Errorf("max shorter than idle: %d", st)
	}
	for _, k := range []string{"index_method", "min_n", "misuse_interval", "receipt_expiry_days", "session_idle", "session_max", "kiosk_idle", "kiosk_thanks", "kiosk_partial", "comment_retention_days"} {
		if s.DB.Meta(k) != "" {
			t.Errorf("%s stored: %q", k, s.DB.Meta(k))
		}
	}
	if s.DB.MisuseInterval() != 5*time.Second {
		t.Errorf("misuse interval %v", s.DB.MisuseInterval())
	}
}

// TestSettingsMisuseNotInForce: after a restart that did not apply the
// stored interval, the page says so.
func TestSettingsMisuseNotInForce(t *testing.T) {
	s := newServer(t)
	adm := s.login(t, "root", survey.RoleAdmin, "")
	if err := s.DB.SetSettings(map[string]string{survey.MetaMisuseInterval: "9s"}); err != nil {
		t.Fatal(err)
	}
	_, body := adm.get("/admin/settings")
	if strings.Contains(body, "Giá trị đã lưu") {
		t.Error("a warning while the stored value is in force")
	}
	// Store the value behind the store's back, as an older binary would have.
	if err := s.DB.SetMeta(survey.MetaMisuseInterval, "20s"); err != nil {
		t.Fatal(err)
	}
	_, body = adm.get("/admin/settings")
	mustContain(t, "page", body, "Giá trị đã lưu là 20 giây nhưng máy chủ đang dùng 9 giây")
}
